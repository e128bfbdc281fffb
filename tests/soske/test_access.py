"""Who may open which page: every URL pattern of the project has an expected-access entry.

Deny by default: LoginRequiredMiddleware sends an anonymous visitor to the
allauth login on every page not marked `login_not_required`; another
organisation's application is a 404 (it does not exist for you); a missing
role is a 403.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import URLResolver, get_resolver, resolve, reverse

from applications import scoring, services
from applications.models import (
    Application,
    ApplicationInvite,
    Interview,
    InterviewSlot,
    ReviewAssignment,
)
from cohorts.models import Organisation, Team, TeamMembership
from deliverables.models import Feedback, ResultsBook, SubmissionFile
from soske import clock
from soske.calendar.models import CalendarFeed
from soske.calendar.services import feed_create
from soske.exports.models import Export, ExportState
from soske.mail.models import OutgoingEmail

# --- the expected-access table -------------------------------------------------------
from tests.access import (  # noqa: E402
    FORBIDDEN,
    LOGIN,
    MFA_SETUP,
    NOT_FOUND,
    OK,
    PERSONAS,
    Redirect,
    coordinator_only,
    coordinator_post,  # noqa: E402
    everyone,
    members_only,
    need_to_know,
    signed_in,
    staff_only,
    staff_post,  # noqa: E402
)
from tests.conftest import client_for
from tests.deliverables.access_book import ROWS as BOOK_ROWS  # noqa: E402
from tests.deliverables.access_followup import ROWS as FOLLOWUP_ROWS  # noqa: E402
from tests.deliverables.access_peers import ROWS as PEER_ROWS  # noqa: E402
from tests.deliverables.access_staff import ROWS as DELIVERABLES_STAFF_ROWS  # noqa: E402
from tests.deliverables.access_team import ROWS as DELIVERABLES_TEAM_ROWS  # noqa: E402
from tests.deliverables.world import deliverables_world
from tests.factories import ApplicationFactory, UserFactory
from tests.privacy.access_privacy import ROWS as PRIVACY_ROWS  # noqa: E402
from tests.soske.access_exports import ROWS as EXPORT_ROWS  # noqa: E402
from tests.workshops.access_sparring import ROWS as SPARRING_ROWS  # noqa: E402
from tests.workshops.access_staff import ROWS as PROGRAMME_STAFF_ROWS  # noqa: E402
from tests.workshops.access_team import ROWS as PROGRAMME_TEAM_ROWS  # noqa: E402
from tests.workshops.world import programme_world
from workshops.models import Material

# name -> (HTTP method, how to build the URL's kwargs from the world, persona -> outcome)
ACCESS = {
    # public pages
    "cohorts:home": ("get", lambda w: {}, everyone(OK)),
    "cohorts:call": ("get", lambda w: {"slug": w.cohort.slug}, everyone(OK)),
    "privacy": ("get", lambda w: {}, everyone(OK)),
    "accessibility": ("get", lambda w: {}, everyone(OK)),
    "healthz": ("get", lambda w: {}, everyone(OK)),
    "set_language": ("post", lambda w: {}, everyone(Redirect("cohorts:home"))),
    # The manager who confirms the commitment has no account: the unguessable token is
    # the permission.
    "applications:commitment": (
        "get",
        lambda w: {"token": w.application.commitment_token},
        everyone(OK),
    ),
    # signed-in pages of anyone
    "dashboard": (
        "get",
        lambda w: {},
        {
            "anonymous": LOGIN,
            "applicant": Redirect("applications:mine"),
            "other_applicant": Redirect("applications:mine"),
            "reviewer": Redirect("staff:applications"),
            "coordinator": Redirect("staff:applications"),
            "team_member": Redirect("applications:mine"),
            "other_team_member": Redirect("applications:mine"),
            "unassigned_reviewer": Redirect("staff:applications"),
            "conflicted_coordinator": Redirect("staff:applications"),
            "staff_without_mfa": MFA_SETUP,
        },
    ),
    "applications:mine": ("get", lambda w: {}, signed_in(OK)),
    # POST: a draft of one's own (the existing one, or a new one) and on to its first step
    "applications:start": (
        "post",
        lambda w: {"slug": w.cohort.slug},
        signed_in(Redirect("applications:step")),
    ),
    # An invitation is addressed by its unguessable token: whoever signs in holding it
    # sees the invitation page.
    "applications:invite_accept": (
        "get",
        lambda w: {"token": w.invite.token},
        signed_in(OK),
    ),
    # the applicant's organisation's application
    "applications:step": (
        "get",
        lambda w: {"pk": w.application.pk, "step": "organisation"},
        members_only(),
    ),
    "applications:review": ("get", lambda w: {"pk": w.application.pk}, members_only()),
    "applications:receipt": (
        "get",
        lambda w: {"pk": w.application.pk, "number": 1},
        members_only(),
    ),
    "applications:withdraw": ("get", lambda w: {"pk": w.application.pk}, members_only()),
    "applications:reopen": (
        "post",
        lambda w: {"pk": w.application.pk},
        {**members_only(), "applicant": Redirect("applications:review")},
    ),
    # POST only: the applicant asks the manager again, and is sent back with a message
    "applications:commitment_resend": (
        "post",
        lambda w: {"pk": w.application.pk},
        {**members_only(), "applicant": Redirect("applications:review")},
    ),
    "applications:invite": ("get", lambda w: {"pk": w.application.pk}, members_only()),
    "applications:file": ("get", lambda w: {"pk": w.application.pk}, members_only()),
    "applications:interview": ("get", lambda w: {"pk": w.application.pk}, members_only()),
    "applications:interview_cancel": (
        "get",
        lambda w: {"pk": w.application.pk},
        members_only(),
    ),
    # staff
    "staff:applications": ("get", lambda w: {}, staff_only()),
    "staff:application": ("get", lambda w: {"pk": w.application.pk}, need_to_know()),
    "staff:file": ("get", lambda w: {"pk": w.application.pk}, need_to_know()),
    "staff:interview_manage": ("get", lambda w: {"pk": w.application.pk}, need_to_know()),
    "staff:interviews": ("get", lambda w: {}, staff_only()),
    "staff:slots_new": ("get", lambda w: {}, staff_only()),
    # POST only; the slot is booked, so staff are sent back to the calendar with a message
    "staff:slot_delete": (
        "post",
        lambda w: {"pk": w.interview.slot_id},
        staff_post("staff:interviews"),
    ),
    "staff:interviews_unbooked": ("get", lambda w: {}, staff_only()),
    "staff:interview": ("get", lambda w: {"pk": w.interview.pk}, need_to_know()),
    "staff:calendar_feed": ("get", lambda w: {}, staff_only()),
    # Every signed-in person's calendar address page, and the address for their calendar
    # program: the secret token is the permission.
    "calendar_settings": ("get", lambda w: {}, signed_in(OK)),
    "calendar_feed": ("get", lambda w: {"token": w.feed.token}, everyone(OK)),
    # scoring: a staff member assigned to the application (the reviewer here) declares
    # conflicts and scores; staff not assigned get 403
    "staff:my_reviews": ("get", lambda w: {}, staff_only()),
    "staff:score": (
        "get",
        lambda w: {"pk": w.application.pk},
        # the assigned reviewer only (coordinators do not score)
        {**need_to_know(), "coordinator": FORBIDDEN},
    ),
    # selection: coordinators only
    "staff:assignments": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "staff:ranking": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "staff:release": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "staff:history": (
        "get",
        lambda w: {"pk": w.application.pk},
        {**coordinator_only(), "conflicted_coordinator": FORBIDDEN},
    ),
    # POST only: from the ranking board, back to it with a message; the conflicted
    # coordinator is refused (it is an action on that application)
    "staff:commitment_resend": (
        "post",
        lambda w: {"pk": w.application.pk},
        {**coordinator_post("staff:ranking"), "conflicted_coordinator": FORBIDDEN},
    ),
    "staff:mark": (
        "post",
        lambda w: {"pk": w.application.pk},
        coordinator_post("staff:ranking"),
    ),
    # the team of a selected organisation: its members only; a member of one team is sent on
    # to it, and another team of the cohort does not exist for them
    "team:home": (
        "get",
        lambda w: {},
        {
            **signed_in(OK),
            "applicant": Redirect("team:detail"),
            "team_member": Redirect("team:detail"),
            "other_team_member": Redirect("team:detail"),
        },
    ),
    "team:detail": (
        "get",
        lambda w: {"pk": w.team.pk},
        {**signed_in(NOT_FOUND), "applicant": OK, "team_member": OK},
    ),
    # addressed by its unguessable token, like the application invitation
    "team:join": (
        "get",
        lambda w: {"token": w.membership.token},
        signed_in(OK),
    ),
    # the outbox: coordinators only (POST: sent again, back to the list)
    "outbox:list": ("get", lambda w: {}, coordinator_only()),
    "outbox:resend": (
        "post",
        lambda w: {"pk": OutgoingEmail.objects.order_by("pk").first().pk},
        coordinator_post("outbox:list"),
    ),
    "outbox:resend_failed": (
        "post",
        lambda w: {},
        coordinator_post("outbox:list"),
    ),
    # staff accounts: coordinators only; the reset of a second factor asks first (GET)
    "staff_accounts:list": ("get", lambda w: {}, coordinator_only()),
    "staff_accounts:mfa_reset": ("get", lambda w: {"pk": w.feed.user_id}, coordinator_only()),
    # cohort management: coordinators only
    "cohorts:list": ("get", lambda w: {}, coordinator_only()),
    "cohorts:create": ("get", lambda w: {}, coordinator_only()),
    "cohorts:edit": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    # the programme's pages: their rows live beside their tests
    **PROGRAMME_TEAM_ROWS,
    **PROGRAMME_STAFF_ROWS,
    **SPARRING_ROWS,
    **BOOK_ROWS,
    **DELIVERABLES_STAFF_ROWS,
    **PEER_ROWS,
    **DELIVERABLES_TEAM_ROWS,
    **FOLLOWUP_ROWS,
    **PRIVACY_ROWS,
    **EXPORT_ROWS,
}

# Left out of the table on purpose, by explicit prefix:
EXCLUDED_PREFIXES = (
    # Django's admin (namespace "admin"): it checks is_staff itself and its login is
    # wrapped with allauth's secure_admin_login; see test_admin_sends_anonymous_to_allauth_login.
    "admin/",
    # allauth's own account pages (login, signup, password reset, …): allauth's
    # responsibility, public by design; see test_allauth_login_page_is_public.
    "accounts/",
)


def walk(patterns, prefix="", namespace=None):
    """Every (route, qualified name) of the URL tree, namespaces included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(pattern.pattern), name


