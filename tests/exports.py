"""Asking for a spreadsheet as a person does: POST to the page's export button, the job runs
(eagerly, after the commit), and the file is downloaded from the export's page."""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.test import TestCase
from django.urls import resolve, reverse

from soske.exports.models import Export


def export_of(response) -> Export:
    """The export whose page a start redirected to."""
    assert response.status_code == 302, response.status_code
    match = resolve(urlsplit(response["Location"]).path)
    assert match.view_name == "exports:detail", match.view_name
    return Export.objects.get(pk=match.kwargs["pk"])


def exported(client, url, data=None):
    """The downloaded file of the export started by POSTing `data` to `url`, as a plain
    response (status, headers and content); a start that is refused comes back as it is."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code != 302:
        return response
    export = export_of(response)
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200, (export.state, export.error)
    return HttpResponse(
        b"".join(download.streaming_content),
        content_type=download["Content-Type"],
        headers={"Content-Disposition": download["Content-Disposition"]},
    )
