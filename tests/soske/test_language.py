from django.urls import reverse

from soske.users.models import User


def test_finnish_is_the_default(anonymous, db):
    response = anonymous.get("/")
    assert b'<html lang="fi">' in response.content


def test_switching_language_sets_a_cookie_for_anonymous_users(anonymous, db):
    response = anonymous.post(reverse("set_language"), {"language": "sv", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies["soske_language"].value == "sv"
    page = anonymous.get("/privacy/")
    assert b'<html lang="sv">' in page.content
    assert "Dataskyddsbeskrivning" in page.content.decode()


def test_a_signed_in_users_choice_is_remembered_on_the_account(applicant_client, applicant):
    applicant_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    applicant.refresh_from_db()
    assert applicant.language == "en"
    # A new session without the cookie (another browser) still gets English.
    from django.test import Client

    other_browser = Client(HTTP_HOST="127.0.0.1")
    other_browser.force_login(User.objects.get(pk=applicant.pk))
    page = other_browser.get(reverse("applications:mine"))
    assert b'<html lang="en">' in page.content


def test_unknown_language_and_foreign_next_are_ignored(anonymous, db):
    response = anonymous.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "soske_language" not in response.cookies


def test_browser_language_does_not_override_finnish(anonymous, db):
    page = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert b'<html lang="fi">' in page.content
