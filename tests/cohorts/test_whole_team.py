"""The whole team: the manager who confirmed the commitment and the employment-services
person join the team, and the decision reaches the manager as well as the contact.

Every complete application names the manager "Johtaja Testinen" <johto@example.org>
(tests.factories.fill_complete); the owner is the contact person.
"""

from datetime import date

import pytest
from django.urls import reverse

from applications import selection, services
from applications.models import Mark
from cohorts.models import Team, TeamMembership, TeamRole, Track
from cohorts.services import team_join
from cohorts.team_views import role_label
from soske import clock
from soske.mail.models import OutgoingEmail
from soske.users.models import Role
from tests.applications.test_scoring import staff, submitted_application
from tests.conftest import _person, client_for
from tests.factories import CohortFactory, UserFactory, close_call

OWNER = "olga.owner@example.org"
MANAGER = "johto@example.org"
EILA = "eila.tyollisyys@ahvenala.fi"
HANNA = "hanna@ahvenala.fi"


@pytest.fixture
def cohort(db):
    return CohortFactory(name="Soske 2032", kickoff_date=date(2032, 1, 20))


@pytest.fixture
def coord(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


@pytest.fixture
def owner(db):
    return _person(OWNER, Role.APPLICANT, "sv")


def employment_application(cohort, owner, members=()):
    return submitted_application(
        cohort,
        org_name="Ahvenala",
        owner=owner,
        track=Track.EMPLOYMENT,
        members=[
            ("Hanna Hankinta", HANNA, TeamRole.PROCUREMENT),
            ("Eila Työllisyys", EILA, TeamRole.EMPLOYMENT_SERVICES),
            *members,
        ],
    )


def confirm_commitment(application):
    services.commitment_confirm(token=application.commitment_token, at=clock.now())
    application.refresh_from_db()
    assert application.commitment_confirmed_email == MANAGER
    return application


def release(cohort, coord, application, value=Mark.SELECTED):
    selection.decision_mark(application=application, mark=value, feedback="", actor=coord)
    close_call(cohort)  # decisions are released once the call has closed
    selection.release(cohort=cohort, actor=coord)


def memberships(team):
    return {m.email: (m.name, m.role) for m in team.memberships.all()}


def invitations():
    return OutgoingEmail.objects.filter(key__startswith="team-invite:")


def decision_mails():
    return OutgoingEmail.objects.filter(key__startswith="decision:")


def test_the_confirmed_manager_and_the_employment_services_person_join_the_team(
    cohort, coord, owner
):
    application = confirm_commitment(employment_application(cohort, owner))
    release(cohort, coord, application)
    team = Team.objects.get(application=application)
    assert memberships(team) == {
        OWNER: ("Testi Yhteyshenkilö", "contact"),
        MANAGER: ("Johtaja Testinen", TeamRole.MANAGEMENT),
        HANNA: ("Hanna Hankinta", TeamRole.PROCUREMENT),
        EILA: ("Eila Työllisyys", TeamRole.EMPLOYMENT_SERVICES),
    }
    sent = {m.to: m for m in invitations()}
    assert set(sent) == {OWNER, MANAGER, HANNA, EILA}
    manager = team.memberships.get(email=MANAGER)
    assert sent[MANAGER].key == f"team-invite:{manager.pk}"
    assert sent[MANAGER].language == "sv"  # the applicant's language, as for everyone
    assert reverse("team:join", args=[manager.token]) in sent[MANAGER].body_text


def test_a_manager_who_has_not_confirmed_is_not_invited_until_confirming(cohort, coord, owner):
    application = employment_application(cohort, owner)
    release(cohort, coord, application)
    team = Team.objects.get(application=application)
    assert MANAGER not in memberships(team)
    assert not invitations().filter(to=MANAGER).exists()

    # Confirming after the release invites the manager to the team that exists by then.
    confirm_commitment(application)
    assert memberships(team)[MANAGER] == ("Johtaja Testinen", TeamRole.MANAGEMENT)
    (invite,) = invitations().filter(to=MANAGER)
    assert invite.key == f"team-invite:{team.memberships.get(email=MANAGER).pk}"
    assert invite.language == "sv"

    # Releasing again and confirming again send nothing twice.
    selection.release(cohort=cohort, actor=coord)
    services.commitment_confirm(token=application.commitment_token, at=clock.now())
    assert invitations().filter(to=MANAGER).count() == 1
    assert TeamMembership.objects.filter(team=team).count() == 4


def test_one_person_with_two_roles_is_one_member_and_the_first_role_wins(cohort, coord, owner):
    # The manager is also named in the team as a lawyer (the address in other letters),
    # and the contact person is also named as the procurement expert.
    application = employment_application(
        cohort,
        owner,
        members=[
            ("Johtaja Testinen", "Johto@Example.org", TeamRole.LAWYER),
            ("Olga Owner", OWNER, TeamRole.PROCUREMENT),
        ],
    )
    confirm_commitment(application)
    release(cohort, coord, application)
    team = Team.objects.get(application=application)
    assert memberships(team) == {
        OWNER: ("Testi Yhteyshenkilö", "contact"),
        MANAGER: ("Johtaja Testinen", TeamRole.MANAGEMENT),
        HANNA: ("Hanna Hankinta", TeamRole.PROCUREMENT),
        EILA: ("Eila Työllisyys", TeamRole.EMPLOYMENT_SERVICES),
    }
    assert sorted(invitations().values_list("to", flat=True)) == sorted(
        [OWNER, MANAGER, HANNA, EILA]
    )


def test_the_manager_is_the_contact_person_too(cohort, coord, owner):
    application = employment_application(cohort, owner)
    application.manager_email = OWNER
    application.save(update_fields=["manager_email"])
    services.commitment_confirm(token=application.commitment_token, at=clock.now())
    release(cohort, coord, application)
    team = Team.objects.get(application=application)
    assert memberships(team)[OWNER] == ("Testi Yhteyshenkilö", "contact")
    assert invitations().filter(to=OWNER).count() == 1
    assert [m.to for m in decision_mails()] == [OWNER]  # one mail per address


def test_the_team_page_names_the_management_role(cohort, coord, owner):
    application = confirm_commitment(employment_application(cohort, owner))
    release(cohort, coord, application)
    team = Team.objects.get(application=application)
    hanna = UserFactory(email=HANNA, language="fi")
    team_join(token=team.memberships.get(email=HANNA).token, user=hanna)
    page = client_for(hanna).get(reverse("team:detail", args=[team.pk])).content.decode()
    assert "Johtaja Testinen (Johto) – johto@example.org" in page
    assert "Eila Työllisyys (Työllisyyspalvelujen edustaja) – eila.tyollisyys@ahvenala.fi" in (page)
    from django.utils import translation

    with translation.override("sv"):
        assert role_label(TeamRole.MANAGEMENT) == "Ledning"


@pytest.mark.parametrize("value", [Mark.SELECTED, Mark.RESERVE, Mark.NOT_SELECTED])
def test_the_decision_reaches_the_manager_and_the_contact_once_each(cohort, coord, owner, value):
    application = employment_application(cohort, owner)
    release(cohort, coord, application, value)
    decision = application.decision
    rows = {m.to: m for m in decision_mails()}
    assert set(rows) == {OWNER, MANAGER}
    for email, row in rows.items():
        assert row.key == f"decision:{decision.pk}:1:{email}"
        assert row.language == "sv"  # the language of the contact's mail
    assert rows[MANAGER].subject == rows[OWNER].subject
    assert rows[MANAGER].body_text == rows[OWNER].body_text

    # A re-run sends nothing twice; a changed mark is one more mail to each of the two.
    selection.release(cohort=cohort, actor=coord)
    assert decision_mails().count() == 2
    other = Mark.RESERVE if value != Mark.RESERVE else Mark.NOT_SELECTED
    release(cohort, coord, application, other)
    assert sorted(decision_mails().values_list("key", flat=True)) == sorted(
        f"decision:{decision.pk}:{n}:{email}" for n in (1, 2) for email in (OWNER, MANAGER)
    )


def test_the_release_preview_names_both_recipients(cohort, coord, owner):
    application = employment_application(cohort, owner)
    selection.decision_mark(application=application, mark=Mark.SELECTED, feedback="", actor=coord)
    (preview,) = [selection.preview(d) for d in selection.pending_messages(cohort)]
    assert (preview["to"], preview["recipients"]) == (OWNER, [OWNER, MANAGER])


def test_the_coordinators_member_form_offers_the_management_role_once():
    from workshops.attendance_views import MEMBER_ROLES, role_label

    values = [value for value, _label in MEMBER_ROLES]
    assert values[0] == TeamRole.MANAGEMENT
    assert sorted(values) == sorted(TeamRole.values)  # each role once
    assert role_label("management") == TeamRole.MANAGEMENT.label
