"""Input that used to be saved although invalid now gets a clear field error (issue 11):
an over-long e-mail, invisible bidi/format controls, line breaks in single-line texts,
any text as a phone number, a cohort with no criteria and an empty review."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import scoring
from applications.models import ApplicationInvite, Review
from cohorts.models import Criterion
from soske.users.models import Role, User
from tests.applications.test_scoring import (
    assigned,
    cohort_edit_data,
    messages_of,
    staff,
    submitted_application,
)
from tests.conftest import client_for
from tests.factories import CohortFactory

SINGLE_LINE = "Write this on one line, without line breaks."
CONTROL = "Remove the invisible formatting character (such as a right-to-left mark) from this text."
PHONE = (
    "Enter a phone number of 6 to 20 digits; besides the digits only spaces, +, - and "
    "parentheses are allowed."
)


@pytest.fixture(autouse=True)
def _english(applicant):
    applicant.language = "en"
    applicant.save(update_fields=["language"])


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def long_address(length):
    domain = "@example.org"
    return "a" * (length - len(domain)) + domain


def test_an_invitation_to_an_address_longer_than_254_characters_is_refused(applicant_client, draft):
    address = long_address(311)
    response = applicant_client.post(
        reverse("applications:invite", args=[draft.pk]), {"email": address}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Ensure this value has at most 254 characters (it has 311)."
    ]
    assert response.context["form"]["email"].value() == address
    assert not ApplicationInvite.objects.exists()


def test_a_sign_up_with_an_address_longer_than_254_characters_is_refused(db, settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False
    client = Client()
    client.cookies["soske_language"] = "en"
    address = long_address(300)
    response = client.post(
        reverse("account_signup"),
        {"email": address, "password1": "Kesä-Sade-1987", "password2": "Kesä-Sade-1987"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Ensure this value has at most 254 characters (it has 300)."
    ]
    assert response.context["form"]["email"].value() == address
    assert not User.objects.filter(email__startswith="aaaa").exists()


SINGLE_LINE_FIELDS = [
    ("organisation", "org_name"),
    ("organisation", "region"),
    ("organisation", "website"),
    ("contact", "contact_name"),
    ("contact", "contact_title"),
    ("management", "manager_name"),
    ("management", "manager_title"),
    ("pilot", "pilot_subject"),
    ("pilot", "pilot_timetable"),
    ("strategy", "strategy_url"),
]


def _typed(field, text):
    return f"https://example.org/{text}" if field in ("website", "strategy_url") else f"Kunta{text}"


@pytest.mark.parametrize("control", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u061c"])
@pytest.mark.parametrize(("step", "field"), SINGLE_LINE_FIELDS)
def test_a_bidi_or_format_control_in_a_single_line_text_is_refused(
    step, field, control, applicant_client, draft
):
    typed = _typed(field, f"{control}gro.live")
    response = applicant_client.post(step_url(draft, step), {field: typed, "action": "stay"})
    assert response.status_code == 200
    assert CONTROL in response.context["form"].errors[field]
    assert response.context["form"][field].value() == typed
    draft.refresh_from_db()
    assert getattr(draft, field) == ""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028", "\x0b"])
@pytest.mark.parametrize(("step", "field"), SINGLE_LINE_FIELDS)
def test_a_line_break_in_a_single_line_text_is_refused(
    step, field, newline, applicant_client, draft
):
    typed = _typed(field, f"{newline}Kaupunki")
    response = applicant_client.post(step_url(draft, step), {field: typed, "action": "stay"})
    assert response.status_code == 200
    assert SINGLE_LINE in response.context["form"].errors[field]
    draft.refresh_from_db()
    assert getattr(draft, field) == ""


def test_line_breaks_stay_allowed_in_the_long_answers(applicant_client, draft):
    applicant_client.post(
        step_url(draft, "motivation"), {"motivation": "Yksi.\r\nKaksi.", "action": "stay"}
    )
    draft.refresh_from_db()
    assert draft.motivation == "Yksi.\r\nKaksi."


def test_a_line_break_in_a_team_members_name_is_refused(applicant_client, draft):
    data = {
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "20",
        "team-0-name": "Maija\nMeikäläinen",
        "team-0-title": "Hankinta\u202easiantuntija",
        "team-0-email": "",
        "team-0-role": "procurement",
        "action": "stay",
    }
    response = applicant_client.post(step_url(draft, "team"), data)
    assert response.status_code == 200
    errors = response.context["form"].forms[0].errors
    assert errors["name"] == [SINGLE_LINE]
    assert errors["title"] == [CONTROL]
    assert not draft.team.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "soita minulle",
        "040 123 4567 tai 050",
        "12345",
        "+358 40 123 4567 8901 2345 6",
        "040/1234567",
    ],
)
def test_any_text_as_a_phone_number_is_refused(typed, applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "contact"), {"contact_phone": typed, "action": "stay"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"] == [PHONE]
    assert response.context["form"]["contact_phone"].value() == typed
    draft.refresh_from_db()
    assert draft.contact_phone == ""


@pytest.mark.parametrize("typed", ["+358 (0)40 123-4567", "0401234567", "09 310 1691", "123456"])
def test_a_phone_number_is_stored(typed, applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "contact"), {"contact_phone": typed, "action": "stay"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.contact_phone == typed


def test_a_cohort_cannot_lose_its_last_criterion(db):
    coordinator = staff("claes.coordinator@example.org", Role.COORDINATOR)
    cohort = CohortFactory()
    data = cohort_edit_data(cohort)
    for i in range(cohort.criteria.count()):
        data[f"criteria-{i}-DELETE"] = "on"
    response = client_for(coordinator).post(reverse("cohorts:edit", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert response.context["criteria"].non_form_errors() == [
        "A cohort needs at least one selection criterion."
    ]
    assert messages_of(response) == ["The cohort was not saved. Fix the errors marked below."]
    assert cohort.criteria.count() == 4


def test_an_empty_review_can_never_be_submitted(db):
    reviewer = staff("eero.reviewer@example.org")
    cohort = CohortFactory()
    application = submitted_application(cohort, org_name="Tyhjälä")
    assigned(application, reviewer)
    Criterion.objects.filter(cohort=cohort).delete()  # e.g. through the admin

    # The service speaks the active language; English here, whichever test ran before.
    with (
        translation.override("en"),
        pytest.raises(scoring.ScoringError, match="This cohort has no selection criteria"),
    ):
        scoring.review_save(
            application=application, reviewer=reviewer, values={}, justifications={}, submit=True
        )
    response = client_for(reviewer).post(
        reverse("staff:score", args=[application.pk]), {"action": "submit"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This cohort has no selection criteria yet: there is nothing to score."
    ]
    assert messages_of(response) == ["The review was not saved. See the errors below."]
    assert not Review.objects.exists()
    cohort.refresh_from_db()
    assert cohort.scoring_started_at is None
