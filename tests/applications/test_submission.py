from django.core import mail
from django.urls import reverse

from applications.models import Application, ApplicationVersion, Status
from soske.mail.models import OutgoingEmail


def review_url(application):
    return reverse("applications:review", args=[application.pk])


def test_submit_complete_application_creates_version_and_receipt_mail(
    applicant_client, complete_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            review_url(complete_draft), {"privacy_consent": "on", "submit_token": "tok-1"}
        )
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    assert complete_draft.version == 1
    version = ApplicationVersion.objects.get(application=complete_draft)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "applications:receipt", args=[complete_draft.pk, version.number]
    )
    receipt = OutgoingEmail.objects.get(key__startswith=f"application-receipt:{version.pk}:")
    assert receipt.to == "alice@example.org"
    assert receipt.status == OutgoingEmail.Status.SENT
    assert "Testilän kaupunki" in receipt.subject
    assert [m.to for m in mail.outbox if m.subject == receipt.subject] == [["alice@example.org"]]
    # The copy of the answers is in the body, in Finnish (the applicant's language).
    assert "Siivouspalvelut" in receipt.body_text
    assert receipt.language == "fi"


def test_double_click_submits_once_and_shows_the_same_receipt(applicant_client, complete_draft):
    data = {"privacy_consent": "on", "submit_token": "same-token"}
    first = applicant_client.post(review_url(complete_draft), data)
    second = applicant_client.post(review_url(complete_draft), data)
    assert first["Location"] == second["Location"]
    assert ApplicationVersion.objects.filter(application=complete_draft).count() == 1
    assert OutgoingEmail.objects.filter(key__startswith="application-receipt:").count() == 1


def test_incomplete_application_lists_every_problem_and_stays_draft(applicant_client, draft):
    response = applicant_client.post(
        review_url(draft), {"privacy_consent": "on", "submit_token": "tok"}
    )
    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.status == Status.DRAFT
    problems = response.context["problems"]
    fields = {p["field"] for p in problems}
    assert {"org_name", "business_id", "track", "manager_email", "pilot_subject"} <= fields
    assert b'id="error-summary"' in response.content


def test_submit_without_consent_is_refused(applicant_client, complete_draft):
    response = applicant_client.post(review_url(complete_draft), {"submit_token": "tok"})
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    assert "privacy_consent" in response.context["submit_form"].errors


def test_draft_saves_partial_data(applicant_client, draft):
    url = reverse("applications:step", args=[draft.pk, "organisation"])
    response = applicant_client.post(url, {"org_name": "Keskeneräinen kunta", "action": "stay"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.org_name == "Keskeneräinen kunta"
    assert draft.business_id == ""


def test_invalid_business_id_keeps_what_was_typed(applicant_client, draft):
    url = reverse("applications:step", args=[draft.pk, "organisation"])
    response = applicant_client.post(
        url, {"org_name": "Typotus", "business_id": "1234567-2", "action": "stay"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["business_id"] == [
        "Y-tunnus ei kelpaa: sen tarkistusnumero ei täsmää."
    ] or form.errors["business_id"] == [
        "This business ID is not valid: its check digit does not match."
    ]
    assert form["org_name"].value() == "Typotus"
    assert form["business_id"].value() == "1234567-2"
    draft.refresh_from_db()
    assert draft.org_name == ""


def test_extra_fields_cannot_set_status_or_cohort(applicant_client, draft, db):
    from tests.factories import CohortFactory

    other = CohortFactory()
    url = reverse("applications:step", args=[draft.pk, "organisation"])
    applicant_client.post(
        url,
        {
            "org_name": "Ovela",
            "status": "submitted",
            "cohort": other.pk,
            "version": 9,
            "action": "stay",
        },
    )
    draft.refresh_from_db()
    assert draft.org_name == "Ovela"
    assert draft.status == Status.DRAFT
    assert draft.cohort_id != other.pk
    assert draft.version == 0


def test_another_organisations_application_is_404(other_client, draft):
    for url in (
        review_url(draft),
        reverse("applications:step", args=[draft.pk, "organisation"]),
        reverse("applications:file", args=[draft.pk]),
        reverse("applications:withdraw", args=[draft.pk]),
    ):
        assert other_client.get(url).status_code == 404


def test_business_id_unique_per_cohort(applicant_client, other_client, draft, other_applicant):
    draft.business_id = "0112038-9"
    draft.save()
    from tests.factories import ApplicationFactory

    second = ApplicationFactory(cohort=draft.cohort, created_by=other_applicant)
    url = reverse("applications:step", args=[second.pk, "organisation"])
    response = other_client.post(url, {"business_id": "0112038-9", "action": "stay"}, follow=True)
    assert Application.objects.filter(cohort=draft.cohort, business_id="0112038-9").count() == 1
    assert "already exists" in response.content.decode() or "jo" in response.content.decode()


def test_a_click_that_meets_the_database_locked_shows_the_receipt_of_the_other_click(
    applicant_client, complete_draft, monkeypatch
):
    """SQLite answers a second writer "database is locked" while the first click commits its
    version: the second click tries again, finds its token submitted and shows the same
    receipt, never an error page."""
    from django.db import OperationalError

    from applications import services

    real = services.submit_once
    attempts = []

    def locked_while_the_other_click_commits(**kwargs):
        attempts.append(kwargs["submit_token"])
        if len(attempts) == 1:
            real(**kwargs)  # the other click of the double click wins and commits
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(services, "submit_once", locked_while_the_other_click_commits)
    response = applicant_client.post(
        review_url(complete_draft), {"privacy_consent": "on", "submit_token": "dbl"}
    )
    version = ApplicationVersion.objects.get(application=complete_draft)
    assert attempts == ["dbl", "dbl"]
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[complete_draft.pk, 1])
    assert version.number == 1
    assert OutgoingEmail.objects.filter(key__startswith="application-receipt:").count() == 1


def test_sqlite_transactions_take_the_write_lock_when_they_begin():
    """BEGIN IMMEDIATE: two parallel submits queue for the lock (up to the timeout) instead
    of the second failing at once when it upgrades its read to a write."""
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "soske.settings",
            "SOSKE_BOOTSTRAP": "0",
            "DATABASE_URL": "sqlite:////tmp/soske-settings-check.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "{'timeout': 20, 'transaction_mode': 'IMMEDIATE'}", (
        result.stderr
    )
