"""The staff page of a cohort's teams: members, roles, facts other apps register, sparring
and attendance; a coordinator adds a member and resends invitations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts import team_facts
from cohorts.models import TeamMembership
from soske import clock
from soske.mail.models import OutgoingEmail
from workshops import attendance, sparring

from .sparring_world import NOW, hki, joint_event, slots, sparring_round, team_of


@pytest.fixture(autouse=True)
def _now():
    with clock.travel(NOW), translation.override("en"):
        yield


@pytest.fixture
def team(cohort):
    return team_of(cohort, "Kunta A", members=2, joined=1)


def test_the_registry_gives_every_fact_per_team(monkeypatch):
    monkeypatch.setattr(team_facts, "_FACTS", {})
    team_facts.register(key="a", label="A", values=lambda ids: {ids[0]: "yes"})
    team_facts.register(key="b", label="B", values=lambda ids: {pk: str(pk) for pk in ids})
    assert [f.label for f in team_facts.registered()] == ["A", "B"]
    assert team_facts.facts_for([1, 2]) == {1: ["yes", "1"], 2: ["", "2"]}


def test_applications_registers_the_commitment_status():
    assert "commitment" in {f.key for f in team_facts.registered()}


def test_the_teams_page_shows_members_roles_sparring_attendance_and_facts(
    cohort, team, coordinator, coordinator_client
):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    round = sparring_round(cohort)
    (slot,) = slots(round, coordinator, hki(2026, 3, 10, 9))
    booking = sparring.sparring_book(team=team, slot=slot, actor=coordinator, at=NOW)
    workshop = joint_event(cohort)
    first = team.memberships.order_by("pk").first()
    attendance.attendance_mark(event=workshop, attended={first.pk: True}, actor=coordinator)
    response = coordinator_client.get(reverse("sparring_staff:cohort_teams", args=[cohort.pk]))
    body = response.content.decode()
    assert "Kunta A" in body and "Procurement expert" in body and "Contact person" in body
    assert reverse("sparring_staff:booking", args=[booking.pk]) in body
    assert "1 came, 0 named in advance" in body
    assert "Management commitment" in body
    (shown,) = response.context["teams"]
    assert [label for label, _value in shown.fact_cells] == [
        f.label for f in team_facts.registered()
    ]


def test_a_coordinator_adds_a_member_who_is_invited(team, coordinator_client):
    path = reverse("sparring_staff:member_new", args=[team.cohort_id, team.pk])
    response = coordinator_client.post(
        path, {"name": "Johtaja Jussi", "email": "Jussi@Example.org", "role": "management"}
    )
    assert response.status_code == 302
    member = TeamMembership.objects.get(email="jussi@example.org")
    assert (member.name, member.role, member.user) == ("Johtaja Jussi", "management", None)
    mail = OutgoingEmail.objects.get(key=f"team-invite:{member.pk}")
    assert mail.to == "jussi@example.org"
    assert reverse("team:join", args=[member.token]) in mail.body_text


def test_a_duplicate_email_is_a_field_error(team, coordinator, coordinator_client):
    coordinator.language = "en"  # the messages read in English
    coordinator.save(update_fields=["language"])
    existing = team.memberships.first()
    path = reverse("sparring_staff:member_new", args=[team.cohort_id, team.pk])
    response = coordinator_client.post(
        path, {"name": "Sama", "email": existing.email.upper(), "role": "employment_services"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This person is already a member of the team."
    ]
    assert team.memberships.count() == 2


def test_resending_invitations_reaches_who_has_not_joined_once_a_day(team, coordinator_client):
    path = reverse("sparring_staff:invitations_resend", args=[team.cohort_id, team.pk])
    coordinator_client.post(path)
    coordinator_client.post(path)
    pending = team.memberships.get(user__isnull=True, joined_at__isnull=True)
    rows = OutgoingEmail.objects.filter(key__startswith=f"team-invite:{pending.pk}:resend:")
    assert list(rows.values_list("to", flat=True)) == [pending.email]
    with clock.travel(NOW + timedelta(days=1)):
        coordinator_client.post(path)
    assert rows.count() == 2
    assert OutgoingEmail.objects.filter(key__contains="resend").count() == 2