def project_patterns():
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith(EXCLUDED_PREFIXES)
    ]


def test_every_url_pattern_has_an_expected_access_entry():
    patterns = project_patterns()
    unnamed = [route for route, name in patterns if not name]
    assert unnamed == [], "give these patterns a name and an ACCESS entry"
    names = {name for _route, name in patterns}
    assert sorted(names - ACCESS.keys()) == [], "add these patterns to ACCESS"
    assert sorted(ACCESS.keys() - names) == [], "these ACCESS entries match no pattern"
    for entry in ACCESS.values():
        assert set(entry[2]) == set(PERSONAS)


def test_the_walk_sees_the_excluded_apps_so_the_exclusion_is_not_vacuous():
    routes = [route for route, _name in walk(get_resolver().url_patterns)]
    assert any(route.startswith("admin/") for route in routes)
    assert "accounts/login/" in routes


def test_only_the_listed_public_pages_are_open_to_anonymous_visitors():
    public = sorted(name for name, (_m, _k, table) in ACCESS.items() if table["anonymous"] != LOGIN)
    assert public == [
        "accessibility",
        "applications:commitment",
        "calendar_feed",
        "cohorts:call",
        "cohorts:home",
        "followup:answer",
        "healthz",
        "privacy",
        "set_language",
    ]


