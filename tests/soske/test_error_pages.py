"""403, 404 and 500 pages use the site's layout, in the user's language, say what
happened and offer the way back."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for


def _main(response) -> str:
    html = response.content.decode()
    assert '<main id="main"' in html  # the site's layout
    return html


def test_a_missing_page_is_a_404_in_the_layout_and_in_finnish(applicant):
    response = client_for(applicant).get("/ei-ole-olemassa/")
    assert response.status_code == 404
    html = _main(response)
    assert '<html lang="fi">' in html
    assert "<h1>Sivua ei löytynyt</h1>" in html
    assert f'href="{reverse("dashboard")}"' in html


def test_a_staff_page_for_an_applicant_is_a_403_in_swedish_with_the_way_back(applicant):
    applicant.language = "sv"
    applicant.save(update_fields=["language"])
    client = client_for(applicant)
    client.cookies["soske_language"] = "sv"
    response = client.get(
        reverse("staff:applications"), HTTP_REFERER="http://testserver/applications/"
    )
    assert response.status_code == 403
    html = _main(response)
    assert '<html lang="sv">' in html
    assert "Sidan är inte öppen för dig" in html
    assert 'href="/applications/"' in html  # back where they came from


def test_a_referer_from_elsewhere_is_not_offered_as_the_way_back(applicant):
    response = client_for(applicant).get(
        reverse("staff:applications"), HTTP_REFERER="https://evil.example/phish"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.urls("tests.soske.urls_boom")
def test_a_server_error_is_a_500_page_that_says_what_to_do(applicant):
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _main(response)
    assert "Palvelussa tapahtui virhe" in html or "Jotain meni vikaan" in html


def test_staff_pages_exports_and_private_files_are_not_stored(coordinator, applicant, rf):
    from django.http import HttpResponse

    from soske.middleware import NoStoreMiddleware

    client = client_for(coordinator)
    for path in (reverse("staff:applications"), reverse("exports:mine"), "/admin/"):
        response = client.get(path)
        assert response["Cache-Control"] == "no-store, private", path
    # An applicant's own page is not a staff page.
    assert "no-store" not in client_for(applicant).get(reverse("applications:mine")).get(
        "Cache-Control", ""
    )
    # A private file anywhere (a team's download, say) is an attachment: not stored either.
    attachment = HttpResponse(
        b"%PDF", headers={"Content-Disposition": 'attachment; filename="x.pdf"'}
    )
    response = NoStoreMiddleware(lambda request: attachment)(rf.get("/team/1/work/1/files/1/"))
    assert response["Cache-Control"] == "no-store, private"
