"""With a broker the send task renders the mail, never the request (issue 13)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.test.signals import template_rendered
from django.urls import reverse

from applications.models import ApplicationVersion
from soske.mail.context import MissingObject, Unstorable, context_dump, context_load
from soske.mail.models import OutgoingEmail
from soske.mail.services import outbox_enqueue_template, outbox_send, render_in_task
from tests.conftest import client_for


@pytest.fixture
def broker(settings):
    """As with a broker: mail is rendered by the send task (which runs eagerly here)."""
    settings.MAIL_RENDER_IN_TASK = True


class _Renders:
    def __init__(self):
        self.names = []

    def __call__(self, sender, template, context, **kwargs):
        self.names.append(template.name)

    @property
    def mail(self):
        return [name for name in self.names if name and name.startswith("mail/")]


@pytest.fixture
def renders():
    listener = _Renders()
    template_rendered.connect(listener)
    yield listener
    template_rendered.disconnect(listener)


def test_a_context_comes_back_the_same(complete_draft):
    moment = datetime.datetime(2021, 12, 10, 16, 0, tzinfo=datetime.UTC)
    token = uuid.uuid4()
    value = {
        "application": complete_draft,
        "people": [complete_draft.created_by, {"nested": complete_draft.cohort}],
        "pair": ("a", 1),
        "when": moment,
        "day": datetime.date(2021, 12, 10),
        "at": datetime.time(9, 30),
        "wait": datetime.timedelta(days=7),
        "weight": Decimal("2.50"),
        "token": token,
        "flag": True,
        "none": None,
        "ratio": 0.5,
        # A plain dict shaped like a reference or a tag stays a plain dict.
        "lookalike": {"model": "applications.Application", "pk": 1},
        "taglike": {"$date": "2021-12-10"},
    }
    stored = context_dump(value)
    assert stored["application"] == {"model": "applications.Application", "pk": complete_draft.pk}
    assert stored["people"][1] == {
        "nested": {"model": "cohorts.Cohort", "pk": complete_draft.cohort_id}
    }
    loaded = context_load(stored)
    assert loaded["application"] == complete_draft
    assert type(loaded["application"]).__name__ == "Application"
    assert loaded["people"] == [complete_draft.created_by, {"nested": complete_draft.cohort}]
    assert loaded["pair"] == ["a", 1]
    assert loaded["when"] == moment
    assert loaded["day"] == datetime.date(2021, 12, 10)
    assert loaded["at"] == datetime.time(9, 30)
    assert loaded["wait"] == datetime.timedelta(days=7)
    assert loaded["weight"] == Decimal("2.50") and str(loaded["weight"]) == "2.50"
    assert loaded["token"] == token
    assert (loaded["flag"], loaded["none"], loaded["ratio"]) == (True, None, 0.5)
    assert loaded["lookalike"] == {"model": "applications.Application", "pk": 1}
    assert loaded["taglike"] == {"$date": "2021-12-10"}


def test_what_cannot_come_back_the_same_is_refused(db):
    from django.utils.translation import gettext_lazy

    from applications.models import Application

    with pytest.raises(Unstorable):
        context_dump({"label": gettext_lazy("Submitted")})
    with pytest.raises(Unstorable):
        context_dump({"unsaved": Application()})
    with pytest.raises(Unstorable):
        context_dump({"thing": object()})


def test_without_a_broker_the_mail_is_rendered_when_written(db, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert render_in_task() is False


def test_submitting_renders_no_mail_template_in_the_request(
    broker, renders, applicant_client, complete_draft, django_capture_on_commit_callbacks
):
    complete_draft.manager_email = "johto@example.org"
    complete_draft.save(update_fields=["manager_email"])
    url = reverse("applications:review", args=[complete_draft.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = applicant_client.post(url, {"privacy_consent": "on", "submit_token": "t-1"})
    assert response.status_code == 302
    assert renders.mail == []
    rows = OutgoingEmail.objects.order_by("key")
    assert sorted(row.template for row in rows) == [
        "application_receipt",
        "commitment_request",
        "interview_booking_link",
    ]
    # Nothing rendered yet: the rows hold what the task needs.
    assert {(row.subject, row.body_text) for row in rows} == {("", "")}
    version = ApplicationVersion.objects.get(application=complete_draft)
    receipt = rows.get(template="application_receipt")
    assert receipt.context["version"] == {
        "model": "applications.ApplicationVersion",
        "pk": version.pk,
    }
    assert receipt.status == OutgoingEmail.Status.QUEUED

    # After the commit the task renders and sends each.
    for callback in callbacks:
        callback()
    assert len(renders.mail) == 6  # subject and body of three messages
    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.SENT
    assert "Testilän kaupunki" in receipt.subject
    assert "Siivouspalvelut" in receipt.body_text
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "alice@example.org",
        "johto@example.org",
    ]
    sent = next(m for m in mail.outbox if m.subject == receipt.subject)
    assert sent.body == receipt.body_text


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("template", ["application_receipt", "commitment_request"])
def test_the_task_renders_the_same_mail_as_the_request(
    settings, language, template, applicant_client, complete_draft
):
    url = reverse("applications:review", args=[complete_draft.pk])
    applicant_client.post(url, {"privacy_consent": "on", "submit_token": "t-1"})
    application = type(complete_draft).objects.get(pk=complete_draft.pk)
    version = application.versions.get()
    context = {
        "application": application,
        "version": version,
        "receipt_url": "https://soske.example/receipt/",
        "confirm_url": "https://soske.example/confirm/",
    }
    settings.MAIL_RENDER_IN_TASK = False
    before = outbox_enqueue_template(
        key="before", to="a@example.org", language=language, template=template, context=context
    )
    settings.MAIL_RENDER_IN_TASK = True
    after = outbox_enqueue_template(
        key="after", to="a@example.org", language=language, template=template, context=context
    )
    assert (before.template, before.body_text != "") == ("", True)
    assert (after.template, after.body_text) == (template, "")
    outbox_send(email_id=after.pk)
    after.refresh_from_db()
    assert after.status == OutgoingEmail.Status.SENT
    assert (after.subject, after.body_text) == (before.subject, before.body_text)
    # In the recipient's language, whatever the language of the worker.
    words = {"fi": "Soske-akatemia", "sv": "Soske-akademin"}[language]
    assert words in after.body_text


def test_a_mail_whose_object_is_gone_is_marked_failed(broker, complete_draft):
    row = outbox_enqueue_template(
        key="gone",
        to="a@example.org",
        language="fi",
        template="commitment_request",
        context={"application": complete_draft, "confirm_url": "x"},
    )
    type(complete_draft).objects.filter(pk=complete_draft.pk).delete()
    with pytest.raises(MissingObject):
        context_load(row.context)
    outbox_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED
    assert row.last_error == f"applications.Application {complete_draft.pk} no longer exists"
    assert mail.outbox == []


def test_the_outbox_page_shows_the_subject_of_a_row_not_rendered_yet(
    broker, coordinator, complete_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        outbox_enqueue_template(
            key="waiting",
            to="johto@example.org",
            language="fi",
            template="commitment_request",
            context={"application": complete_draft, "confirm_url": "x"},
        )
    response = client_for(coordinator).get(reverse("outbox:list"))
    assert response.status_code == 200
    row = next(e for e in response.context["emails"] if e.key == "waiting")
    assert row.subject == (
        f"Vahvista organisaation {complete_draft.org_name} sitoutuminen Soske-akatemiaan"
    )
    assert row.subject.encode() in response.content.replace(b"&#x27;", b"'")
    # Shown, not stored: the task still renders it.
    assert OutgoingEmail.objects.get(key="waiting").subject == ""


def test_the_rows_of_one_transaction_are_handed_over_in_one_task(
    complete_draft, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for n in range(3):
                outbox_enqueue_template(
                    key=f"batch:{n}",
                    to=f"p{n}@example.org",
                    language="fi",
                    template="commitment_request",
                    context={"application": complete_draft, "confirm_url": "x"},
                )
    assert len(callbacks) == 1
    assert callbacks[0].ids == list(
        OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]


def test_a_rolled_back_savepoint_drops_only_its_own_rows(
    complete_draft, django_capture_on_commit_callbacks
):
    from django.db import transaction

    def write(key):
        outbox_enqueue_template(
            key=key,
            to=f"{key}@example.org",
            language="fi",
            template="commitment_request",
            context={"application": complete_draft, "confirm_url": "x"},
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            write("before")
            try:
                with transaction.atomic():
                    write("inner")
                    raise RuntimeError("the inner change failed")
            except RuntimeError:
                pass
            write("after")
    assert sorted(OutgoingEmail.objects.values_list("key", "status")) == [
        ("after", "sent"),
        ("before", "sent"),
    ]
    # The inner savepoint's nudge went with it; the row after it joined the first one's.
    keys = dict(OutgoingEmail.objects.values_list("pk", "key"))
    assert [[keys.get(pk, "rolled back") for pk in c.ids] for c in callbacks] == [
        ["before", "after"]
    ]


def test_many_contexts_load_with_a_query_per_model(complete_draft, applicant, cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from soske.mail.context import context_load_many
    from tests.factories import ApplicationFactory

    other = ApplicationFactory(cohort=cohort, created_by=applicant, org_name="Toinen Oy")
    gone = ApplicationFactory(cohort=cohort, created_by=applicant)
    contexts = [
        context_dump({"application": complete_draft, "cohort": cohort}),
        context_dump(
            {"application": other, "people": [applicant], "day": datetime.date(2021, 1, 2)}
        ),
        context_dump({"application": gone}),
        # A plain dict shaped like a reference is no reference: nothing is looked up for it.
        context_dump({"lookalike": {"model": "nosuch.Model", "pk": 1}}),
    ]
    type(gone).objects.filter(pk=gone.pk).delete()
    with CaptureQueriesContext(connection) as queries:
        loaded = context_load_many(contexts)
        # What a subject reads through them is joined already.
        names = [row["application"].cohort.pk for row in loaded[:2]]
    assert len(queries) == 3  # applications, cohorts, users
    assert names == [cohort.pk, cohort.pk]
    assert loaded[0] == {"application": complete_draft, "cohort": cohort}
    assert loaded[1] == {
        "application": other,
        "people": [applicant],
        "day": datetime.date(2021, 1, 2),
    }
    assert isinstance(loaded[2], MissingObject)
    assert str(loaded[2]) == f"applications.Application {gone.pk} no longer exists"
    assert loaded[3] == {"lookalike": {"model": "nosuch.Model", "pk": 1}}
