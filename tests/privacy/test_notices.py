"""The cohort's retention period is editable; the privacy notice and the accessibility
statement say what the code does."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from tests.cohorts.test_cohort_management import cohort_post_data

pytestmark = pytest.mark.django_db


def test_a_new_cohort_gets_the_default_retention_period(coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data())
    assert Cohort.objects.get(slug="soske-2031").retention_months == 12


def test_the_coordinator_sets_the_retention_period(coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data(retention_months="18"))
    assert Cohort.objects.get(slug="soske-2031").retention_months == 18


def test_a_retention_period_out_of_range_is_refused_and_input_kept(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"), cohort_post_data(retention_months="0", name="Soske X")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["retention_months"] == [
        "Tämän luvun on oltava vähintään 1."
    ]
    assert 'value="Soske X"' in response.content.decode()
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["oletuksena 12 kuukautta", "24 kuukauteen", "Omat tiedot", "pseudonyymi"]),
        ("sv", ["som standard 12 månader", "under 24 månader", "Mina uppgifter", "pseudonym"]),
        ("en", ["by default 12 months", "for 24 months", "My data", "pseudonym"]),
    ],
)
def test_the_privacy_notice_names_the_periods_the_code_applies(anonymous, language, words):
    anonymous.cookies["soske_language"] = language
    content = anonymous.get(reverse("privacy")).content.decode()
    for word in words:
        assert word in content
    assert reverse("privacy:my_data") in content


def test_the_privacy_notice_follows_the_account_setting(anonymous, settings):
    settings.PRIVACY_ACCOUNT_RETENTION_MONTHS = 36
    anonymous.cookies["soske_language"] = "en"
    assert "for 36 months" in anonymous.get(reverse("privacy")).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["osittain", "Tiedossa olevat puutteet", "14 päivän", "Traficom", "2.12.2026"]),
        ("sv", ["delvis", "Kända brister", "14 dagar", "Traficom", "2 december 2026"]),
        ("en", ["partially", "Known shortcomings", "14 days", "Traficom", "2 December 2026"]),
    ],
)
def test_the_accessibility_statement_has_what_the_law_asks(anonymous, language, words):
    anonymous.cookies["soske_language"] = language
    content = anonymous.get(reverse("accessibility")).content.decode()
    for word in words:
        assert word in content
    assert "soske@motiva.example" in content


def test_the_cohort_list_leads_to_the_personal_data_pages(coordinator_client):
    content = coordinator_client.get(reverse("cohorts:list")).content.decode()
    assert reverse("privacy_staff:retention") in content
    assert reverse("privacy_staff:erase_search") in content


def test_every_signed_in_person_finds_my_data_in_the_menu(applicant_client):
    content = applicant_client.get(reverse("applications:mine")).content.decode()
    assert f'href="{reverse("privacy:my_data")}"' in content


def test_staff_find_my_data_in_the_footer(coordinator_client):
    content = coordinator_client.get(reverse("cohorts:list")).content.decode()
    footer = content[content.index("<footer") :]
    assert f'href="{reverse("privacy:my_data")}"' in footer


def test_an_empty_retention_field_keeps_the_cohorts_period(coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data(retention_months="18"))
    cohort = Cohort.objects.get(slug="soske-2031")
    page = coordinator_client.get(reverse("cohorts:edit", args=[cohort.pk]))
    assert page.context["form"]["retention_months"].value() == 18
    assert "Säilytysaika (kuukausina)" in page.content.decode()
