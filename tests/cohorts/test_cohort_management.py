from decimal import Decimal

from django.urls import reverse

from cohorts.models import Cohort
from soske import clock
from tests.factories import CohortFactory


def cohort_post_data(**overrides):
    data = {
        "name": "Soske 2031",
        "slug": "soske-2031",
        "call_opens_at": "2031-11-10T09:00",
        "deadline": "2031-12-10T16:00",
        "grace_minutes": "15",
        "interview_cutoff_hours": "48",
        "interviews_start": "2031-11-16",
        "interviews_end": "2031-12-17",
        "selection_date": "2031-12-20",
        "kickoff_date": "2032-01-20",
        "closing_date": "2032-04-06",
        "max_selected": "6",
        "score_min": "0",
        "score_max": "5",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_cohort_with_default_criteria(coordinator_client):
    response = coordinator_client.post(reverse("cohorts:create"), cohort_post_data())
    cohort = Cohort.objects.get(slug="soske-2031")
    assert response["Location"] == reverse("cohorts:edit", args=[cohort.pk])
    assert clock.helsinki(cohort.deadline).strftime("%Y-%m-%d %H:%M") == "2031-12-10 16:00"
    assert cohort.grace.total_seconds() == 15 * 60
    assert cohort.interview_change_cutoff.total_seconds() == 48 * 3600
    assert cohort.criteria.count() == 4
    assert cohort.themes.count() == 4


def test_deadline_before_opening_is_refused_and_input_kept(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"), cohort_post_data(deadline="2031-11-01T16:00")
    )
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Soske 2031"
    assert not Cohort.objects.filter(slug="soske-2031").exists()


def _edit_data(cohort, **weights):
    data = cohort_post_data(name=cohort.name, slug=cohort.slug)
    criteria = list(cohort.criteria.all())
    data.update(
        {
            "criteria-TOTAL_FORMS": str(len(criteria)),
            "criteria-INITIAL_FORMS": str(len(criteria)),
            "themes-TOTAL_FORMS": "0",
            "themes-INITIAL_FORMS": "0",
        }
    )
    for i, c in enumerate(criteria):
        for field in (
            "order",
            "key",
            "name_fi",
            "name_sv",
            "name_en",
            "description_fi",
            "description_sv",
            "description_en",
        ):
            data[f"criteria-{i}-{field}"] = getattr(c, field)
        data[f"criteria-{i}-weight"] = weights.get(c.key, c.weight)
        data[f"criteria-{i}-id"] = c.pk
        data[f"criteria-{i}-cohort"] = cohort.pk
    return data


def test_coordinator_changes_weights_before_scoring(coordinator_client, db):
    cohort = CohortFactory()
    response = coordinator_client.post(
        reverse("cohorts:edit", args=[cohort.pk]), _edit_data(cohort, will_to_develop="5.50")
    )
    assert response.status_code == 302
    assert cohort.criteria.get(key="will_to_develop").weight == Decimal("5.50")


def test_weights_are_frozen_once_scoring_started(coordinator_client, db):
    cohort = CohortFactory()
    cohort.scoring_started_at = clock.now()
    cohort.save()
    coordinator_client.post(
        reverse("cohorts:edit", args=[cohort.pk]), _edit_data(cohort, will_to_develop="9.00")
    )
    assert cohort.criteria.get(key="will_to_develop").weight == Decimal("4.00")


def test_reviewer_cannot_manage_cohorts(reviewer_client, db):
    cohort = CohortFactory()
    assert reviewer_client.get(reverse("cohorts:list")).status_code == 403
    assert reviewer_client.get(reverse("cohorts:edit", args=[cohort.pk])).status_code == 403
    assert reviewer_client.post(reverse("cohorts:create"), cohort_post_data()).status_code == 403


def test_the_cohort_list_shows_the_figures_other_apps_registered(coordinator_client, applicant):
    """cohorts knows no applications: applications registers its counts as figures."""
    from applications.models import Status
    from tests.factories import ApplicationFactory

    cohort = CohortFactory(name="Soske 2031")
    ApplicationFactory(cohort=cohort, created_by=applicant, status=Status.SUBMITTED)
    ApplicationFactory(cohort=cohort, created_by=applicant, status=Status.SUBMITTED)
    ApplicationFactory(cohort=cohort, created_by=applicant, status=Status.DRAFT)
    response = coordinator_client.get(reverse("cohorts:list"), HTTP_ACCEPT_LANGUAGE="fi")
    assert [f.key for f in response.context["figures"]] == ["submitted", "drafts"]
    (row,) = response.context["cohorts"]
    assert row.figures == [2, 1]
    content = response.content.decode()
    assert '<th scope="col">Lähetetty</th><th scope="col">Luonnokset</th>' in content
    assert "<td>2</td><td>1</td></tr>" in content


def test_the_cohort_settings_page_has_its_own_title_not_the_call_pages(cohort, coordinator):
    import re

    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(coordinator)

    def title(path):
        html = client.get(path).content.decode()
        return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()

    edit = title(reverse("cohorts:edit", args=[cohort.pk]))
    call = title(reverse("cohorts:call", args=[cohort.slug]))
    assert edit != call
    assert edit.startswith(f"Toteutuskerran {cohort.name} asetukset")
