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
    # need to know: a reviewer assigned to nothing and interviewing nobody, and a
    # coordinator who declared a conflict of interest with the applicant's application
    "unassigned_reviewer",
    "conflicted_coordinator",
    # a coordinator who has not set up an authenticator app: every page that needs signing
    # in sends them to set one up (MFA_SETUP); public pages stay open
    "staff_without_mfa",
)


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named `view_name` (not to the login page)."""

    view_name: str


LOGIN = "login-redirect"  # 302 to the allauth login page with ?next=<this page>
OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
MFA_SETUP = Redirect("mfa_activate_totp")


def everyone(outcome):
    """A public page (login_not_required): the same for every persona."""
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome):
    """A page of anyone signed in; a staff member without a second factor sets one up first."""
    return {**everyone(outcome), "anonymous": LOGIN, "staff_without_mfa": MFA_SETUP}


def members_only():
    """An object of the applicant's organisation: another applicant and staff get a 404
    on the applicant pages (staff read applications through the staff pages)."""
    return {**signed_in(NOT_FOUND), "applicant": OK}


def staff_only():
    """A page for every staff member (nothing of one application on it)."""
    return {
        **signed_in(FORBIDDEN),
        "reviewer": OK,
        "coordinator": OK,
        "unassigned_reviewer": OK,
        "conflicted_coordinator": OK,
    }


def need_to_know():
    """A staff page of the applicant's application: the world's reviewer holds its
    interview, coordinators read it; a reviewer with nothing to do with it and a coordinator
    who declared a conflict are refused."""
    return {**staff_only(), "unassigned_reviewer": FORBIDDEN, "conflicted_coordinator": FORBIDDEN}


def coordinator_only():
    return {**signed_in(FORBIDDEN), "coordinator": OK, "conflicted_coordinator": OK}


def team_only():
    """A page of the selected organisation's team: its joined members (the applicant and
    the team member) only; another team's member and staff get a 404."""
    return {**signed_in(NOT_FOUND), "applicant": OK, "team_member": OK}


def coordinator_post(target):
    """A coordinator's POST that changes something and goes back to `target`; the
    conflicted coordinator is a coordinator too (conflicts are about one application)."""
    return {**coordinator_only(), "coordinator": Redirect(target),
            "conflicted_coordinator": Redirect(target)}  # fmt: skip


def staff_post(target):
    """A staff POST that goes back to `target`, for every staff member."""
    return {
        **staff_only(),
        **dict.fromkeys(
            ("reviewer", "coordinator", "unassigned_reviewer", "conflicted_coordinator"),
            Redirect(target),
        ),
    }
