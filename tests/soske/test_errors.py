"""One domain error base; `refused` turns a refusal into the message the user reads."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from applications.interviews import InterviewError
from applications.scoring import ScoringError
from applications.selection import SelectionError
from applications.services import ApplicationError
from cohorts.services import CohortError
from soske.errors import DomainError, refused


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


class EmailForm(forms.Form):
    email = forms.EmailField()


@pytest.mark.parametrize(
    "error_class", [ApplicationError, CohortError, InterviewError, ScoringError, SelectionError]
)
def test_every_app_error_is_a_domain_error_with_message_and_code(error_class):
    error = error_class("Ei käy.", code="taken")
    assert isinstance(error, DomainError)
    assert (error.message, error.code, str(error)) == ("Ei käy.", "taken", "Ei käy.")
    assert error_class("Ei käy.").code == "invalid"


def test_application_error_keeps_the_problems_of_the_application():
    assert ApplicationError("Puuttuu.", problems=["track"]).problems == ["track"]
    assert ApplicationError("Puuttuu.").problems == []


def test_a_refusal_becomes_an_error_message_and_the_rest_of_the_block_is_skipped():
    request = _request()
    reached = []
    with refused(request) as refusal:
        raise InterviewError("Aika ehdittiin varata.")
        reached.append("after")  # pragma: no cover
    assert bool(refusal) is True
    assert refusal.error.message == "Aika ehdittiin varata."
    assert reached == []
    assert _messages(request) == [("error", "Aika ehdittiin varata.")]


def test_without_a_refusal_nothing_is_shown():
    request = _request()
    with refused(request) as refusal:
        value = 42
    assert bool(refusal) is False
    assert refusal.error is None
    assert value == 42
    assert _messages(request) == []


def test_a_refusal_can_go_to_a_field_of_the_form_with_what_the_user_typed():
    request = _request()
    form = EmailForm({"email": "colleague@example.org"})
    assert form.is_valid()
    with refused(request, form=form, field="email"):
        raise ApplicationError("Tämä henkilö voi jo muokata hakemusta.")
    assert form.errors == {"email": ["Tämä henkilö voi jo muokata hakemusta."]}
    assert form["email"].value() == "colleague@example.org"
    assert _messages(request) == []


def test_a_refusal_can_go_to_the_whole_form():
    request = _request()
    form = EmailForm({"email": "colleague@example.org"})
    assert form.is_valid()
    with refused(request, form=form):
        raise ScoringError("Arviointi on jo lähetetty.")
    assert form.non_field_errors() == ["Arviointi on jo lähetetty."]


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(ValueError), refused(_request()):
        raise ValueError("a defect, not a refusal")
