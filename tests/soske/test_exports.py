"""Spreadsheets built in the background (soske.exports, issue 13): the request only writes
a row and queues the job; the person follows it on the export's page and downloads it there;
nobody else finds it; it is gone after EXPORT_KEEP_DAYS."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications.models import Status
from soske import clock
from soske.activity.models import ActivityEntry
from soske.exports import services
from soske.exports.models import Export, ExportState
from soske.exports.registry import register_export_kind
from soske.users.models import Role
from tests.conftest import client_for
from tests.exports import export_of, exported
from tests.factories import ApplicationFactory

EXPORT = reverse("staff:export")


def _submitted(cohort, name):
    application = ApplicationFactory(cohort=cohort, org_name=name, complete=True)
    application.status = Status.SUBMITTED
    application.save()
    return application


def _start(client, url, data=None, *, run=True):
    with TestCase.captureOnCommitCallbacks(execute=run):
        response = client.post(url, data or {})
    return export_of(response)


def test_a_start_only_queues_the_job_and_the_page_follows_it(coordinator_client, cohort):
    _submitted(cohort, "Alfa")
    export = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}, run=False)
    assert export.state == ExportState.QUEUED and not export.file
    page = coordinator_client.get(reverse("exports:detail", args=[export.pk]))
    html = page.content.decode()
    assert 'data-active="1"' in html
    assert "Jonossa" in html  # "Queued", in Finnish: the page speaks the person's language
    status = coordinator_client.get(reverse("exports:status", args=[export.pk])).json()
    assert status["active"] is True and status["url"] == ""
    # Once the worker has built it, the same page and the status give the download.
    services.export_build(export.pk)
    status = coordinator_client.get(reverse("exports:status", args=[export.pk])).json()
    download = reverse("exports:download", args=[export.pk])
    assert status["active"] is False and status["url"] == download
    assert status["filename"].startswith(f"{cohort.slug}-applications-")
    assert (
        f'href="{download}"'
        in coordinator_client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    )
    entry = ActivityEntry.objects.get(action="export.started")
    assert entry.after == {"kind": "applications.applications"}
    assert entry.actor.email == "cecilia.coordinator@example.org"


def test_a_search_term_is_not_kept_in_the_activity_log(coordinator_client, cohort):
    _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}&q=Matti+Meikäläinen"})
    entry = ActivityEntry.objects.get(action="export.started")
    assert "Matti" not in str(entry.after) + entry.subject


def test_the_same_export_asked_twice_while_it_is_queued_is_one_job(coordinator_client, cohort):
    first = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}, run=False)
    response = coordinator_client.post(EXPORT, {"query": f"cohort={cohort.pk}"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("exports:detail", args=[first.pk])
    assert Export.objects.count() == 1
    # Other filters are another export.
    _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}&status=draft"}, run=False)
    assert Export.objects.count() == 2


def test_the_spreadsheet_is_built_in_the_language_it_was_asked_in(coordinator, cohort):
    _submitted(cohort, "Alfa")
    client = client_for(coordinator)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    response = exported(client, EXPORT, {"query": f"cohort={cohort.pk}"})
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    with translation.override("sv"):
        swedish = translation.gettext("Business ID")
    with translation.override("fi"):
        finnish = translation.gettext("Business ID")
    assert header[1] == swedish
    assert swedish not in ("Business ID", finnish)  # a real translation, not another's
    assert Export.objects.get().language == "sv"


def test_a_failed_build_is_written_on_the_row_and_shown(coordinator_client, cohort):
    def broken(export):
        raise ValueError("no disk")

    register_export_kind("test.broken", build=broken, permission="soske.view_staff_pages")
    with TestCase.captureOnCommitCallbacks(execute=True):
        export, started = services.export_start(
            user=Export._meta.get_field("created_by").related_model.objects.get(
                email="cecilia.coordinator@example.org"
            ),
            kind="test.broken",
            params={},
            title="Rikki",
        )
    export.refresh_from_db()
    assert started and export.state == ExportState.FAILED
    assert export.error == "ValueError: no disk"
    status = coordinator_client.get(reverse("exports:status", args=[export.pk])).json()
    assert "no disk" in status["text"] and status["url"] == ""
    # Its download is not there: the person is sent to its page and told why.
    response = coordinator_client.get(reverse("exports:download", args=[export.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("exports:detail", args=[export.pk])
    assert [str(m) for m in response.context["messages"]] == [status["text"]]


def test_nobody_else_finds_an_export_and_a_former_staff_member_cannot_download_it(
    coordinator, coordinator_client, cohort
):
    from tests.conftest import _person

    export = _start(coordinator_client, reverse("staff:reviews_export", args=[cohort.pk]))
    assert export.state == ExportState.DONE
    other = client_for(_person("colin@example.org", Role.COORDINATOR))
    for name in ("exports:detail", "exports:status", "exports:download"):
        assert other.get(reverse(name, args=[export.pk])).status_code == 404
    assert other.post(reverse("exports:delete", args=[export.pk])).status_code == 404
    assert f"/staff/exports/{export.pk}/" not in other.get(reverse("exports:mine")).content.decode()
    # No longer a coordinator, still a reviewer: the reviews are no longer theirs to read.
    coordinator.groups.remove(Group.objects.get(name=Role.COORDINATOR))
    coordinator.groups.add(Group.objects.get_or_create(name=Role.REVIEWER)[0])
    client = client_for(coordinator)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 403
    assert "Arviot" not in client.get(reverse("exports:mine")).content.decode()


def test_the_owner_deletes_a_finished_export_but_not_one_being_built(coordinator_client, cohort):
    done = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"})
    done.refresh_from_db()
    stored = done.file.name
    storage = done.file.storage
    assert storage.exists(stored)
    response = coordinator_client.post(reverse("exports:delete", args=[done.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("exports:mine")
    assert not Export.objects.filter(pk=done.pk).exists()
    assert not storage.exists(stored)
    queued = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}, run=False)
    response = coordinator_client.post(reverse("exports:delete", args=[queued.pk]), follow=True)
    assert Export.objects.filter(pk=queued.pk).exists()
    assert any("still being built" in str(m) or "vielä" in str(m)
               for m in response.context["messages"])  # fmt: skip


def test_exports_and_their_files_go_after_the_keeping_period(coordinator_client, cohort, settings):
    settings.EXPORT_KEEP_DAYS = 7
    old = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"})
    old.refresh_from_db()
    Export.objects.filter(pk=old.pk).update(created_at=clock.now() - timedelta(days=8))
    new = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}&q=x"})
    assert services.purge_expired() == 1
    assert list(Export.objects.values_list("pk", flat=True)) == [new.pk]
    assert not old.file.storage.exists(old.file.name)


def test_a_job_whose_worker_vanished_fails_and_can_be_asked_again(coordinator_client, cohort):
    stuck = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}, run=False)
    Export.objects.filter(pk=stuck.pk).update(created_at=clock.now() - timedelta(minutes=16))
    again = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"}, run=False)
    stuck.refresh_from_db()
    assert again.pk != stuck.pk
    assert stuck.state == ExportState.FAILED and stuck.error


def test_a_repeated_delivery_of_the_task_builds_nothing_again(coordinator_client, cohort):
    export = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"})
    export.refresh_from_db()
    finished = export.finished_at
    assert services.export_build(export.pk).finished_at == finished
    assert services.export_build(10**9) is None  # deleted meanwhile


@pytest.mark.parametrize(
    ("name", "args", "target"),
    [("staff:export", [], "staff:applications"), ("staff:reviews_export", ["pk"], "staff:ranking")],
)
def test_an_old_export_link_opens_the_page_it_was_on(
    coordinator_client, cohort, name, args, target
):
    url = reverse(name, args=[cohort.pk] if args else [])
    response = coordinator_client.get(url + "?status=submitted")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(target, args=[cohort.pk] if args else []))
    assert not Export.objects.exists()


def test_a_download_is_a_private_attachment(coordinator_client, cohort):
    export = _start(coordinator_client, EXPORT, {"query": f"cohort={cohort.pk}"})
    response = coordinator_client.get(reverse("exports:download", args=[export.pk]))
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_cohort_deleted_before_the_build_is_said_in_the_owners_language(
    coordinator_client, cohort
):
    from cohorts.models import Cohort

    export = _start(
        coordinator_client, reverse("staff:reviews_export", args=[cohort.pk]), run=False
    )
    Export.objects.filter(pk=export.pk).update(language="sv")
    Cohort.objects.filter(pk=cohort.pk).delete()
    services.export_build(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    with translation.override("sv"):
        assert export.error == translation.gettext("The cohort has been deleted.")
    assert export.error != "The cohort has been deleted."


def test_the_title_says_which_language_each_part_is_in(coordinator, cohort):
    """A cohort named only in Finnish, exported from the English pages and then read in
    Finnish: the title is English (lang="en") with the cohort's name in Finnish inside it."""
    cohort.name, cohort.name_sv, cohort.name_en = "Soske-akatemia 2031", "", ""
    cohort.save()
    client = client_for(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    export = _start(client, reverse("staff:reviews_export", args=[cohort.pk]), run=False)
    assert (export.title, export.subject, export.subject_language) == (
        "All reviews of Soske-akatemia 2031",
        "Soske-akatemia 2031",
        "fi",
    )
    page = client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert '<h1>All reviews of <span lang="fi">Soske-akatemia 2031</span></h1>' in page
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    page = client.get(reverse("exports:mine")).content.decode()
    assert (
        '<span lang="en">All reviews of <span lang="fi">Soske-akatemia 2031</span></span>' in page
    )
    # In its own language, with its name in the same one, it needs no mark at all.
    export.language, export.subject_language = "fi", "fi"
    export.title = "Kaikki arviot: Soske-akatemia 2031"
    with translation.override("fi"):
        assert str(export.title_html) == "Kaikki arviot: Soske-akatemia 2031"
