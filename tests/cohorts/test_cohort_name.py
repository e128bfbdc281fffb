"""A cohort's name in Finnish, Swedish and English; a missing one falls back to Finnish and
is marked as Finnish on the page. Mail names the cohort in the recipient's language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications import services
from cohorts.models import Cohort
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, CohortFactory, UserFactory, fill_complete

from .test_cohort_management import cohort_post_data


@pytest.fixture
def named(db):
    return CohortFactory(
        name="Soske-akatemia 2031", name_sv="Soske-akademin 2031", name_en="Soske academy 2031"
    )


@pytest.fixture
def finnish_only(db):
    return CohortFactory(name="Soske-akatemia 2032")


def call_page(client, cohort, language) -> str:
    client.cookies["soske_language"] = language
    return client.get(reverse("cohorts:call", args=[cohort.slug])).content.decode()


def title(page) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_the_name_is_given_in_the_readers_language_else_in_finnish(named, finnish_only):
    for language, name in (
        ("fi", "Soske-akatemia 2031"),
        ("sv", "Soske-akademin 2031"),
        ("en", "Soske academy 2031"),
    ):
        with translation.override(language):
            assert named.localized_name == name
            assert str(named) == name
            assert named.name_html == name
    with translation.override("sv"):
        assert finnish_only.localized_name == "Soske-akatemia 2032"
        assert finnish_only.name_html == '<span lang="fi">Soske-akatemia 2032</span>'
    with translation.override("fi"):
        assert finnish_only.name_html == "Soske-akatemia 2032"


def test_the_call_page_names_the_cohort_in_the_page_language(anonymous, named, finnish_only):
    page = call_page(anonymous, named, "sv")
    assert '<p class="lead">Soske-akademin 2031</p>' in page
    assert title(page).startswith("Soske-akademin 2031")
    assert "Soske-akatemia 2031" not in page
    page = call_page(anonymous, named, "en")
    assert '<p class="lead">Soske academy 2031</p>' in page

    page = call_page(anonymous, finnish_only, "sv")
    assert '<p class="lead"><span lang="fi">Soske-akatemia 2032</span></p>' in page
    # A page title is plain text: no markup in it.
    assert title(page).startswith("Soske-akatemia 2032")


def test_the_coordinator_gives_the_name_in_three_languages(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"),
        cohort_post_data(name_sv="Soske-akademin 2031", name_en="Soske academy 2031"),
    )
    cohort = Cohort.objects.get(slug="soske-2031")
    assert response["Location"] == reverse("cohorts:edit", args=[cohort.pk])
    assert (cohort.name, cohort.name_sv, cohort.name_en) == (
        "Soske 2031",
        "Soske-akademin 2031",
        "Soske academy 2031",
    )
    page = coordinator_client.get(reverse("cohorts:edit", args=[cohort.pk])).content.decode()
    for name, language in (("name", "fi"), ("name_sv", "sv"), ("name_en", "en")):
        assert re.search(rf'<input [^>]*lang="{language}"[^>]*name="{name}"', page) or re.search(
            rf'<input [^>]*name="{name}"[^>]*lang="{language}"', page
        )


def test_the_swedish_and_english_names_are_optional(coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post_data())
    cohort = Cohort.objects.get(slug="soske-2031")
    assert (cohort.name, cohort.name_sv, cohort.name_en) == ("Soske 2031", "", "")


def test_mail_names_the_cohort_in_the_recipients_language(named):
    for language, name in (("sv", "Soske-akademin 2031"), ("fi", "Soske-akatemia 2031")):
        owner = UserFactory(language=language)
        application = ApplicationFactory(cohort=named, created_by=owner)
        fill_complete(application)
        with translation.override("en"):  # whatever the page's language was
            version = services.application_submit(
                application=application,
                actor=owner,
                at=clock.now(),
                submit_token=f"name-{language}",
                consent=True,
            )
        mail = OutgoingEmail.objects.get(key=f"application-receipt:{version.pk}:{owner.email}")
        assert name in mail.body_text.splitlines()[0]
        assert "Soske academy 2031" not in mail.body_text