def test_a_staff_member_without_a_second_factor_opens_only_public_pages():
    """Every page that needs signing in sends them to set up the app; the table may not
    say otherwise for any row (a hand-written row would have to give a reason here)."""
    opened = sorted(
        name
        for name, (_m, _k, table) in ACCESS.items()
        if table["anonymous"] == LOGIN and table["staff_without_mfa"] != MFA_SETUP
    )
    assert opened == []


# --- the world the table is checked in --------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Five personas per test: hashing their passwords properly would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    cohort: object
    application: Application
    other_application: Application
    invite: ApplicationInvite
    interview: Interview
    feed: CalendarFeed
    team: object
    membership: object
    other_team: object
    programme: object
    deliverables: object
    export: object


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Application._meta.get_field("strategy_file"), "storage", storage)
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(SubmissionFile._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Feedback._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(ResultsBook._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def team_member(db):
    return UserFactory(email="tiina.team@example.org")


@pytest.fixture
def other_team_member(db):
    return UserFactory(email="olli.other-team@example.org")


@pytest.fixture
def team_member_client(team_member):
    return client_for(team_member)


@pytest.fixture
def other_team_member_client(other_team_member):
    return client_for(other_team_member)


def _joined(team, user, name):
    return TeamMembership.objects.create(
        team=team,
        name=name,
        email=user.email,
        user=user,
        token=uuid.uuid4(),
        invited_at=clock.now(),
        joined_at=clock.now(),
    )


@pytest.fixture
def world(
    cohort,
    coordinator,
    applicant,
    other_applicant,
    reviewer,
    team_member,
    other_team_member,
    conflicted_coordinator,
    private_storage,
):
    """The applicant's submitted application with a stored document, a pending invitation
    and a booked interview; the other applicant's draft of another organisation; the
    reviewer's calendar feed; the selected organisation's team, which the applicant and the
    team member joined, and another team of the cohort with the other team's member."""
    application = ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)
    application.strategy_file.save("strategia.pdf", ContentFile(PDF), save=False)
    application.strategy_file_name = "strategia.pdf"
    application.save()
    services.application_submit(
        application=application,
        actor=applicant,
        at=clock.now(),
        submit_token="access-1",
        consent=True,
    )
    invite = services.application_invite(
        application=application, email="colleague@example.org", actor=applicant, at=clock.now()
    )
    other = ApplicationFactory(cohort=cohort, created_by=other_applicant, complete=True)
    slot = InterviewSlot.objects.create(
        cohort=cohort, starts_at=clock.now() + timedelta(days=3), created_at=clock.now()
    )
    slot.interviewers.add(reviewer)
    interview = Interview.objects.create(
        application=application, slot=slot, booked_by=applicant, booked_at=clock.now()
    )
    feed = feed_create(user=reviewer)
    scoring.assign(application=application, reviewers=[reviewer], actor=reviewer)
    ReviewAssignment.objects.create(
        application=application, reviewer=conflicted_coordinator, assigned_by=coordinator,
        assigned_at=clock.now(), conflict=True, declared_at=clock.now(),
    )  # fmt: skip
    application.refresh_from_db()
    team = Team.objects.create(
        cohort=cohort,
        organisation=application.organisation,
        track=application.track,
        created_at=clock.now(),
    )
    application.team_record = team
    application.save(update_fields=["team_record"])
    membership = TeamMembership.objects.create(
        team=team,
        name="Alice",
        email=applicant.email,
        user=applicant,
        token=uuid.uuid4(),
        invited_at=clock.now(),
        joined_at=clock.now(),
    )
    _joined(team, team_member, "Tiina")
    other_team = Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(name=other.org_name, business_id="7654321-0"),
        track=other.track,
        created_at=clock.now(),
    )
    other.team_record = other_team
    other.save(update_fields=["team_record"])
    _joined(other_team, other_team_member, "Olli")
    return World(
        cohort=cohort,
        application=application,
        other_application=other,
        invite=invite,
        interview=interview,
        feed=feed,
        team=team,
        membership=membership,
        other_team=other_team,
        programme=programme_world(cohort, team, other_team, coordinator),
        deliverables=deliverables_world(
            cohort, team, other_team, coordinator, team_member, other_team_member
        ),
        export=_export_of(coordinator, cohort),
    )


