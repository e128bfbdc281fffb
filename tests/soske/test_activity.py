"""The activity log: every state change of every app leaves one entry, exactly as it was,
and nobody can change or remove an entry afterwards."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from applications import interviews, scoring, selection, services
from applications.models import Application, Decision, Interview, Review, ReviewAssignment, Score
from cohorts import services as cohort_services
from cohorts.models import Cohort, Team, TeamMembership
from soske import clock
from soske.activity.models import ActivityEntry, ActivityLogIsReadOnly
from soske.activity.services import activity_record
from tests.applications.interview_world import (
    NOW,
    hki,
    interview_cohort,
    slot_at,
    submitted_application,
)
from tests.applications.test_scoring import submitted_application as scored_application
from tests.cohorts.test_cohort_management import _edit_data, cohort_post_data
from tests.conftest import client_for
from tests.factories import close_call


def facts(entry):
    return {
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "scope": entry.scope,
        "subject": entry.subject,
        "before": entry.before,
        "after": entry.after,
        "context": entry.context,
    }


def only(action, **filters):
    (entry,) = ActivityEntry.objects.filter(action=action, **filters)
    return entry


# --- applications ---------------------------------------------------------------------------


def test_submitting_withdrawing_and_reopening_are_recorded(complete_draft, applicant, cohort):
    application = complete_draft
    moment = clock.now().replace(microsecond=0)
    with clock.travel(moment):
        services.application_submit(
            application=application, actor=applicant, at=moment, submit_token="t", consent=True
        )
    with clock.travel(moment + timedelta(minutes=1)):
        services.application_withdraw(application=application, actor=applicant, at=clock.now())
    with clock.travel(moment + timedelta(minutes=2)):
        services.application_reopen(application=application, actor=applicant, at=clock.now())
    application.refresh_from_db()
    common = {
        "actor": applicant,
        "target": application,
        "scope": application,
        "subject": application.org_name,
        "context": {"cohort": cohort.pk},
    }
    submitted = only("application.submitted")
    assert facts(submitted) == {
        **common,
        "action": "application.submitted",
        "before": None,
        "after": {"version": 1},
    }
    assert submitted.at == moment
    assert facts(only("application.withdrawn")) == {
        **common,
        "action": "application.withdrawn",
        "before": {"status": "submitted"},
        "after": {"status": "withdrawn"},
    }
    reopened = only("application.reopened")
    assert facts(reopened) == {
        **common,
        "action": "application.reopened",
        "before": {"status": "withdrawn"},
        "after": {"status": "draft"},
    }
    assert reopened.at == moment + timedelta(minutes=2)


def test_a_repeated_submit_click_is_recorded_once(complete_draft, applicant):
    for _click in range(2):
        services.application_submit(
            application=complete_draft,
            actor=applicant,
            at=clock.now(),
            submit_token="same",
            consent=True,
        )
    assert ActivityEntry.objects.filter(action="application.submitted").count() == 1


# --- interviews ---------------------------------------------------------------------------


@pytest.fixture
def interview_world(applicant, reviewer, coordinator):
    with clock.travel(NOW):
        cohort = interview_cohort()
        application = submitted_application(cohort, applicant)
        friday = slot_at(cohort, hki(2026, 10, 23, 9), reviewer)
        monday = slot_at(cohort, hki(2026, 10, 26, 9), reviewer)
        yield cohort, application, friday, monday


def test_booking_moving_and_cancelling_an_interview_are_recorded(
    interview_world, applicant, coordinator
):
    cohort, application, friday, monday = interview_world
    interview = interviews.interview_book(
        application=application, slot=friday, actor=applicant, at=clock.now()
    )
    interviews.interview_move(
        interview=interview, slot=monday, actor=applicant, at=clock.now(), reason="Loma"
    )
    interviews.interview_cancel(
        interview=interview, actor=coordinator, at=clock.now(), reason="Sairastuminen", staff=True
    )
    interview = Interview.objects.get(pk=interview.pk)
    common = {"target": interview, "scope": application, "context": {"cohort": cohort.pk}}
    assert facts(only("interview.booked")) == {
        **common,
        "actor": applicant,
        "action": "interview.booked",
        "subject": "",
        "before": None,
        "after": {"starts_at": "2026-10-23T06:00:00Z"},  # 9:00 summer time
    }
    assert facts(only("interview.moved")) == {
        **common,
        "actor": applicant,
        "action": "interview.moved",
        "subject": "Loma",
        "before": {"starts_at": "2026-10-23T06:00:00Z"},
        "after": {"starts_at": "2026-10-26T07:00:00Z"},  # 9:00 winter time
    }
    assert facts(only("interview.cancelled")) == {
        **common,
        "actor": coordinator,
        "action": "interview.cancelled",
        "subject": "Sairastuminen",
        "before": {"starts_at": "2026-10-26T07:00:00Z"},
        "after": None,
    }


def test_publishing_and_removing_slots_are_recorded_on_the_cohort(
    interview_world, coordinator, reviewer
):
    cohort = interview_world[0]
    (slot,) = interviews.slots_create(
        cohort=cohort,
        starts=[hki(2026, 10, 27, 13)],
        duration_minutes=45,
        location="Pasila",
        meeting_url="",
        interviewers=[reviewer],
        actor=coordinator,
    )
    interviews.slot_delete(slot=slot, actor=coordinator)
    slot_facts = {
        "starts_at": "2026-10-27T11:00:00Z",
        "duration_minutes": 45,
        "interviewers": [reviewer.email],
    }
    published = only("slot.published")
    assert (published.actor, published.target_id, published.scope, published.after) == (
        coordinator,
        slot.pk,
        cohort,
        slot_facts,
    )
    removed = only("slot.removed")
    assert (removed.actor, removed.target_id, removed.scope, removed.before, removed.after) == (
        coordinator,
        slot.pk,
        cohort,
        slot_facts,
        None,
    )


# --- cohorts ------------------------------------------------------------------------------


def test_creating_and_editing_a_cohort_are_recorded(coordinator, coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data())
    cohort = Cohort.objects.get(slug="soske-2031")
    created = only("cohort.created")
    assert (created.actor, created.target, created.scope, created.subject) == (
        coordinator,
        cohort,
        cohort,
        "Soske 2031",
    )
    assert created.after["max_selected"] == 6
    assert created.after["deadline"] == "2031-12-10T14:00:00Z"

    data = _edit_data(cohort, will_to_develop="5.50")
    data["max_selected"] = "8"
    response = coordinator_client.post(reverse("cohorts:edit", args=[cohort.pk]), data)
    assert response.status_code == 302
    edited = only("cohort.edited")
    assert facts(edited) == {
        "actor": coordinator,
        "action": "cohort.edited",
        "target": cohort,
        "scope": cohort,
        "subject": "Soske 2031",
        "before": {"max_selected": 6},
        "after": {"max_selected": 8},
        "context": {"cohort": cohort.pk, "criteria_changed": True, "themes_changed": False},
    }


def test_saving_a_cohort_unchanged_records_nothing(coordinator, coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data())
    cohort = Cohort.objects.get(slug="soske-2031")
    coordinator_client.post(reverse("cohorts:edit", args=[cohort.pk]), _edit_data(cohort))
    assert not ActivityEntry.objects.filter(action="cohort.edited").exists()


# --- scoring, selection and teams ---------------------------------------------------------


def test_scoring_selection_and_the_team_are_recorded(cohort, applicant, reviewer, coordinator):
    application = scored_application(cohort, org_name="Ahvenala", owner=applicant)
    Application.objects.filter(pk=application.pk).update(contact_email="alice@example.org")
    application.refresh_from_db()
    scoring.assign(application=application, reviewers=[reviewer], actor=coordinator)
    assignment = ReviewAssignment.objects.get()
    scoring.declare_conflict(assignment=assignment, conflict=False, explanation="", actor=reviewer)
    criteria = list(cohort.criteria.all())
    scoring.review_save(
        application=application,
        reviewer=reviewer,
        values={c.pk: 3 for c in criteria},
        justifications={},
        submit=True,
    )
    selection.decision_mark(
        application=application, mark="selected", feedback="", actor=coordinator
    )
    close_call(cohort)  # decisions are released once the call has closed
    selection.release(cohort=cohort, actor=coordinator)
    membership = TeamMembership.objects.get(email="alice@example.org")
    cohort_services.team_join(token=membership.token, user=applicant)

    context = {"cohort": cohort.pk}
    assert facts(only("review.assigned")) == {
        "actor": coordinator,
        "action": "review.assigned",
        "target": assignment,
        "scope": application,
        "subject": reviewer.email,
        "before": None,
        "after": None,
        "context": context,
    }
    declared = only("review.conflict_declared")
    assert (declared.actor, declared.target, declared.before, declared.after) == (
        reviewer,
        assignment,
        {"conflict": None, "explanation": ""},
        {"conflict": False, "explanation": ""},
    )
    scores = ActivityEntry.objects.filter(action="review.scored").order_by("id")
    assert [(e.target, e.subject, e.after) for e in scores] == [
        (Score.objects.get(criterion=c), c.name, {"score": 3, "justification": ""})
        for c in criteria
    ]
    submitted = only("review.submitted")
    assert (submitted.actor, submitted.target, submitted.scope) == (
        reviewer,
        Review.objects.get(),
        application,
    )
    decision = Decision.objects.get()
    marked = only("decision.marked")
    assert (marked.actor, marked.target, marked.before, marked.after) == (
        coordinator,
        decision,
        None,
        {"mark": "selected", "feedback": ""},
    )
    released = only("decision.released")
    assert (released.actor, released.target, released.before, released.after) == (
        coordinator,
        decision,
        {"mark": None},
        {"mark": "selected"},
    )
    team = Team.objects.get()
    assert facts(only("team.created")) == {
        "actor": coordinator,
        "action": "team.created",
        "target": team,
        "scope": application,
        "subject": application.org_name,
        "before": None,
        "after": None,
        "context": context,
    }
    assert facts(only("team.member_joined")) == {
        "actor": applicant,
        "action": "team.member_joined",
        "target": membership,
        "scope": team,
        "subject": "alice@example.org",
        "before": None,
        "after": None,
        "context": {"cohort": cohort.pk, "team": team.pk},
    }
    # Joining again changes nothing and records nothing.
    cohort_services.team_join(token=membership.token, user=applicant)
    assert ActivityEntry.objects.filter(action="team.member_joined").count() == 1


def test_the_history_page_names_the_new_actions_in_the_coordinators_language(
    interview_world, applicant, coordinator
):
    _cohort, application, friday, _monday = interview_world
    interviews.interview_book(application=application, slot=friday, actor=applicant, at=NOW)
    with translation.override("fi"):
        page = client_for(coordinator).get(reverse("staff:history", args=[application.pk]))
    assert page.status_code == 200
    labels = [str(e.label) for e in page.context["entries"]]
    assert labels == ["Haastattelu varattu", "Hakemus lähetetty"]  # newest first
    content = page.content.decode()
    assert "aika: 23.10.2026 klo 9.00" in content  # in Helsinki time, as Finnish writes it
    assert "versio: 1" in content


# --- never edited -------------------------------------------------------------------------


@pytest.fixture
def entry(complete_draft, applicant):
    return activity_record(
        actor=applicant, action="application.submitted", target=complete_draft, after={"v": 1}
    )


def test_an_entry_cannot_be_updated(entry):
    entry.after = {"v": 2}
    with pytest.raises(ActivityLogIsReadOnly):
        entry.save()
    with pytest.raises(ActivityLogIsReadOnly):
        ActivityEntry.objects.filter(pk=entry.pk).update(after={"v": 2})
    assert ActivityEntry.objects.get(pk=entry.pk).after == {"v": 1}


def test_an_entry_cannot_be_deleted_on_its_own(entry):
    with pytest.raises(ActivityLogIsReadOnly):
        entry.delete()
    with pytest.raises(ActivityLogIsReadOnly):
        ActivityEntry.objects.all().delete()
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()


def test_the_entries_go_with_the_application_they_belong_to(entry, complete_draft):
    complete_draft.delete()
    assert not ActivityEntry.objects.filter(pk=entry.pk).exists()
