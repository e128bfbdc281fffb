"""The submit does not validate again what the review page found complete (issue 13)."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from cohorts.models import Organisation
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.factories import UserFactory


def _review(application):
    return reverse("applications:review", args=[application.pk])


def _count_validations(monkeypatch):
    calls = []
    real = services._validate_steps

    def counting(application):
        calls.append(application.pk)
        return real(application)

    monkeypatch.setattr(services, "_validate_steps", counting)
    return calls


def test_the_submit_after_the_review_page_validates_nothing_again(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    page = applicant_client.get(_review(complete_draft))
    assert page.status_code == 200
    assert page.context["problems"] == []
    assert calls == [complete_draft.pk]
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert response.status_code == 302
    assert calls == [complete_draft.pk]
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED


def test_a_change_after_the_review_page_is_validated_again_and_refused(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    applicant_client.get(_review(complete_draft))
    # Changed behind the page's back (another tab, a colleague): no longer complete.
    Application.objects.filter(pk=complete_draft.pk).update(pilot_subject="")
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert response.status_code == 200
    assert calls == [complete_draft.pk, complete_draft.pk]
    assert "pilot_subject" in {p["field"] for p in response.context["problems"]}
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_a_team_member_removed_after_the_review_page_is_validated_again(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    applicant_client.get(_review(complete_draft))
    complete_draft.team.all().delete()
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert calls == [complete_draft.pk, complete_draft.pk]
    assert response.status_code == 200
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def _statements(queries):
    """Each statement as (verb, the first table it names)."""
    shapes = []
    for query in queries:
        sql = query["sql"]
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
        shapes.append((sql.split(None, 1)[0], table.group(1) if table else ""))
    return shapes


# A submit after the review page, as a person makes it, with a broker (mail rendered by
# the worker): 13 statements (24 before the second round of issue 13: the user's roles came
# in a query of their own, the is_member rule
# asked the database again, the organisation's get_or_create took four statements, each
# outbox row a savepoint and its release, the creator was joined to the locked row).
SUBMIT_STATEMENTS = [
    ("SELECT", "django_session"),
    ("SELECT", "users_user"),  # with the roles (the second-factor middleware: staff?)
    ("SELECT", "applications_application"),  # may the user reach it (the view)
    ("SAVEPOINT", ""),  # the service's transaction (a savepoint in the test's own)
    ("SELECT", "applications_application"),  # the row under its lock (the service)
    ("SELECT", "cohorts_theme"),
    ("SELECT", "applications_teammember"),
    ("INSERT", "cohorts_organisation"),  # ON CONFLICT DO NOTHING: a new organisation
    ("INSERT", "applications_applicationversion"),
    ("INSERT", "mail_outgoingemail"),  # the manager's commitment request
    ("UPDATE", "applications_application"),
    ("INSERT", "activity_activityentry"),
    ("INSERT", "mail_outgoingemail"),  # the receipt
    ("INSERT", "mail_outgoingemail"),  # the interview booking link
    ("RELEASE", ""),
]


def test_a_submit_makes_these_statements_and_no_more(settings, applicant_client, complete_draft):
    settings.MAIL_RENDER_IN_TASK = True  # as with a broker
    ContentType.objects.get_for_model(Application)  # cached by any earlier request
    applicant_client.get(_review(complete_draft))
    with CaptureQueriesContext(connection) as queries:
        response = applicant_client.post(
            _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
        )
    assert response.status_code == 302
    assert _statements(queries) == SUBMIT_STATEMENTS
    update = next(q["sql"] for q in queries if q["sql"].startswith("UPDATE"))
    assert '"org_name"' not in update  # only the columns the submit changed
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    assert complete_draft.organisation.business_id == complete_draft.business_id
    rows = OutgoingEmail.objects.filter(body_text="", template__gt="")
    assert sorted(r.key.split(":")[0] for r in rows) == [
        "application-receipt",
        "commitment-request",
        "interview-booking-link",
    ]


def test_an_existing_organisation_is_read_and_a_colleagues_submit_reads_the_creator(
    settings, applicant, applicant_client, complete_draft
):
    """The two paths off the common one: an organisation already on record (one SELECT
    after the INSERT that wrote nothing) and a submit by someone other than the creator
    (the creator is read for the mails' language)."""
    settings.MAIL_RENDER_IN_TASK = True
    ContentType.objects.get_for_model(Application)
    existing = Organisation.objects.create(name="Jo", business_id=complete_draft.business_id)
    colleague = UserFactory(email="colleague@example.org", language="sv")
    complete_draft.members.create(user=colleague, role="editor", added_at=clock.now())
    client = client_for(colleague)
    client.get(_review(complete_draft))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-2"}
        )
    assert response.status_code == 302
    expected = list(SUBMIT_STATEMENTS)
    expected.insert(8, ("SELECT", "cohorts_organisation"))  # the INSERT wrote nothing
    expected.insert(10, ("SELECT", "users_user"))  # the creator, for the commitment mail
    expected.insert(-1, ("INSERT", "mail_outgoingemail"))  # a receipt to each: the contact
    assert _statements(queries) == expected
    complete_draft.refresh_from_db()
    assert complete_draft.organisation == existing
    commitment = OutgoingEmail.objects.get(key__startswith="commitment-request:")
    assert commitment.language == applicant.language  # the creator's, not the colleague's
    receipts = OutgoingEmail.objects.filter(key__startswith="application-receipt:")
    # One to the submitter and one to the contact person, in the submitter's language.
    assert {(r.to, r.language) for r in receipts} == {
        ("colleague@example.org", "sv"),
        (complete_draft.contact_email.lower(), "sv"),
    }
