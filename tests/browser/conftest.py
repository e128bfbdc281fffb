"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for all of them; a fresh context (cookies, storage) per test. The live
server runs in a thread of this process and shares the SQLite test database
(a file) and the local-memory cache and mail outbox with the test.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LANGUAGES = ("fi", "sv", "en")
# What the customer asks for: WCAG 2.1 level A and AA.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
DUPLICATE_IDS_JS = """() => {
  const seen = new Set(), repeated = new Set();
  document.querySelectorAll("[id]").forEach((el) => {
    if (seen.has(el.id)) { repeated.add(el.id); } else { seen.add(el.id); }
  });
  return [...repeated];
}"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="package", autouse=True)
def _orm_next_to_playwrights_event_loop():
    """Let the tests use the ORM while Playwright's event loop runs in this thread.

    Playwright's sync API keeps an asyncio loop running in the main thread from start()
    to stop(), and Django refuses ORM calls next to a running loop. The switch is set for
    this package only and the browser stops when the package ends: a process that
    `manage.py check --deploy` starts from a later test must not inherit it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_orm_next_to_playwrights_event_loop):
    """One Chromium for all browser tests (they all live in this package)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"{message}: the browser tests must run in CI.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def context(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def set_language_cookie(context, live_server, language: str) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


def sign_in(context, live_server, user) -> None:
    """Give the browser a session of `user` (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}]
    )


def t(message: str, language: str = "fi", **params) -> str:
    """What the server renders for `message` in `language` (same catalogues, same process)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def name_re(message: str, language: str = "fi") -> re.Pattern:
    """An accessible-name pattern for a UI string, exact in the rendered language."""
    return re.compile(rf"^\s*{re.escape(t(message, language))}\s*$")


class AxeChecker:
    """Runs axe-core on pages and collects every violation for one assertion at the end."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, page, label: str) -> None:
        page.wait_for_load_state("load")
        shots = os.environ.get("SOSKE_SCREENSHOTS")  # a folder: keep a picture of each page
        if shots:
            name = re.sub(r"[^\w]+", "-", f"{len(self.checked):02d} {label}").strip("-")
            lang = page.locator("html").get_attribute("lang")
            page.screenshot(path=str(Path(shots) / f"{lang}-{name}.png"), full_page=True)
        results = self.axe.run(page, options=AXE_OPTIONS)
        violations = results.response.get("violations", [])
        # axe-core 4.7+ retired its duplicate-id rules with WCAG 4.1.1, but a repeated id
        # still breaks label[for], aria-labelledby and the links of the error summary.
        duplicates = page.evaluate(DUPLICATE_IDS_JS)
        if duplicates:
            violations = [
                *violations,
                {
                    "id": "soske-duplicate-id",
                    "impact": "serious",
                    "help": "ids must be unique",
                    "nodes": [
                        {"target": [f"#{d}"], "html": d, "failureSummary": ""} for d in duplicates
                    ],
                },
            ]
        if violations:
            lines = [f"--- {label} ({page.url})"]
            for violation in violations:
                lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
                for node in violation["nodes"][:5]:
                    lines.append(f"    {node['target']}: {node['html'][:160]}")
                    summary = (node.get("failureSummary") or "").replace("\n", " ")
                    lines.append(f"      {summary[:300]}")
            self.failures.append("\n".join(lines))

    def assert_clean(self) -> None:
        assert not self.failures, "axe found violations:\n" + "\n".join(self.failures)


@pytest.fixture
def axe():
    return AxeChecker()
