"""Each point of a cohort's score scale has its own words, editable per cohort, frozen with
the scale; the scoring page and the interview guide show them."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import Review
from soske.users.models import Role
from tests.applications.test_scoring import (
    _interview,
    assigned,
    cohort_edit_data,
    messages_of,
    scored,
    staff,
    submitted_application,
)
from tests.conftest import client_for
from tests.factories import CohortFactory

DEFAULTS = {
    "fi": ["ei näyttöä", "heikko", "välttävä", "kohtalainen", "hyvä", "erinomainen"],
    "sv": ["inga belägg", "svag", "försvarlig", "nöjaktig", "god", "utmärkt"],
    "en": ["no evidence", "weak", "passable", "fair", "good", "excellent"],
}


@pytest.fixture
def coordinator(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


def with_labels(cohort, **labels):
    """The edit page's post with the labels by field name (score_label_<value>_<lang>)."""
    return cohort_edit_data(cohort, **labels)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_point_of_the_default_scale_has_its_own_words(db, language):
    cohort = CohortFactory()
    with translation.override(language):
        scale = cohort.score_scale
    assert scale == [(v, f"{v} – {word}") for v, word in enumerate(DEFAULTS[language])]
    assert len({label for _v, label in scale}) == 6


def test_the_coordinator_edits_the_words_of_a_point(coordinator):
    cohort = CohortFactory()
    url = reverse("cohorts:edit", args=[cohort.pk])
    client = client_for(coordinator)
    page = client.get(url)
    field = page.context["form"]["score_label_0_fi"]
    assert field.initial == "ei näyttöä"
    assert 'lang="sv"' in str(page.context["form"]["score_label_0_sv"])

    response = client.post(
        url, with_labels(cohort, score_label_2_fi="riittävä", score_label_2_sv="tillräcklig")
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.score_labels["2"] == {"fi": "riittävä", "sv": "tillräcklig", "en": "passable"}
    with translation.override("fi"):
        assert cohort.score_label(2) == "2 – riittävä"
    with translation.override("sv"):
        assert cohort.score_label(2) == "2 – tillräcklig"
    with translation.override("en"):
        assert cohort.score_label(2) == "2 – passable"


def test_an_empty_word_falls_back_to_finnish_then_to_the_default(db):
    cohort = CohortFactory(score_labels={"1": {"fi": "heikonlainen", "sv": "", "en": ""}})
    with translation.override("sv"):
        assert cohort.score_label(1) == "1 – heikonlainen"
        assert cohort.score_label(4) == "4 – god"


def test_a_word_with_a_line_break_is_refused(coordinator):
    cohort = CohortFactory()
    response = client_for(coordinator).post(
        reverse("cohorts:edit", args=[cohort.pk]), with_labels(cohort, score_label_3_fi="a\nb")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["score_label_3_fi"] == [
        "Write this on one line, without line breaks."
    ]
    cohort.refresh_from_db()
    assert cohort.score_labels == {}


def test_the_scoring_page_and_the_interview_guide_show_the_cohorts_words(coordinator):
    cohort = CohortFactory(
        score_labels={"3": {"fi": "kelvollinen", "sv": "duglig", "en": "decent"}}
    )
    reviewer = staff("eero.reviewer@example.org")  # English
    application = submitted_application(cohort, org_name="Sanala")
    assigned(application, reviewer)
    interview = _interview(application)

    page = client_for(reviewer).get(reverse("staff:score", args=[application.pk]))
    criterion = cohort.criteria.first()
    choices = page.context["form"].fields[f"score_{criterion.pk}"].choices
    assert [label for _v, label in choices][1:] == [
        "0 – no evidence",
        "1 – weak",
        "2 – passable",
        "3 – decent",
        "4 – good",
        "5 – excellent",
    ]
    assert "<li>3 – decent</li>" in page.content.decode()

    guide = client_for(coordinator).get(reverse("staff:interview", args=[interview.pk]))
    assert guide.status_code == 200
    content = guide.content.decode()
    assert "<li>3 – decent</li>" in content
    assert "<li>0 – no evidence</li>" in content


def test_the_words_freeze_with_the_scale_when_scoring_starts(coordinator):
    cohort = CohortFactory()
    application = submitted_application(cohort, org_name="Jäätylä")
    scored(application, staff("eero.reviewer@example.org"), [5, 4, 3, 2])
    assert Review.objects.filter(state=Review.State.SUBMITTED).exists()
    cohort.refresh_from_db()
    url = reverse("cohorts:edit", args=[cohort.pk])
    client = client_for(coordinator)
    page = client.get(url)
    assert page.context["form"].fields["score_label_3_fi"].disabled

    response = client.post(url, with_labels(cohort, score_label_3_fi="muu"), follow=True)
    assert messages_of(response) == ["The cohort was saved."]
    cohort.refresh_from_db()
    with translation.override("fi"):
        assert cohort.score_label(3) == "3 – kohtalainen"