def _export_of(owner, cohort):
    """A finished spreadsheet the coordinator asked for."""
    export = Export.objects.create(
        kind="applications.reviews", params={"cohort": cohort.pk}, title="Arviot",
        language="fi", created_by=owner, created_at=clock.now(), state=ExportState.DONE,
        filename="arviot.xlsx", finished_at=clock.now(),
    )  # fmt: skip
    export.file.save("arviot.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return export


CLIENT_FIXTURES = {
    "anonymous": "anonymous",
    "applicant": "applicant_client",
    "other_applicant": "other_client",
    "reviewer": "reviewer_client",
    "coordinator": "coordinator_client",
    "team_member": "team_member_client",
    "other_team_member": "other_team_member_client",
    "unassigned_reviewer": "unassigned_reviewer_client",
    "conflicted_coordinator": "conflicted_coordinator_client",
    "staff_without_mfa": "staff_without_mfa_client",
}


def outcome_of(response, path):
    if response.status_code == 302:
        location = response["Location"]
        if location == redirect_to_login(path)["Location"]:
            return LOGIN
        return Redirect(resolve(urlsplit(location).path).view_name)
    return response.status_code


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access_matches_the_table(name, world, request):
    method, kwargs, expected = ACCESS[name]
    path = reverse(name, kwargs=kwargs(world))
    observed = {}
    for persona in PERSONAS:
        client = request.getfixturevalue(CLIENT_FIXTURES[persona])
        response = getattr(client, method)(path)
        observed[persona] = outcome_of(response, path)
    assert observed == expected


# --- the rules the table encodes, spelled out ----------------------------------------------


def test_anonymous_is_sent_to_login_and_back_to_the_page(world, anonymous):
    path = reverse("applications:review", args=[world.application.pk])
    response = anonymous.get(path)
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/accounts/login/?next=/applications/{world.application.pk}/review/"
    )


