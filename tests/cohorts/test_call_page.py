from datetime import timedelta

from django.urls import reverse

from soske import clock
from tests.factories import CohortFactory


def test_open_call_shows_the_cohorts_dates_criteria_and_apply_button(anonymous, db):
    cohort = CohortFactory(name="Soske testikohortti")
    page = anonymous.get(reverse("cohorts:call", args=[cohort.slug])).content.decode()
    assert "Soske testikohortti" in page
    assert reverse("applications:start", args=[cohort.slug]) in page
    deadline = clock.helsinki(cohort.deadline)
    assert (
        f"{deadline.day}.{deadline.month}.{deadline.year} klo {deadline.hour}.{deadline:%M}" in page
    )
    for criterion in cohort.criteria.all():
        assert criterion.name_fi in page
    for theme in cohort.themes.all():
        assert theme.name_fi in page


def test_before_the_call_opens_no_form_is_offered(anonymous, db):
    cohort = CohortFactory(
        call_opens_at=clock.now() + timedelta(days=3), deadline=clock.now() + timedelta(days=30)
    )
    response = anonymous.get(reverse("cohorts:call", args=[cohort.slug]))
    assert response.context["phase"] == "upcoming"
    assert reverse("applications:start", args=[cohort.slug]) not in response.content.decode()


def test_after_the_call_closes_no_form_is_offered(anonymous, db):
    cohort = CohortFactory(
        call_opens_at=clock.now() - timedelta(days=30), deadline=clock.now() - timedelta(days=1)
    )
    response = anonymous.get(reverse("cohorts:call", args=[cohort.slug]))
    assert response.context["phase"] == "closed"
    assert reverse("applications:start", args=[cohort.slug]) not in response.content.decode()


def test_starting_an_application_after_the_deadline_is_refused(applicant_client, db):
    cohort = CohortFactory(
        call_opens_at=clock.now() - timedelta(days=30), deadline=clock.now() - timedelta(days=1)
    )
    response = applicant_client.post(reverse("applications:start", args=[cohort.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:call", args=[cohort.slug])
    assert cohort.applications.count() == 0


def test_home_shows_the_open_cohort(anonymous, db):
    CohortFactory(
        call_opens_at=clock.now() - timedelta(days=300),
        deadline=clock.now() - timedelta(days=200),
        name="Vanha",
    )
    CohortFactory(name="Avoin haku")
    response = anonymous.get("/")
    assert response.context["cohort"].name == "Avoin haku"


def test_call_page_in_swedish_and_english(anonymous, db):
    cohort = CohortFactory()
    for language, criterion_field in (("sv", "name_sv"), ("en", "name_en")):
        anonymous.cookies["soske_language"] = language
        page = anonymous.get(reverse("cohorts:call", args=[cohort.slug])).content.decode()
        assert f'<html lang="{language}">' in page
        assert getattr(cohort.criteria.first(), criterion_field) in page
