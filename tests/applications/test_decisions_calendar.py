"""Decisions follow the calendar (issue 11).

The decisions are released only after the call has closed (deadline plus grace); marks may
be made earlier. After the call closes an application is read-only for the applicant, and
withdrawing a submitted one is done by asking staff. The applicant's pages show the decision
they were told. The ranking board and the release preview show where each organisation's
management commitment stands, and staff or the applicant can send the request again.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from applications import selection, services
from applications.models import Application, Decision, Mark, Status
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.factories import close_call

from . import test_selection
from .test_scoring import messages_of
from .test_selection import decision_mails, mark

# The selection tests' world: a cohort, a coordinator and three submitted applications.
cohort = test_selection.cohort
coord = test_selection.coord
coord_client = test_selection.coord_client
three = test_selection.three

SECOND = timedelta(seconds=1)


def mark_all(three, coord, value=Mark.RESERVE):
    for application in three.values():
        mark(application, value, coord)


def release_after_close(cohort, coord):
    with clock.travel(cohort.closes_at + SECOND):
        return selection.release(cohort=cohort, actor=coord)


def resend_mails(application):
    return OutgoingEmail.objects.filter(key__startswith=f"commitment-resend:{application.pk}:")


# --- 1. the release waits for the call to close --------------------------------------------


def test_the_release_is_refused_while_the_call_is_open(cohort, coord, three):
    mark_all(three, coord)
    with translation.override("en"), pytest.raises(selection.SelectionError) as refusal:
        selection.release(cohort=cohort, actor=coord)
    closes = clock.helsinki(cohort.closes_at)
    when = f"{closes.day} {closes:%b %Y, %H:%M}"
    assert str(refusal.value.message) == (
        f"The call is still open: the decisions can be released after it closes on {when}."
    )
    assert not decision_mails().exists()
    assert set(Decision.objects.values_list("released_mark", flat=True)) == {""}


def test_the_release_waits_for_the_grace_period_too(cohort, coord, three):
    cohort.grace = timedelta(minutes=15)
    cohort.save(update_fields=["grace"])
    mark_all(three, coord)
    with clock.travel(cohort.deadline + SECOND), pytest.raises(selection.SelectionError):
        selection.release(cohort=cohort, actor=coord)
    with clock.travel(cohort.closes_at), pytest.raises(selection.SelectionError):
        selection.release(cohort=cohort, actor=coord)
    assert release_after_close(cohort, coord) == 3
    # each decision to its contact and to its manager
    assert decision_mails().count() == 6


def test_the_release_page_says_when_it_becomes_possible_and_has_no_button(
    cohort, coord, coord_client, three
):
    mark_all(three, coord)
    url = reverse("staff:release", args=[cohort.pk])
    page = coord_client.get(url)
    content = page.content.decode()
    closes = clock.helsinki(cohort.closes_at)
    when = f"{closes.day} {closes:%b %Y, %H:%M}"
    assert page.context["release_allowed"] is False
    assert (
        f"The call is still open. The decisions can be released after it closes on {when} "
        "(Finnish time). You can mark the applications already."
    ) in content
    assert "Release and send" not in content
    # the previews can be read already
    assert len(page.context["previews"]) == 3

    response = coord_client.post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert messages_of(response) == [
        f"The call is still open: the decisions can be released after it closes on {when}."
    ]
    assert not decision_mails().exists()

    with clock.travel(cohort.closes_at + SECOND):
        page = coord_client.get(url)
        assert page.context["release_allowed"] is True
        assert "Release and send" in page.content.decode()
        response = coord_client.post(url, {"confirm": "yes"}, follow=True)
    assert messages_of(response) == ["3 decisions were sent."]


# --- 2. after the call closes the application is read-only ---------------------------------


@pytest.fixture
def released(cohort, coord, three):
    """Ahvenala (fi) selected with feedback, Björkby (sv) reserve, Cedarton (en) not
    selected with feedback; released after the call closed. Returns the moment after."""
    mark(three["fi"], Mark.SELECTED, coord, feedback="Hyvä johdon tuki.")
    mark(three["sv"], Mark.RESERVE, coord)
    mark(three["en"], Mark.NOT_SELECTED, coord, feedback="Strengthen the strategy.")
    release_after_close(cohort, coord)
    return cohort.closes_at + timedelta(hours=1)


def test_after_the_release_the_applicant_cannot_edit_resubmit_or_save_a_draft(three, released):
    application = three["en"]
    client = client_for(application.created_by)
    with clock.travel(released):
        step_url = reverse("applications:step", args=[application.pk, "motivation"])
        page = client.get(step_url)
        edit = client.post(
            step_url, {"motivation": "Changed after the decision.", "action": "stay"}
        )
        review = client.get(reverse("applications:review", args=[application.pk]))
        resubmit = client.post(
            reverse("applications:review", args=[application.pk]),
            {"submit_token": "after-release", "privacy_consent": "on"},
        )
    assert page.context["editable"] is False
    assert "Save draft" not in page.content.decode()
    assert messages_of(edit) == ["The application can no longer be changed."]
    assert 'name="privacy_consent"' not in review.content.decode()
    assert messages_of(resubmit) == [
        "The application period has ended. The application can no longer be changed."
    ]
    application.refresh_from_db()
    assert application.motivation != "Changed after the decision."
    assert application.version == 1
    assert application.status == Status.SUBMITTED


def test_after_the_call_closes_withdrawing_is_done_by_asking_staff(three, released):
    application = three["en"]
    client = client_for(application.created_by)
    url = reverse("applications:withdraw", args=[application.pk])
    ask = (
        "The call has closed, so the application can no longer be withdrawn here. To "
        "withdraw it, ask the academy's staff (the contacts are at the foot of the page)."
    )
    with clock.travel(released):
        page = client.get(url)
        response = client.post(url, {"confirm": "yes"}, follow=True)
    content = page.content.decode()
    assert ask.replace("'", "&#x27;") in content
    assert "Yes, withdraw" not in content
    assert messages_of(response) == [ask]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert Decision.objects.get(application=application).released_mark == Mark.NOT_SELECTED


def test_the_applicants_pages_show_the_released_decision_with_its_feedback(three, released):
    application = three["en"]
    client = client_for(application.created_by)
    with clock.travel(released):
        mine = client.get(reverse("applications:mine")).content.decode()
        review = client.get(reverse("applications:review", args=[application.pk]))
        receipt = client.get(reverse("applications:receipt", args=[application.pk, 1]))
    assert "<td>Decision: Not selected</td>" in mine
    assert "<td>Submitted" not in mine
    # the status badge of the preview tells the decision, not "Submitted"
    assert '<span class="badge text-bg-secondary">Decision: Not selected</span>' in (
        review.content.decode()
    )
    for page in (review.content.decode(), receipt.content.decode()):
        assert '<h2 class="h5" id="decision-title">Decision: Not selected</h2>' in page
        assert "Strengthen the strategy." in page


def test_the_finnish_list_says_the_decision_instead_of_submitted(three, released):
    client = client_for(three["fi"].created_by)
    with clock.travel(released):
        mine = client.get(reverse("applications:mine")).content.decode()
    assert "<td>Päätös: Valittu</td>" in mine
    assert "Lähetetty" not in mine


def test_a_mark_or_feedback_not_yet_released_stays_private(coord, three, released):
    application = three["en"]
    mark(application, Mark.RESERVE, coord, feedback="A private second thought.")
    client = client_for(application.created_by)
    with clock.travel(released):
        review = client.get(reverse("applications:review", args=[application.pk])).content
    page = review.decode()
    assert "Decision: Not selected" in page
    assert "Strengthen the strategy." in page
    assert "A private second thought." not in page
    assert "Reserve" not in page


def test_before_the_release_the_list_still_says_submitted(coord, three):
    mark(three["en"], Mark.SELECTED, coord)
    client = client_for(three["en"].created_by)
    mine = client.get(reverse("applications:mine")).content.decode()
    assert "<td>Submitted (" in mine
    assert "Decision:" not in mine


# --- 3. the management commitment on the board and in the preview --------------------------


@pytest.fixture
def commitments(three):
    """Ahvenala confirmed, Björkby requested (at submission), Cedarton never requested."""
    services.commitment_confirm(token=three["fi"].commitment_token, at=clock.now())
    Application.objects.filter(pk=three["en"].pk).update(commitment_requested_at=None)
    return three


def test_the_ranking_board_shows_each_commitment_state(cohort, coord_client, commitments):
    page = coord_client.get(reverse("staff:ranking", args=[cohort.pk]))
    states = {r["application"].org_name: r["commitment"] for r in page.context["rows"]}
    assert states == {"Ahvenala": "confirmed", "Björkby": "requested", "Cedarton": "missing"}
    content = page.content.decode()
    # one column headed "Management commitment", the state in each row's cell
    assert '<th scope="col">Management commitment</th>' in content
    assert 'data-commitment="confirmed">Confirmed</td>' in content
    assert 'data-commitment="requested">Requested, not confirmed yet</td>' in content
    assert 'data-commitment="missing">Missing: no request sent</td>' in content
    # The request can be sent again from the open row (?decide=<pk>) of the two not
    # confirmed, never for the confirmed one; a closed row has no button.
    assert "Send the confirmation request again" not in content
    board = reverse("staff:ranking", args=[cohort.pk])
    for key, buttons in (("fi", 0), ("sv", 1), ("en", 1)):
        pk = commitments[key].pk
        opened = coord_client.get(board, {"decide": pk}).content.decode()
        assert opened.count("Send the confirmation request again") == buttons
        resend = f'formaction="{reverse("staff:commitment_resend", args=[pk])}"'
        assert opened.count(resend) == buttons


def test_the_release_preview_warns_about_selected_organisations_without_a_commitment(
    cohort, coord, coord_client, commitments
):
    for application in commitments.values():
        mark(application, Mark.SELECTED, coord)
    page = coord_client.get(reverse("staff:release", args=[cohort.pk]))
    assert [a.org_name for a in page.context["uncommitted"]] == ["Björkby", "Cedarton"]
    assert {
        p["decision"].application.org_name: p["commitment"] for p in page.context["previews"]
    } == {
        "Ahvenala": "confirmed",
        "Björkby": "requested",
        "Cedarton": "missing",
    }
    content = page.content.decode()
    assert (
        "The management has not confirmed the commitment of these organisations marked "
        'selected:\n    <ul class="mb-0"><li>Björkby</li><li>Cedarton</li></ul>'
    ) in content


def test_no_warning_when_every_selected_organisation_is_committed(
    cohort, coord, coord_client, commitments
):
    mark(commitments["fi"], Mark.SELECTED, coord)
    mark(commitments["sv"], Mark.RESERVE, coord)
    page = coord_client.get(reverse("staff:release", args=[cohort.pk]))
    assert page.context["uncommitted"] == []
    assert "has not confirmed the commitment" not in page.content.decode()


def test_staff_resend_the_request_from_the_board_once_a_day(cohort, coord_client, commitments):
    application = commitments["sv"]
    manager = application.manager_email
    url = reverse("staff:commitment_resend", args=[application.pk])
    response = coord_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == (
        reverse("staff:ranking", args=[cohort.pk]) + f"#row-{application.pk}"
    )
    assert messages_of(response) == [
        f"Björkby: the confirmation request was sent again to {manager}."
    ]
    mail = resend_mails(application).get()
    assert mail.to == manager
    assert mail.language == "sv"
    assert str(application.commitment_token) in mail.body_text

    again = coord_client.post(url, follow=True)
    assert messages_of(again) == [
        f"The request was already sent again to {manager} today. It can be sent again tomorrow."
    ]
    assert resend_mails(application).count() == 1
    with clock.travel(clock.now() + timedelta(days=1)):
        coord_client.post(url)
    assert resend_mails(application).count() == 2


def test_a_missing_request_is_sent_and_the_state_becomes_requested(
    cohort, coord_client, commitments
):
    application = commitments["en"]
    coord_client.post(reverse("staff:commitment_resend", args=[application.pk]))
    application.refresh_from_db()
    assert application.commitment_requested_at is not None
    page = coord_client.get(reverse("staff:ranking", args=[cohort.pk]))
    states = {r["application"].org_name: r["commitment"] for r in page.context["rows"]}
    assert states["Cedarton"] == "requested"


def test_a_confirmed_commitment_is_not_requested_again(coord_client, commitments):
    application = commitments["fi"]
    response = coord_client.post(
        reverse("staff:commitment_resend", args=[application.pk]), follow=True
    )
    assert messages_of(response) == ["The management has already confirmed the commitment."]
    assert not resend_mails(application).exists()


def test_a_conflicted_coordinator_cannot_resend(cohort, coord, coord_client, commitments):
    from applications import scoring

    application = commitments["sv"]
    scoring.assign(application=application, reviewers=[coord], actor=coord)
    assignment = application.assignments.get(reviewer=coord)
    scoring.declare_conflict(
        assignment=assignment, conflict=True, explanation="Oma kunta.", actor=coord
    )
    response = coord_client.post(reverse("staff:commitment_resend", args=[application.pk]))
    assert response.status_code == 403
    assert not resend_mails(application).exists()


def test_the_applicant_resends_the_request_from_their_application(commitments):
    application = commitments["en"]
    manager = application.manager_email
    client = client_for(application.created_by)
    page = client.get(reverse("applications:review", args=[application.pk])).content.decode()
    url = reverse("applications:commitment_resend", args=[application.pk])
    assert f'action="{url}"' in page
    assert f"Not confirmed yet: a request to confirm it was sent to {manager}." in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:review", args=[application.pk])
    assert messages_of(response) == [f"The confirmation request was sent again to {manager}."]
    assert resend_mails(application).get().to == manager


def test_the_applicant_sees_a_confirmed_commitment_and_no_button(commitments):
    application = commitments["fi"]
    client = client_for(application.created_by)
    with clock.travel(clock.now()):
        page = client.get(reverse("applications:review", args=[application.pk]))
    content = page.content.decode()
    assert reverse("applications:commitment_resend", args=[application.pk]) not in content


def test_the_resend_is_also_possible_after_the_call_closes(cohort, commitments):
    application = commitments["en"]
    close_call(cohort)
    client = client_for(application.created_by)
    client.post(reverse("applications:commitment_resend", args=[application.pk]))
    assert resend_mails(application).count() == 1