def test_another_organisations_application_and_its_document_are_404(world, other_client):
    pk = world.application.pk
    for path in (
        reverse("applications:step", args=[pk, "organisation"]),
        reverse("applications:review", args=[pk]),
        reverse("applications:receipt", args=[pk, 1]),
        reverse("applications:invite", args=[pk]),
        reverse("applications:withdraw", args=[pk]),
        reverse("applications:file", args=[pk]),
    ):
        assert other_client.get(path).status_code == 404, path
    assert other_client.post(reverse("applications:withdraw", args=[pk])).status_code == 404
    world.application.refresh_from_db()
    assert world.application.status == "submitted"


def test_applicant_on_a_staff_page_gets_403(world, applicant_client):
    assert applicant_client.get(reverse("staff:applications")).status_code == 403
    assert (
        applicant_client.get(reverse("staff:file", args=[world.application.pk])).status_code == 403
    )


def test_reviewer_sees_in_the_staff_list_only_what_they_need_and_cannot_manage_cohorts(
    world, reviewer_client
):
    """The world's reviewer holds the applicant's interview (and is assigned to it without a
    declaration yet): the other applicant's application is not theirs to read."""
    response = reviewer_client.get(reverse("staff:applications"))
    assert response.status_code == 200
    assert {a.pk for a in response.context["applications"]} == {world.application.pk}
    assert reviewer_client.get(reverse("cohorts:list")).status_code == 403
    assert reviewer_client.post(reverse("cohorts:create"), {"name": "X"}).status_code == 403


def test_coordinator_manages_cohorts(world, coordinator_client):
    response = coordinator_client.get(reverse("cohorts:list"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cohorts"]] == [world.cohort.pk]


def test_admin_sends_anonymous_to_allauth_login(anonymous):
    response = anonymous.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert response.status_code == 200
    assert response.resolver_match.url_name == "account_login"


def test_allauth_login_page_is_public(anonymous):
    response = anonymous.get(reverse("account_login"))
    assert response.status_code == 200


def test_a_team_member_sees_their_team_and_not_the_application(world, team_member_client):
    response = team_member_client.get(reverse("team:detail", args=[world.team.pk]))
    assert response.status_code == 200
    assert response.context["team"] == world.team
    assert {m.name for m in response.context["members"]} == {"Alice", "Tiina"}
    assert team_member_client.get(reverse("team:home"))["Location"] == reverse(
        "team:detail", args=[world.team.pk]
    )
    review = reverse("applications:review", args=[world.application.pk])
    assert team_member_client.get(review).status_code == 404


def test_another_teams_member_gets_404_on_the_team_pages(world, other_team_member_client):
    assert (
        other_team_member_client.get(reverse("team:detail", args=[world.team.pk])).status_code
        == 404
    )
    assert other_team_member_client.get(reverse("team:home"))["Location"] == reverse(
        "team:detail", args=[world.other_team.pk]
    )


def test_an_inactive_team_is_404_for_its_own_members(world, applicant_client):
    world.team.active = False
    world.team.save(update_fields=["active"])
    assert applicant_client.get(reverse("team:detail", args=[world.team.pk])).status_code == 404


def test_a_superuser_without_a_role_is_no_coordinator(db, cohort):
    """The admin site's superuser reaches the staff pages only through the staff roles,
    as before the permissions were declared with rules."""
    boss = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    client = client_for(boss)
    assert client.get(reverse("staff:applications")).status_code == 403
    assert client.get(reverse("cohorts:list")).status_code == 403
    assert client.get(reverse("cohorts:edit", args=[cohort.pk])).status_code == 403
