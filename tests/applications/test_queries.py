"""List pages make as many queries with 200 rows as with one."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationMember, Status, TeamMember, TeamRole
from cohorts.models import Cohort, OrganisationType, Track
from soske import clock
from tests.factories import CohortFactory

MANY = 200


def _applications(cohort, owner, count, *, start=0):
    """`count` applications in `cohort`, in every status, each with a team, in two queries."""
    now = clock.now()
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN]
    applications = Application.objects.bulk_create(
        [
            Application(
                cohort=cohort,
                created_by=owner,
                created_at=now - timedelta(minutes=i),
                updated_at=now - timedelta(minutes=i),
                status=statuses[i % 3],
                submitted_at=now if statuses[i % 3] == Status.SUBMITTED else None,
                version=1 if statuses[i % 3] == Status.SUBMITTED else 0,
                commitment_requested_at=now if i % 2 else None,
                commitment_confirmed_at=now if i % 4 == 1 else None,
                org_name=f"Kunta {i}",
                org_type=OrganisationType.MUNICIPALITY if i % 2 else OrganisationType.OTHER,
                track=Track.EMPLOYMENT if i % 2 else Track.HUMAN_RIGHTS,
                contact_email=owner.email,
            )
            for i in range(start, start + count)
        ]
    )
    ApplicationMember.objects.bulk_create(
        [
            ApplicationMember(
                application=a, user=owner, role=ApplicationMember.Role.OWNER, added_at=now
            )
            for a in applications
        ]
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(application=a, name=f"Jäsen {a.pk}", role=TeamRole.PROCUREMENT)
            for a in applications
        ]
    )
    return applications


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_staff_list_queries_do_not_grow_with_applications(coordinator_client, cohort, applicant):
    url = reverse("staff:applications")
    _applications(cohort, applicant, 1)
    coordinator_client.get(url)  # warm caches (content types, session) outside the count
    one, response = _count(coordinator_client, url)
    assert response.context["shown"] == 1

    _applications(cohort, applicant, MANY - 1, start=1)
    many, response = _count(coordinator_client, url)
    assert response.context["shown"] == MANY
    # A page shows PAGE_SIZE rows; the rest are a page link away.
    from applications.staff import PAGE_SIZE

    assert len(response.context["applications"]) == min(MANY, PAGE_SIZE)
    assert response.context["page"].paginator.num_pages == -(-MANY // PAGE_SIZE)
    assert many == one
    last, response = _count(coordinator_client, url + f"?page={-(-MANY // PAGE_SIZE)}")
    assert len(response.context["applications"]) == MANY - PAGE_SIZE * (-(-MANY // PAGE_SIZE) - 1)
    assert last == one


def test_staff_list_with_filters_queries_do_not_grow(coordinator_client, cohort, applicant):
    url = reverse("staff:applications") + f"?cohort={cohort.pk}&status=submitted&q=Kunta"
    _applications(cohort, applicant, 3)
    coordinator_client.get(url)
    one, response = _count(coordinator_client, url)
    assert response.context["shown"] == 1

    _applications(cohort, applicant, MANY - 3, start=3)
    many, response = _count(coordinator_client, url)
    assert (
        response.context["shown"]
        == Application.objects.filter(cohort=cohort, status=Status.SUBMITTED).count()
    )
    assert many == one


def test_my_applications_queries_do_not_grow(applicant_client, applicant):
    url = reverse("applications:mine")
    cohorts = [CohortFactory() for _ in range(3)]
    _applications(cohorts[0], applicant, 1)
    applicant_client.get(url)
    one, response = _count(applicant_client, url)
    assert len(response.context["applications"]) == 1

    for index, cohort in enumerate(cohorts):
        _applications(cohort, applicant, 40, start=1 + index * 40)
    many, response = _count(applicant_client, url)
    assert len(response.context["applications"]) == 121
    assert many == one


def test_my_applications_shows_only_mine(applicant_client, applicant, other_applicant, cohort):
    _applications(cohort, other_applicant, 5)
    mine = _applications(cohort, applicant, 2, start=5)
    _count_result, response = _count(applicant_client, reverse("applications:mine"))
    assert {a.pk for a in response.context["applications"]} == {a.pk for a in mine}


def test_cohort_list_queries_do_not_grow(coordinator_client, applicant):
    url = reverse("cohorts:list")
    first = CohortFactory()
    _applications(first, applicant, 3)
    coordinator_client.get(url)
    one, response = _count(coordinator_client, url)
    assert len(response.context["cohorts"]) == 1

    for _ in range(24):
        _applications(CohortFactory(), applicant, 8)
    many, response = _count(coordinator_client, url)
    cohorts = list(response.context["cohorts"])
    assert len(cohorts) == Cohort.objects.count() == 25
    assert many == one
    # The counts shown are the real ones.
    listed = {c.pk: (c.figure_submitted, c.figure_drafts) for c in cohorts}
    assert listed[first.pk] == (1, 1)


def test_team_step_reads_the_members_once_however_many(applicant_client, draft):
    """The formset and the recommended roles share one query of the members (issue 13)."""
    url = reverse("applications:step", args=[draft.pk, "team"])
    TeamMember.objects.create(application=draft, name="Yksi", role=TeamRole.PROCUREMENT)
    applicant_client.get(url)
    one, response = _count(applicant_client, url)
    assert len(response.context["form"].forms) == 2  # the member and a blank one
    TeamMember.objects.bulk_create(
        TeamMember(application=draft, name=f"Jäsen {i}", role=TeamRole.FINANCE) for i in range(9)
    )
    with CaptureQueriesContext(connection) as queries:
        response = applicant_client.get(url)
    assert len(response.context["form"].forms) == 11
    assert len(queries) == one
    member_reads = [q for q in queries if 'FROM "applications_teammember"' in q["sql"]]
    assert len(member_reads) == 1
