"""The personas and outcomes of the access table (tests/soske/test_access.py); the rows of
the programme's pages live beside their tests in tests/workshops/access_*.py."""

from dataclasses import dataclass

PERSONAS = (
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer",
    "coordinator",
    # the programme phase: a joined member of the selected organisation's team (not one of
    # the people of its application), and a joined member of another team of the cohort
    "team_member",
    "other_team_member",
)


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named `view_name` (not to the login page)."""

    view_name: str


LOGIN = "login-redirect"  # 302 to the allauth login page with ?next=<this page>
OK = 200
FORBIDDEN = 403
NOT_FOUND = 404


def everyone(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def members_only():
    """An object of the applicant's organisation: another applicant and staff get a 404
    on the applicant pages (staff read applications through the staff pages)."""
    return {
        "anonymous": LOGIN,
        "applicant": OK,
        "other_applicant": NOT_FOUND,
        "reviewer": NOT_FOUND,
        "coordinator": NOT_FOUND,
        "team_member": NOT_FOUND,
        "other_team_member": NOT_FOUND,
    }


def staff_only():
    return {
        "anonymous": LOGIN,
        "applicant": FORBIDDEN,
        "other_applicant": FORBIDDEN,
        "reviewer": OK,
        "coordinator": OK,
        "team_member": FORBIDDEN,
        "other_team_member": FORBIDDEN,
    }


def coordinator_only():
    return {
        "anonymous": LOGIN,
        "applicant": FORBIDDEN,
        "other_applicant": FORBIDDEN,
        "reviewer": FORBIDDEN,
        "coordinator": OK,
        "team_member": FORBIDDEN,
        "other_team_member": FORBIDDEN,
    }


def team_only():
    """A page of the selected organisation's team: its joined members (the applicant and
    the team member) only; another team's member and staff get a 404."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": LOGIN,
        "applicant": OK,
        "team_member": OK,
    }
