"""Withdrawing and reopening, inviting a colleague, the manager's commitment, resubmission."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import (
    Application,
    ApplicationInvite,
    ApplicationMember,
    ApplicationVersion,
    Status,
)
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=HELSINKI)
DEADLINE = datetime(2026, 12, 10, 16, 0, tzinfo=HELSINKI)
DURING = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
AFTER = DEADLINE + timedelta(minutes=1)

READ_ONLY = "The application can no longer be changed."
WITHDRAWN = "This application has been withdrawn."
MOTIVATION_LABEL = "Why does your organisation apply?"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(_fast_password_hashing, applicant, reviewer, coordinator):
    for user in (applicant, reviewer, coordinator):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def application(applicant):
    cohort = CohortFactory(name="Soske-akatemia 2027", call_opens_at=OPENS, deadline=DEADLINE)
    with clock.travel(DURING):
        return ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def submit(client, application, token):
    return client.post(
        reverse("applications:review", args=[application.pk]),
        {"privacy_consent": "on", "submit_token": token},
    )


def withdraw(client, application):
    """Confirm the withdrawal and read the page it leads to (which shows the message)."""
    response = client.post(
        reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"}, follow=True
    )
    assert messages_of(response) == [
        "The application was withdrawn. You can reopen it until the deadline."
    ]
    return response


def answer(snapshot, slug, label):
    section = next(s for s in snapshot["sections"] if s["slug"] == slug)
    return next(r["value"] for r in section["rows"] if r["label"] == label)


# --- withdraw and reopen --------------------------------------------------------------------


def test_withdraw_asks_first_and_a_get_changes_nothing(applicant_client, application):
    with clock.travel(DURING):
        response = applicant_client.get(reverse("applications:withdraw", args=[application.pk]))
    assert response.status_code == 200
    assert (
        "Do you want to withdraw the application of Testilän kaupunki? Staff will no longer "
        "consider it. You can reopen it until the deadline."
    ) in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_withdraw_with_a_confirmed_post(applicant_client, coordinator_client, application):
    with clock.travel(DURING):
        response = applicant_client.post(
            reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"}
        )
        assert response["Location"] == reverse("applications:mine")
        mine = applicant_client.get(response["Location"])
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert messages_of(mine) == [
        "The application was withdrawn. You can reopen it until the deadline."
    ]
    assert reverse("applications:reopen", args=[application.pk]) in mine.content.decode()
    staff = coordinator_client.get(reverse("staff:applications"), {"cohort": application.cohort_id})
    assert staff.context["counts"]["withdrawn"] == 1
    assert staff.context["counts"]["draft"] == 0


def test_a_withdrawn_application_cannot_be_edited_or_submitted(applicant_client, application):
    with clock.travel(DURING):
        withdraw(applicant_client, application)
        step = applicant_client.post(
            reverse("applications:step", args=[application.pk, "motivation"]),
            {"motivation": "Muutos", "action": "stay"},
        )
        review = submit(applicant_client, application, "after-withdraw")
    assert messages_of(step) == [READ_ONLY]
    assert messages_of(review) == [WITHDRAWN]
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.motivation == "Haluamme kehittää."
    assert ApplicationVersion.objects.count() == 0


def test_reopen_before_the_deadline_makes_it_a_draft_again(applicant_client, application):
    with clock.travel(DURING):
        withdraw(applicant_client, application)
    with clock.travel(DEADLINE):  # the last second
        response = applicant_client.post(reverse("applications:reopen", args=[application.pk]))
        assert response["Location"] == reverse("applications:review", args=[application.pk])
        review = applicant_client.get(response["Location"])
    assert messages_of(review) == ["The application is a draft again."]
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert review.context["editable"] is True


def test_reopen_after_the_deadline_is_refused(applicant_client, application):
    with clock.travel(DURING):
        withdraw(applicant_client, application)
    with clock.travel(AFTER):
        response = applicant_client.post(
            reverse("applications:reopen", args=[application.pk]), follow=True
        )
    assert messages_of(response) == ["The application period has ended."]
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_a_submitted_application_withdrawn_and_reopened_is_submitted_again_as_version_2(
    applicant_client, application
):
    with clock.travel(DURING):
        submit(applicant_client, application, "first")
        withdraw(applicant_client, application)
        applicant_client.post(reverse("applications:reopen", args=[application.pk]))
        application.refresh_from_db()
        assert (application.status, application.version) == (Status.DRAFT, 1)
        # The same token as before is not taken for a double click of the old submission.
        response = submit(applicant_client, application, "first")
    assert response["Location"] == reverse("applications:receipt", args=[application.pk, 2])
    application.refresh_from_db()
    assert (application.status, application.version) == (Status.SUBMITTED, 2)


# --- inviting a colleague -----------------------------------------------------------------------


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@example.org", language="en")


def test_invited_colleague_gets_mail_accepts_and_can_edit(
    applicant_client, application, colleague, django_capture_on_commit_callbacks
):
    from tests.conftest import client_for

    colleague_client = client_for(colleague)
    review_url = reverse("applications:review", args=[application.pk])
    assert colleague_client.get(review_url).status_code == 404

    with clock.travel(DURING), django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            reverse("applications:invite", args=[application.pk]),
            {"email": " Colleague@Example.ORG "},
        )
    assert response["Location"] == reverse("applications:invite", args=[application.pk])
    invite = ApplicationInvite.objects.get(application=application)
    assert invite.email == "colleague@example.org"
    assert invite.accepted_at is None
    accept_path = reverse("applications:invite_accept", args=[invite.token])

    outgoing = OutgoingEmail.objects.get(key=f"application-invite:{invite.pk}")
    assert outgoing.to == "colleague@example.org"
    assert outgoing.status == OutgoingEmail.Status.SENT
    assert outgoing.language == "en"
    assert (
        "alice@example.org invited you to edit the application of Testilän kaupunki to "
        "Soske-akatemia 2027."
    ) in outgoing.body_text
    assert f"http://127.0.0.1:8000{accept_path}" in outgoing.body_text
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]

    with clock.travel(DURING + timedelta(hours=1)):
        page = colleague_client.get(accept_path)
        assert page.status_code == 200
        assert (
            # The cohort has no English name: the Finnish one, marked as Finnish.
            "You have been invited to edit the application of Testilän kaupunki to "
            '<span lang="fi">Soske-akatemia 2027</span>.'
        ) in page.content.decode()
        accepted = colleague_client.post(accept_path, {"confirm": "yes"})
        assert accepted["Location"] == review_url
        saved = colleague_client.post(
            reverse("applications:step", args=[application.pk, "motivation"]),
            {
                "motivation": "Kollegan täydennys.",
                "development_goals": "Toimintamalli.",
                "resources": "Kaksi päivää kuukaudessa.",
                "action": "stay",
            },
        )
    assert saved.status_code == 302
    invite.refresh_from_db()
    assert invite.accepted_at == DURING + timedelta(hours=1)
    member = ApplicationMember.objects.get(application=application, user=colleague)
    assert member.role == ApplicationMember.Role.EDITOR
    application.refresh_from_db()
    assert application.motivation == "Kollegan täydennys."

    with clock.travel(DURING + timedelta(hours=2)):
        listing = applicant_client.get(reverse("applications:invite", args=[application.pk]))
    assert [m.user.email for m in listing.context["members"]] == [
        "alice@example.org",
        "colleague@example.org",
    ]
    assert list(listing.context["invites"]) == []


def test_accepting_an_invitation_twice_adds_the_colleague_once(applicant, application, colleague):
    from applications import services
    from tests.conftest import client_for

    with clock.travel(DURING):
        invite = services.application_invite(
            application=application, email="colleague@example.org", actor=applicant, at=DURING
        )
        client = client_for(colleague)
        path = reverse("applications:invite_accept", args=[invite.token])
        client.post(path, {"confirm": "yes"})
        client.post(path, {"confirm": "yes"})
    assert ApplicationMember.objects.filter(application=application, user=colleague).count() == 1


def test_inviting_someone_who_can_already_edit_is_refused(applicant_client, application):
    with clock.travel(DURING):
        response = applicant_client.post(
            reverse("applications:invite", args=[application.pk]), {"email": "ALICE@example.org"}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This person can already edit the application."
    ]
    assert ApplicationInvite.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_inviting_an_invalid_address_is_refused(applicant_client, application):
    with clock.travel(DURING):
        response = applicant_client.post(
            reverse("applications:invite", args=[application.pk]), {"email": "not an address"}
        )
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert ApplicationInvite.objects.count() == 0


def test_unknown_invitation_is_404(applicant_client):
    path = reverse("applications:invite_accept", args=["00000000-0000-4000-8000-000000000000"])
    assert applicant_client.get(path).status_code == 404


# --- the manager's commitment -------------------------------------------------------------------


def test_manager_confirms_the_commitment_and_staff_see_it(
    applicant_client, coordinator_client, anonymous, application, django_capture_on_commit_callbacks
):
    with clock.travel(DURING), django_capture_on_commit_callbacks(execute=True):
        submit(applicant_client, application, "first")
    application.refresh_from_db()
    assert application.commitment_requested_at == DURING
    confirm_path = reverse("applications:commitment", args=[application.commitment_token])
    request = OutgoingEmail.objects.get(
        key=f"commitment-request:{application.pk}:johto@example.org"
    )
    assert request.to == "johto@example.org"
    assert request.status == OutgoingEmail.Status.SENT
    assert request.body_text.startswith("Hello Johtaja Testinen,")
    assert f"http://127.0.0.1:8000{confirm_path}" in request.body_text

    detail_url = reverse("staff:application", args=[application.pk])
    assert "Requested, not confirmed yet" in coordinator_client.get(detail_url).content.decode()

    confirmed_at = datetime(2026, 12, 2, 9, 15, tzinfo=HELSINKI)
    anonymous.cookies["soske_language"] = "en"
    with clock.travel(confirmed_at):
        page = anonymous.get(confirm_path)
        assert page.status_code == 200
        assert "I confirm the commitment" in page.content.decode()
        response = anonymous.post(confirm_path, {"confirm": "yes"})
        assert response["Location"] == confirm_path
        thanks = anonymous.get(confirm_path)
    thanked = thanks.content.decode()
    assert "Thank you: the commitment was confirmed on 2 Dec 2026, 09:15." in thanked
    application.refresh_from_db()
    assert application.commitment_confirmed_at == confirmed_at
    assert application.commitment_confirmed_email == "johto@example.org"

    detail = coordinator_client.get(detail_url).content.decode()
    assert "Confirmed by johto@example.org on 2 Dec 2026, 09:15" in detail

    # A second click later changes nothing.
    with clock.travel(confirmed_at + timedelta(days=1)):
        anonymous.post(confirm_path, {"confirm": "yes"})
    application.refresh_from_db()
    assert application.commitment_confirmed_at == confirmed_at


def test_unknown_commitment_token_is_404(anonymous):
    path = reverse("applications:commitment", args=["00000000-0000-4000-8000-000000000000"])
    assert anonymous.get(path).status_code == 404


# --- resubmission ---------------------------------------------------------------------------------


def test_resubmission_creates_version_2_and_staff_see_both_versions(
    applicant_client, coordinator_client, application, django_capture_on_commit_callbacks
):
    first_at = DURING
    second_at = DURING + timedelta(days=2, hours=3, seconds=7)
    with clock.travel(first_at), django_capture_on_commit_callbacks(execute=True):
        submit(applicant_client, application, "first")
    with clock.travel(first_at + timedelta(days=1)):
        applicant_client.post(
            reverse("applications:step", args=[application.pk, "motivation"]),
            {
                "motivation": "Toinen, parempi perustelu.",
                "development_goals": "Toimintamalli.",
                "resources": "Kaksi päivää kuukaudessa.",
                "action": "stay",
            },
        )
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert application.changed_since_submission is True
        review = applicant_client.get(reverse("applications:review", args=[application.pk]))
        assert (
            "You have changed the application since you submitted it: submit it again so that "
            "the changes count." in review.content.decode()
        )
    with clock.travel(second_at), django_capture_on_commit_callbacks(execute=True):
        response = submit(applicant_client, application, "second")
    assert response["Location"] == reverse("applications:receipt", args=[application.pk, 2])

    application.refresh_from_db()
    assert (application.version, application.changed_since_submission) == (2, False)
    versions = {v.number: v for v in ApplicationVersion.objects.filter(application=application)}
    assert sorted(versions) == [1, 2]
    assert versions[1].submitted_at == first_at
    assert versions[2].submitted_at == second_at
    assert answer(versions[1].data, "motivation", MOTIVATION_LABEL) == "Haluamme kehittää."
    assert answer(versions[2].data, "motivation", MOTIVATION_LABEL) == "Toinen, parempi perustelu."
    # One receipt per version; the manager is asked once.
    assert sorted(
        OutgoingEmail.objects.filter(key__startswith="application-receipt:").values_list(
            "key", flat=True
        )
    ) == sorted(f"application-receipt:{v.pk}:alice@example.org" for v in versions.values())
    assert OutgoingEmail.objects.filter(key__startswith="commitment-request:").count() == 1

    detail_url = reverse("staff:application", args=[application.pk])
    detail = coordinator_client.get(detail_url)
    content = detail.content.decode()
    assert [v.number for v in detail.context["versions"]] == [2, 1]
    assert detail.context["selected"].number == 2
    assert "Version 2, 3 Dec 2026, 13:00:07, alice@example.org" in content
    assert "Version 1, 1 Dec 2026, 10:00:00, alice@example.org" in content
    assert "Toinen, parempi perustelu." in content
    assert "Haluamme kehittää." not in content

    older = coordinator_client.get(detail_url, {"version": "1"})
    assert older.context["selected"].number == 1
    assert "Haluamme kehittää." in older.content.decode()
    assert "Toinen, parempi perustelu." not in older.content.decode()


def test_resubmitting_without_changes_in_the_same_click_shows_the_same_receipt(
    applicant_client, application
):
    with clock.travel(DURING):
        first = submit(applicant_client, application, "same")
        second = submit(applicant_client, application, "same")
    assert first["Location"] == second["Location"]
    assert Application.objects.get(pk=application.pk).version == 1


def test_an_invitation_is_accepted_only_by_the_invited_address(
    applicant_client, other_client, other_applicant, draft, django_capture_on_commit_callbacks
):
    from django.urls import reverse as _reverse

    from applications.models import ApplicationInvite, ApplicationMember

    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(
            _reverse("applications:invite", args=[draft.pk]), {"email": "someone@example.org"}
        )
    invite = ApplicationInvite.objects.get(application=draft)
    response = other_client.post(
        _reverse("applications:invite_accept", args=[invite.token]), {"ok": "1"}
    )
    assert response.status_code == 200
    assert not ApplicationMember.objects.filter(application=draft, user=other_applicant).exists()
    invite.refresh_from_db()
    assert invite.accepted_at is None


def test_changing_the_manager_voids_the_old_commitment_link(applicant_client, complete_draft):
    from django.urls import reverse as _reverse

    old_token = complete_draft.commitment_token
    complete_draft.commitment_confirmed_at = complete_draft.created_at
    complete_draft.commitment_confirmed_email = complete_draft.manager_email
    complete_draft.save()
    applicant_client.post(
        _reverse("applications:step", args=[complete_draft.pk, "management"]),
        {
            "manager_name": "Uusi Johtaja",
            "manager_title": "Johtaja",
            "manager_email": "uusi@example.org",
            "action": "stay",
        },
    )
    complete_draft.refresh_from_db()
    assert complete_draft.commitment_token != old_token
    assert complete_draft.commitment_confirmed_at is None
    assert complete_draft.commitment_confirmed_email == ""
    response = applicant_client.get(_reverse("applications:commitment", args=[old_token]))
    assert response.status_code == 404
