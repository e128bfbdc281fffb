"""axe-core finds nothing on the staff outbox page (with rows, filtered, after a resend),
in fi, sv and en; its buttons work from the keyboard."""

from datetime import timedelta

import pytest

from soske import clock
from soske.mail.models import OutgoingEmail
from soske.users.models import Role

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]


def _row(key, status, error=""):
    moment = clock.now() - timedelta(hours=3)
    return OutgoingEmail.objects.create(
        key=key,
        to=f"{key}@example.org",
        language="fi",
        subject=f"Sähkö & Vesi Oy: {key}",
        body_text="B",
        status=status,
        attempts=2,
        last_error=error,
        created_at=moment,
        updated_at=moment,
        next_attempt_at=moment + timedelta(hours=4) if status == "queued" else None,
    )


def test_outbox_page(page, context, live_server, axe, language):
    _row("waiting", OutgoingEmail.Status.QUEUED, "451 4.7.1 Greylisted")
    failed = _row("broken", OutgoingEmail.Status.FAILED, "ConnectionRefusedError(111)")
    sign_in(context, live_server, person("cecilia@example.org", language, Role.COORDINATOR))

    page.goto("/staff/outbox/")
    assert_lang(page, language)
    assert page.locator("main tbody tr").count() == 2
    axe.check(page, "outbox")
    page.goto("/staff/outbox/?status=failed&q=broken")
    assert page.locator("main tbody tr").count() == 1
    axe.check(page, "outbox filtered")

    button = page.locator(f"form[action='/staff/outbox/{failed.pk}/resend/'] button")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert page.locator("main tbody tr").count() == 0
    axe.check(page, "outbox after send again")
    axe.assert_clean()
