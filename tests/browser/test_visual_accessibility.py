"""What axe does not measure: non-text contrast (1.4.11), focus visible (2.4.7), reflow (1.4.10).

The computed styles are read in Chromium and the contrast ratio is worked out here from the
RGB values, the WCAG way (relative luminance).
"""

import re

import pytest

from applications import scoring
from soske.users.models import Role
from tests.factories import ApplicationFactory, CohortFactory

from .conftest import set_language_cookie, sign_in
from .test_accessibility import person, submitted_application

pytestmark = pytest.mark.browser


def rgb(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def luminance(color) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def over(color, background):
    """A translucent colour painted over an opaque background."""
    alpha = color[3]
    return tuple(
        alpha * c + (1 - alpha) * b for c, b in zip(color[:3], background[:3], strict=True)
    )


def contrast(foreground: str, background: str = "rgb(255, 255, 255)") -> float:
    back = rgb(background)
    front = over(rgb(foreground), back)
    lighter, darker = sorted((luminance(front), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_of_bootstraps_border_is_what_the_issue_says():
    assert round(contrast("rgb(222, 226, 230)"), 2) == 1.3


STYLE_JS = """(selector) => {
  const el = document.querySelector(selector);
  const s = getComputedStyle(el);
  return {border: s.borderTopColor, outlineColor: s.outlineColor,
          outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth};
}"""


def focus_style(page, selector):
    page.locator(selector).first.focus()
    return page.evaluate(STYLE_JS, selector)


def assert_focus_visible(page, selector, *, keyboard=False):
    if keyboard:
        # Tab onto the element: :focus-visible as a keyboard user gets it.
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        style = page.evaluate(STYLE_JS, selector)
    else:
        style = focus_style(page, selector)
    assert style["outlineStyle"] != "none", (selector, style)
    assert float(style["outlineWidth"].removesuffix("px")) >= 2, (selector, style)
    assert contrast(style["outlineColor"]) >= 3, (selector, style)


def test_borders_and_focus_reach_3_to_1_on_the_application_form(page, context, live_server):
    cohort = CohortFactory()
    applicant = person("alice@example.org", "fi", Role.APPLICANT)
    draft = ApplicationFactory(cohort=cohort, created_by=applicant)
    sign_in(context, live_server, applicant)

    page.goto(f"/applications/{draft.pk}/step/organisation/")
    text_field = page.evaluate(STYLE_JS, "#id_org_name")
    assert contrast(text_field["border"]) >= 3, text_field
    select = page.evaluate(STYLE_JS, "#id_org_type")
    assert contrast(select["border"]) >= 3, select
    assert_focus_visible(page, "#id_org_name")
    assert_focus_visible(page, "button[value=next]", keyboard=True)
    assert_focus_visible(page, "button[value=stay]", keyboard=True)
    assert_focus_visible(page, "#main-nav .nav-link", keyboard=True)
    assert_focus_visible(page, "button[name=language]", keyboard=True)
    # The top bar is tinted: its focus ring and the current language's border hold 3:1 there.
    bar = page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    focused = page.evaluate(STYLE_JS, "button[name=language]")
    assert contrast(focused["outlineColor"], bar) >= 3, (focused, bar)
    current = page.evaluate(STYLE_JS, "button[name=language][aria-current]")
    assert contrast(current["border"], bar) >= 3, (current, bar)
    assert_focus_visible(page, ".topbar-signout .btn-link", keyboard=True)

    page.goto(f"/applications/{draft.pk}/step/track/")
    radio = page.evaluate(STYLE_JS, "input[type=radio][name=track]")
    assert contrast(radio["border"]) >= 3, radio
    checkbox = page.evaluate(STYLE_JS, "input[type=checkbox][name=themes]")
    assert contrast(checkbox["border"]) >= 3, checkbox
    assert_focus_visible(page, "input[type=checkbox][name=themes]", keyboard=True)
    assert_focus_visible(page, "input[type=radio][name=track]", keyboard=True)
    page.locator("input[type=checkbox][name=themes]").first.check()
    checked = page.evaluate(STYLE_JS, "input[type=checkbox][name=themes]:checked")
    assert contrast(checked["border"]) >= 3, checked


SCROLL_WIDTH_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


HEADER_JS = """() => {
  const top = (el) => Math.round(el.getBoundingClientRect().top);
  const links = [...document.querySelectorAll("#main-nav .nav-link")];
  const brand = document.querySelector(".navbar-brand").getBoundingClientRect();
  const nav = document.querySelector("#main-nav .navbar-nav").getBoundingClientRect();
  return {
    languageTops: [...document.querySelectorAll("button[name=language]")].map(top),
    linkTops: links.map(top),
    linkHeight: Math.max(...links.map((el) => el.getBoundingClientRect().height)),
    navHeight: nav.height,
    navMiddle: nav.top + nav.height / 2,
    brandTop: brand.top,
    brandBottom: brand.bottom,
    signOutTop: top(document.querySelector(".topbar-signout button")),
    collapsed: getComputedStyle(document.querySelector(".navbar-toggler")).display !== "none",
  };
}"""
ONE_LINE_JS = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return [el.textContent.trim(), lines.size];
})"""


def assert_header_is_one_row(page, language):
    header = page.evaluate(HEADER_JS)
    assert not header["collapsed"], (language, header)
    # The three language buttons side by side in the top bar, with the sign-out.
    assert len(set(header["languageTops"])) == 1, (language, header)
    assert len(header["languageTops"]) == 3, (language, header)
    assert abs(header["signOutTop"] - header["languageTops"][0]) <= 4, (language, header)
    # Every staff link on one line, the nav one link high, beside the wordmark.
    assert len(header["linkTops"]) == 6, (language, header)
    assert len(set(header["linkTops"])) == 1, (language, header)
    assert header["navHeight"] <= header["linkHeight"] + 1, (language, header)
    assert header["brandTop"] < header["navMiddle"] < header["brandBottom"], (language, header)


@pytest.mark.parametrize("language", ("fi", "sv", "en"))
def test_pages_with_tables_reflow_without_sideways_scrolling(page, context, live_server, language):
    cohort = CohortFactory()
    applicant = person("alice@example.org", language, Role.APPLICANT)
    submitted = submitted_application(
        cohort, applicant, "Pitkänimisen kaupunkikonsernin hankintakeskus"
    )
    ApplicationFactory(cohort=cohort, created_by=applicant, org_name="Luonnoslan kunta")
    coordinator = person("cecilia-coordinator@example.org", language, Role.COORDINATOR)
    scoring.assign(application=submitted, reviewers=[coordinator], actor=coordinator)
    set_language_cookie(context, live_server, language)

    sign_in(context, live_server, applicant)
    wide = []
    for width in (320, 390, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/applications/")
        scroll, viewport = page.evaluate(SCROLL_WIDTH_JS)
        if scroll != viewport:
            wide.append(("/applications/", width, scroll))
    context.clear_cookies()
    set_language_cookie(context, live_server, language)
    sign_in(context, live_server, coordinator)
    staff_pages = (
        "/staff/applications/",
        "/staff/reviews/",
        f"/staff/cohorts/{cohort.pk}/assignments/",
    )
    for width in (320, 390, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        for url in staff_pages:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            scroll, viewport = page.evaluate(SCROLL_WIDTH_JS)
            if scroll != viewport:
                wide.append((url, width, scroll))
            if url == "/staff/applications/":
                # A business ID never breaks at its hyphen, on a phone either.
                # (The draft has no business ID yet.)
                ids = [i for i in page.evaluate(ONE_LINE_JS, "td.business-id") if i[0]]
                assert ids and all(lines == 1 for _, lines in ids), (language, width, ids)
        if width == 1366:
            # The header is one row and every language button is inside the window.
            page.goto("/staff/applications/")
            assert_header_is_one_row(page, language)
            for box in page.locator("button[name=language]").all():
                right = box.bounding_box()["x"] + box.bounding_box()["width"]
                assert right <= 1366, (language, right)
    assert not wide, wide
    # The wide tables scroll in their own named, focusable region.
    for url in staff_pages:
        page.goto(url)
        for table in page.locator("main table").all():
            region = table.locator("xpath=ancestor::div[contains(@class,'table-responsive')]")
            assert region.count() == 1, url
            assert region.get_attribute("tabindex") == "0", url
            assert region.get_attribute("role") == "region", url
            assert region.get_attribute("aria-label"), url
