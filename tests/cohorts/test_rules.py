"""The cohorts' permissions and the freeze of the scoring rules (cohorts/rules.py)."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from cohorts.models import Organisation, Team, TeamMembership
from cohorts.rules import frozen
from soske import clock
from tests.factories import ApplicationFactory, UserFactory


def _team(cohort, name, business_id):
    application = ApplicationFactory(cohort=cohort, complete=True)
    team = Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(name=name, business_id=business_id),
        track=application.track,
        created_at=clock.now(),
    )
    application.team_record = team
    application.save(update_fields=["team_record"])
    return team


def _membership(team, email, *, user=None):
    return TeamMembership.objects.create(
        team=team,
        name=email,
        email=email,
        user=user,
        token=uuid.uuid4(),
        invited_at=clock.now(),
        joined_at=clock.now() if user else None,
    )


@pytest.fixture
def teams(cohort):
    return _team(cohort, "Hallila", "1234567-1"), _team(cohort, "Kaukajärvi", "2345678-9")


def test_a_joined_member_may_view_their_team_and_not_another(teams):
    ours, theirs = teams
    member = UserFactory()
    _membership(ours, member.email, user=member)
    assert member.has_perm("cohorts.view_team", ours)
    assert not member.has_perm("cohorts.view_team", theirs)
    assert list(Team.objects.visible_to(member)) == [ours]


def test_an_invited_member_who_has_not_joined_sees_no_team(teams):
    ours, _theirs = teams
    _membership(ours, "not.yet@example.org")
    invited = UserFactory(email="not.yet@example.org")
    assert not invited.has_perm("cohorts.view_team", ours)
    assert list(Team.objects.visible_to(invited)) == []


def test_an_inactive_team_is_not_visible_to_its_members(teams):
    ours, _theirs = teams
    member = UserFactory()
    _membership(ours, member.email, user=member)
    ours.active = False
    ours.save(update_fields=["active"])
    assert not member.has_perm("cohorts.view_team", ours)
    assert list(Team.objects.visible_to(member)) == []


def test_anonymous_sees_no_team(teams):
    assert not AnonymousUser().has_perm("cohorts.view_team", teams[0])
    assert list(Team.objects.visible_to(AnonymousUser())) == []


def test_only_coordinators_edit_a_cohort(cohort, coordinator, reviewer, applicant):
    assert coordinator.has_perm("cohorts.edit_cohort", cohort)
    assert not reviewer.has_perm("cohorts.edit_cohort", cohort)
    assert not applicant.has_perm("cohorts.edit_cohort", cohort)


def test_the_scoring_rules_freeze_when_scoring_starts(cohort):
    assert frozen(None) is False
    assert frozen(cohort) is False
    cohort.scoring_started_at = clock.now()
    assert frozen(cohort) is True


def test_a_team_loaded_through_visible_to_is_not_asked_about_again(
    teams, django_assert_num_queries
):
    ours, _theirs = teams
    member, other = UserFactory(), UserFactory()
    _membership(ours, member.email, user=member)
    team = Team.objects.visible_to(member).get(pk=ours.pk)
    with django_assert_num_queries(0):
        assert member.has_perm("cohorts.view_team", team)
    # Checked for someone else, the same instance asks the database, and the answer is no.
    with django_assert_num_queries(1):
        assert not other.has_perm("cohorts.view_team", team)
    # A team the membership query found once but then deactivated is refused at once.
    team.active = False
    with django_assert_num_queries(0):
        assert not member.has_perm("cohorts.view_team", team)
