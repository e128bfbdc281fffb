"""The spreadsheets built in the background (issue 13): from the applications list to the
export's page and its download, by keyboard; the page announces a queued job's progress in
its polite live region and shows the link when the worker is done; axe-core finds nothing on
the export's page and the person's list in fi, sv and en."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Status
from soske import clock
from soske.exports import services
from soske.exports.models import Export, ExportState
from soske.users.models import Role
from tests.factories import ApplicationFactory, CohortFactory

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_export_from_the_list_to_the_download(page, context, live_server, axe, language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    cohort = CohortFactory(name="Soske-akatemia 2031")
    for name in ("Alfalan kaupunki", "Betalan kunta"):
        application = ApplicationFactory(cohort=cohort, org_name=name, complete=True)
        application.status = Status.SUBMITTED
        application.save()
    sign_in(context, live_server, coordinator)
    page.goto(f"{live_server.url}/staff/applications/?cohort={cohort.pk}&status=submitted")
    button = page.get_by_role("button", name=t("Download as Excel (XLSX)", language))
    button.focus()
    page.keyboard.press("Enter")
    # Celery runs eagerly here: the job has finished by the time the page opens.
    expect(page).to_have_url(re.compile(r"/staff/exports/\d+/$"))
    assert_lang(page, language)
    link = page.locator("#export-status-link a")
    expect(link).to_contain_text(".xlsx")
    export = Export.objects.get()
    assert export.params["query"] == f"cohort={cohort.pk}&status=submitted"
    axe.check(page, "export, done")
    with page.expect_download() as download:
        link.focus()
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith(f"{cohort.slug}-applications-")

    # A job the worker has not picked up yet: the page polls and announces.
    queued = Export.objects.create(
        kind="applications.reviews", params={"cohort": cohort.pk}, title="Arviot",
        language=language, created_by=coordinator, created_at=clock.now(),
    )  # fmt: skip
    page.goto(f"{live_server.url}/staff/exports/{queued.pk}/")
    region = page.locator("#export-status-text")
    assert region.get_attribute("aria-live") == "polite"
    expect(region).to_have_text(t("Queued: the job starts in a moment.", language))
    axe.check(page, "export, queued")
    services.export_build(queued.pk)
    expect(region).to_contain_text(re.compile(r"\.xlsx"), timeout=15000)
    expect(page.locator("#export-status-link a")).to_have_attribute(
        "href", f"/staff/exports/{queued.pk}/download/"
    )
    assert Export.objects.get(pk=queued.pk).state == ExportState.DONE

    page.goto(f"{live_server.url}/staff/exports/")
    assert_lang(page, language)
    expect(page.get_by_role("table")).to_contain_text("Arviot")
    axe.check(page, "your exports")
    axe.assert_clean()
