"""A new applicant's whole way through the call, in Finnish, in a real browser."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, ApplicationVersion, Status, TeamRole
from cohorts.models import OrganisationType, Track
from soske.mail.models import OutgoingEmail
from soske.users.models import User
from tests.factories import CohortFactory, next_business_id

from .conftest import name_re, t

pytestmark = pytest.mark.browser

EMAIL = "uusi.hakija@example.org"
PASSWORD = "Kestava-hankinta-2030!"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.M)


def verification_code(email: str) -> str:
    """The sign-up code, from the outbox row allauth's mail went into."""
    row = OutgoingEmail.objects.filter(to=email).order_by("-id").first()
    assert row is not None, "no verification mail in the outbox"
    match = CODE_RE.search(row.body_text)
    assert match, row.body_text
    return match.group(1)


def click_button(page, message: str) -> None:
    page.get_by_role("button", name=name_re(message)).click()


def test_new_applicant_signs_up_saves_a_draft_comes_back_and_submits(page):
    cohort = CohortFactory(name="Soske-akatemia 2031")
    business_id = next_business_id()

    # The call page, in Finnish by default.
    page.goto(f"/call/{cohort.slug}/")
    assert page.locator("html").get_attribute("lang") == "fi"
    click_button(page, "Apply")

    # Not signed in: the sign-in page, with a way to create an account.
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("main a[href*='/accounts/signup/']").first.click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    # The code from the e-mail verifies the address and signs the person in.
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    page.locator("input[name=code]").fill(verification_code(EMAIL))
    page.locator("main form button[type=submit]").first.click()
    # Back from the sign-up, the person starts the application they came for.
    page.wait_for_url(re.compile(r"/applications/$"))
    start = t("Start an application: %(name)s", name=cohort.name)
    page.get_by_role("button", name=start, exact=True).click()
    page.wait_for_url(re.compile(r"/applications/\d+/step/organisation/"))
    user = User.objects.get(email=EMAIL)
    assert user.emailaddress_set.get(email=EMAIL).verified
    assert user.language == "fi"
    application = Application.objects.get(members__user=user, cohort=cohort)
    assert page.locator("html").get_attribute("lang") == "fi"

    # Part of the form, saved as a draft.
    page.locator("#id_org_name").fill("Kestävälän kaupunki")
    page.locator("#id_business_id").fill(business_id)
    page.locator("#id_org_type").select_option(OrganisationType.MUNICIPALITY.value)
    click_button(page, "Save draft")
    expect(
        page.get_by_role("status").filter(
            has_text=t("Saved. You can come back and continue at any time.")
        )
    ).to_be_visible()
    application.refresh_from_db()
    assert application.org_name == "Kestävälän kaupunki"
    assert application.business_id == business_id
    assert application.status == Status.DRAFT

    # Leave, and come back through "My applications".
    page.goto("/")
    page.get_by_role("link", name=name_re("My applications")).click()
    page.wait_for_url(re.compile(r"/applications/$"))
    page.get_by_role("link", name=re.compile(re.escape(t("Open")))).click()
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/review/"))
    # The preview lists what is still missing; the first step keeps what was typed.
    assert page.locator("#error-summary").is_visible()
    page.goto(f"/applications/{application.pk}/step/organisation/")
    assert page.locator("#id_org_name").input_value() == "Kestävälän kaupunki"

    # Every step, to the end.
    page.locator("#id_region").fill("Uusimaa")
    page.locator("#id_website").fill("https://kestavala.example")
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/contact/"))
    page.locator("#id_contact_name").fill("Hilkka Hakija")
    page.locator("#id_contact_title").fill("Hankinta-asiantuntija")
    assert page.locator("#id_contact_email").input_value() == EMAIL
    page.locator("#id_contact_phone").fill("+358 40 123 4567")
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/eligibility/"))
    page.locator("#id_took_keino_academy").check()
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/track/"))
    page.locator(f"input[name=track][value={Track.EMPLOYMENT.value}]").check()
    page.locator("input[name=themes]").first.check()
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/strategy/"))
    page.locator("input[name=strategic_goal][value=yes]").check()
    page.locator("#id_strategy_text").fill("Kaupunkistrategia 2030, kestävät hankinnat")
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/motivation/"))
    page.locator("#id_motivation").fill("Haluamme johtaa hankintoja vastuullisesti.")
    page.locator("#id_development_goals").fill("Toimintamalli kestäviin hankintoihin.")
    page.locator("#id_resources").fill("Neljä henkilöä, kaksi päivää kuukaudessa.")
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/management/"))
    page.locator("#id_manager_name").fill("Johanna Johtaja")
    page.locator("#id_manager_title").fill("Hankintajohtaja")
    page.locator("#id_manager_email").fill("johtaja@kestavala.example")
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/team/"))
    page.locator("#id_team-0-name").fill("Toini Toimiala")
    page.locator("#id_team-0-role").select_option(TeamRole.LINE_OF_BUSINESS.value)
    click_button(page, "Save and add another person")
    page.wait_for_load_state()
    page.locator("#id_team-1-name").fill("Hannu Hankkija")
    page.locator("#id_team-1-email").fill("hannu@kestavala.example")
    page.locator("#id_team-1-role").select_option(TeamRole.PROCUREMENT.value)
    click_button(page, "Save and continue")

    page.wait_for_url(re.compile(r"/step/pilot/"))
    page.locator("#id_pilot_subject").fill("Siivouspalvelut")
    page.locator("#id_pilot_value").fill("250000")
    page.locator("#id_pilot_timetable").fill("Kilpailutus keväällä 2031")
    page.locator("#id_pilot_fit").fill("Työvoimavaltainen palvelu sopii työllistämiseen.")
    click_button(page, "Save and preview")

    # The preview: nothing missing; accept the privacy notice and submit.
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/review/"))
    assert page.locator("#error-summary").count() == 0
    page.locator("#id_privacy_consent").check()
    click_button(page, "Submit the application")

    # The receipt.
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/receipt/1/"))
    version = ApplicationVersion.objects.get(application=application)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.version == version.number == 1
    assert version.submitted_by == user
    assert sorted(application.team.values_list("role", flat=True)) == [
        TeamRole.LINE_OF_BUSINESS,
        TeamRole.PROCUREMENT,
    ]
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", level=1).inner_text() == t("Application received")
    local = timezone.localtime(version.submitted_at)
    with_finnish_time = f"{local.day}.{local.month}.{local.year} klo {local.hour}.{local:%M.%S}"
    expected = t(
        "Thank you. The application of %(org)s was received on %(when)s "
        "(Finnish time) as version %(number)s.",
        org="Kestävälän kaupunki",
        when=with_finnish_time,
        number=1,
    )
    assert page.get_by_role("status").inner_text().strip() == expected

    # The receipt went to the outbox (and out) in Finnish.
    receipt = OutgoingEmail.objects.get(key=f"application-receipt:{version.pk}:{EMAIL}")
    assert receipt.to == EMAIL
    assert receipt.language == "fi"
    assert receipt.status == OutgoingEmail.Status.SENT
    assert "Kestävälän kaupunki" in receipt.subject
    assert "Siivouspalvelut" in receipt.body_text
    assert [m.to for m in mail.outbox if m.subject == receipt.subject] == [[EMAIL]]
    # The manager named on the form is asked to confirm the commitment.
    assert OutgoingEmail.objects.filter(
        key=f"commitment-request:{application.pk}:johtaja@kestavala.example"
    ).exists()
