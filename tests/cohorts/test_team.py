"""A selected application becomes a team; its people are invited and join by e-mail.

Releasing the decisions creates the team of each selected organisation, with the
contact person and the team members named (with an e-mail address) in the application,
and mails each an invitation. The invitation's link joins only the person it was sent
to; once joined they see their team page. Another organisation's team is a 404.
"""

from datetime import date

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from applications import selection
from applications.models import Mark
from cohorts.models import Team, TeamMembership, TeamRole, Track
from cohorts.services import CohortError, team_join
from soske.mail.models import OutgoingEmail
from soske.users.models import Role
from tests.applications.test_scoring import scored, staff, submitted_application
from tests.conftest import _person, client_for
from tests.factories import CohortFactory, UserFactory, close_call

PRE_ASSIGNMENT = "Valitkaa yksi tuleva hankinta ja kuvatkaa sen tavoitteet."


@pytest.fixture
def cohort(db):
    return CohortFactory(
        name="Soske 2032",
        kickoff_date=date(2032, 1, 20),
        pre_assignment_text=PRE_ASSIGNMENT,
        pre_assignment_due=date(2032, 1, 12),
    )


@pytest.fixture
def coord(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


@pytest.fixture
def owner(db):
    return _person("olga.owner@example.org", Role.APPLICANT, "en")


@pytest.fixture
def application(cohort, owner):
    return submitted_application(
        cohort,
        org_name="Ahvenala",
        owner=owner,
        track=Track.HUMAN_RIGHTS,
        members=[
            ("Hanna Hankinta", "hanna@ahvenala.fi", TeamRole.PROCUREMENT),
            ("Tiina Talous", "Tiina.Talous@Ahvenala.fi", TeamRole.FINANCE),
        ],
    )


@pytest.fixture
def others(cohort):
    return [
        submitted_application(cohort, org_name="Björkby"),
        submitted_application(cohort, org_name="Cedarton"),
    ]


def mark(application, value, actor):
    return selection.decision_mark(application=application, mark=value, feedback="", actor=actor)


def invitations():
    return OutgoingEmail.objects.filter(key__startswith="team-invite:")


@pytest.fixture
def released(cohort, coord, application, others):
    mark(application, Mark.SELECTED, coord)
    mark(others[0], Mark.RESERVE, coord)
    mark(others[1], Mark.NOT_SELECTED, coord)
    close_call(cohort)  # decisions are released once the call has closed
    selection.release(cohort=cohort, actor=coord)
    return Team.objects.get(application=application)


def test_release_makes_the_selected_a_team_and_invites_its_people(
    cohort, application, owner, released
):
    team = released
    assert (team.cohort, team.organisation, team.track, team.active) == (
        cohort,
        application.organisation,
        Track.HUMAN_RIGHTS,
        True,
    )
    assert team.organisation.name == "Ahvenala"
    assert Team.objects.count() == 1  # the reserve and the not selected get none
    members = {m.email: m for m in team.memberships.all()}
    assert {e: (m.name, m.role, m.user) for e, m in members.items()} == {
        "olga.owner@example.org": ("Testi Yhteyshenkilö", "contact", None),
        "hanna@ahvenala.fi": ("Hanna Hankinta", TeamRole.PROCUREMENT, None),
        "tiina.talous@ahvenala.fi": ("Tiina Talous", TeamRole.FINANCE, None),
    }  # the two members without an e-mail address are not invited

    sent = {m.to: m for m in invitations()}
    assert set(sent) == set(members)
    for email, membership in members.items():
        message = sent[email]
        assert message.key == f"team-invite:{membership.pk}"
        assert message.language == "en"  # the applicant's language
        assert message.subject == "Soske academy: join the team of Ahvenala"
        assert reverse("team:join", args=[membership.token]) in message.body_text
        assert f"Hello {membership.name}," in message.body_text
    # Tokens are each person's own.
    assert len({m.token for m in members.values()}) == 3


def test_releasing_again_invites_nobody_twice(cohort, coord, released):
    before = invitations().count()
    selection.release(cohort=cohort, actor=coord)
    assert invitations().count() == before == 3
    assert TeamMembership.objects.count() == 3


def test_only_the_invited_address_can_join(released, owner):
    membership = released.memberships.get(email="hanna@ahvenala.fi")
    url = reverse("team:join", args=[membership.token])

    intruder = client_for(owner)  # signed in, but not as Hanna
    assert intruder.get(url).status_code == 200
    response = intruder.post(url, {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This invitation was sent to hanna@ahvenala.fi. Sign in with that address to accept it."
    ]
    membership.refresh_from_db()
    assert (membership.user, membership.joined_at) == (None, None)
    assert intruder.get(reverse("team:detail", args=[released.pk])).status_code == 404

    stranger = client_for(UserFactory(email="mallory@example.org"))
    stranger.post(url, {})
    membership.refresh_from_db()
    assert membership.user is None


def test_an_anonymous_visitor_signs_in_first(released, anonymous):
    membership = released.memberships.get(email="hanna@ahvenala.fi")
    url = reverse("team:join", args=[membership.token])
    response = anonymous.get(url)
    assert response["Location"] == redirect_to_login(url)["Location"]


def test_the_invited_person_joins_and_sees_the_team_page(released):
    membership = released.memberships.get(email="tiina.talous@ahvenala.fi")
    tiina = UserFactory(email="tiina.talous@ahvenala.fi", language="en")
    client = client_for(tiina)
    detail = reverse("team:detail", args=[released.pk])
    assert client.get(detail).status_code == 404  # not joined yet

    response = client.post(reverse("team:join", args=[membership.token]), {})
    assert response["Location"] == detail
    membership.refresh_from_db()
    assert membership.user == tiina
    assert membership.joined_at is not None
    # Joining again changes nothing.
    client.post(reverse("team:join", args=[membership.token]), {})
    membership.refresh_from_db()
    assert membership.user == tiina

    assert client.get(reverse("team:home"))["Location"] == detail
    page = client.get(detail)
    assert page.status_code == 200
    content = page.content.decode()
    for text in (
        "Ahvenala",
        "Soske 2032",
        "Human rights and fundamental labour rights",
        PRE_ASSIGNMENT,
        "12 Jan 2032",  # due
        "20 Jan 2032",  # kick-off
        "Testi Yhteyshenkilö",
        "Hanna Hankinta",
        "Tiina Talous",
        "hanna@ahvenala.fi",
    ):
        assert text in content, text
    assert {m.email for m in page.context["members"]} == {
        "olga.owner@example.org",
        "hanna@ahvenala.fi",
        "tiina.talous@ahvenala.fi",
    }


def test_another_organisations_team_page_is_404(cohort, coord, released, others):
    mark(others[0], Mark.SELECTED, coord)
    selection.release(cohort=cohort, actor=coord)
    other_team = Team.objects.get(application=others[0])
    hanna = UserFactory(email="hanna@ahvenala.fi")
    team_join(token=released.memberships.get(email=hanna.email).token, user=hanna)
    client = client_for(hanna)
    assert client.get(reverse("team:detail", args=[released.pk])).status_code == 200
    assert client.get(reverse("team:detail", args=[other_team.pk])).status_code == 404
    # Nor can Hanna use the other team's invitation.
    token = other_team.memberships.first().token
    with pytest.raises(CohortError):
        team_join(token=token, user=hanna)


def test_the_team_page_shows_no_scores(cohort, released, application):
    scored(application, staff("rita@example.org"), [5, 5, 5, 5], justification="SALAINEN")
    hanna = UserFactory(email="hanna@ahvenala.fi")
    team_join(token=released.memberships.get(email=hanna.email).token, user=hanna)
    content = client_for(hanna).get(reverse("team:detail", args=[released.pk])).content.decode()
    assert "SALAINEN" not in content
    assert "100" not in content


def test_demoting_a_selected_organisation_after_release_deactivates_its_team(
    cohort, coord, released, application, owner
):
    hanna = UserFactory(email="hanna@ahvenala.fi")
    team_join(token=released.memberships.get(email=hanna.email).token, user=hanna)
    client = client_for(hanna)
    detail = reverse("team:detail", args=[released.pk])
    decisions = OutgoingEmail.objects.filter(key__startswith="decision:")
    told = decisions.count()

    mark(application, Mark.NOT_SELECTED, coord)
    # A mark is private until released: the team stands until then.
    released.refresh_from_db()
    assert released.active
    assert client.get(detail).status_code == 200

    assert selection.release(cohort=cohort, actor=coord) == 1
    released.refresh_from_db()
    assert not released.active
    assert client.get(detail).status_code == 404
    assert client.get(reverse("team:home")).context["teams"] == []
    new = list(decisions.order_by("-pk")[: decisions.count() - told])
    # The contact person and the manager named for the management commitment.
    assert sorted(m.to for m in new) == sorted([owner.email, "johto@example.org"])
    assert {m.subject for m in new} == {"Soske academy: decision on your application (Soske 2032)"}

    # Selected again: the same team comes back, and nobody is invited a second time.
    mark(application, Mark.SELECTED, coord)
    selection.release(cohort=cohort, actor=coord)
    released.refresh_from_db()
    assert released.active
    assert Team.objects.filter(application=application).count() == 1
    assert invitations().count() == 3
    assert client.get(detail).status_code == 200
