"""Regenerate the README's screenshots from the running demo.

    python3 manage.py demo --port 8000            # in one terminal
    .venv/bin/python docs/screenshots.py          # in another (--base-url, --out, --chromium)

Signs in through the real sign-in form as the demo's people (password soske-demo-2026;
staff also give their authenticator-app code, which `manage.py demo_code` prints),
finds each page by following links (no ids are hard-coded) and writes PNGs 1366 px wide
(and one phone shot 390 px wide) into docs/screenshots/.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "soske-demo-2026"
HERE = Path(__file__).resolve().parent


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("#id_code").count():  # staff: the second factor
        code = subprocess.run(
            [sys.executable, str(HERE.parent / "manage.py"), "demo_code", email],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        page.fill("#id_code", code)
        page.locator("main button[type=submit]").first.click()
        page.wait_for_load_state()


def first_href(page, pattern):
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if re.search(pattern, href):
            return href
    raise SystemExit(f"No link matching {pattern} on {page.url}")


def shot(page, out, name, *, width=1366, full_page=False):
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_load_state("networkidle")
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=HERE / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--language", default="fi", choices=("fi", "sv", "en"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])

        def new_page():
            context = browser.new_context(base_url=args.base_url, locale=f"{args.language}-FI")
            host = args.base_url.split("//", 1)[1].split(":")[0]
            context.add_cookies(
                [{"name": "soske_language", "value": args.language, "domain": host, "path": "/"}]
            )
            return context.new_page()

        page = new_page()
        page.goto("/")
        shot(page, args.out, "call")
        shot(page, args.out, "call-phone", width=390)

        page = new_page()
        sign_in(page, "hakija@soske.example")
        page.goto("/applications/")
        page.goto(first_href(page, r"/applications/\d+/"))
        page.goto(first_href(page, r"/applications/\d+/step/"))
        shot(page, args.out, "application-step")

        page = new_page()
        sign_in(page, "koordinaattori@soske.example")
        page.goto("/staff/applications/")
        shot(page, args.out, "staff-applications")
        page.goto("/staff/cohorts/")
        page.goto(first_href(page, r"/staff/cohorts/\d+/ranking/"))
        shot(page, args.out, "ranking")

        page = new_page()
        sign_in(page, "tiimi@soske.example")
        page.goto("/team/")
        team = re.search(r"/team/(\d+)/", first_href(page, r"/team/\d+/calendar/"))
        page.goto(f"/team/{team.group(1)}/calendar/")
        shot(page, args.out, "team-calendar")
        page.goto(f"/team/{team.group(1)}/work/")
        # The worksheet with the most tables (the procurement categories and the impact).
        work = [
            href
            for href in page.eval_on_selector_all(
                "main a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            if re.fullmatch(rf"/team/{team.group(1)}/work/\d+/", href)
        ]
        tables = {}
        for href in work:
            page.goto(href)
            tables[href] = page.locator("main table").count()
        page.goto(max(work, key=lambda href: tables[href]))
        shot(page, args.out, "worksheet")
        browser.close()


if __name__ == "__main__":
    main()
