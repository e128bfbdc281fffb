"""The submit does not validate again what the review page found complete (issue 13)."""

from django.urls import reverse

from applications import services
from applications.models import Application, Status


def _review(application):
    return reverse("applications:review", args=[application.pk])


def _count_validations(monkeypatch):
    calls = []
    real = services._validate_steps

    def counting(application):
        calls.append(application.pk)
        return real(application)

    monkeypatch.setattr(services, "_validate_steps", counting)
    return calls


def test_the_submit_after_the_review_page_validates_nothing_again(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    page = applicant_client.get(_review(complete_draft))
    assert page.status_code == 200
    assert page.context["problems"] == []
    assert calls == [complete_draft.pk]
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert response.status_code == 302
    assert calls == [complete_draft.pk]
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED


def test_a_change_after_the_review_page_is_validated_again_and_refused(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    applicant_client.get(_review(complete_draft))
    # Changed behind the page's back (another tab, a colleague): no longer complete.
    Application.objects.filter(pk=complete_draft.pk).update(pilot_subject="")
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert response.status_code == 200
    assert calls == [complete_draft.pk, complete_draft.pk]
    assert "pilot_subject" in {p["field"] for p in response.context["problems"]}
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_a_team_member_removed_after_the_review_page_is_validated_again(
    monkeypatch, applicant_client, complete_draft
):
    calls = _count_validations(monkeypatch)
    applicant_client.get(_review(complete_draft))
    complete_draft.team.all().delete()
    response = applicant_client.post(
        _review(complete_draft), {"privacy_consent": "on", "submit_token": "t-1"}
    )
    assert calls == [complete_draft.pk, complete_draft.pk]
    assert response.status_code == 200
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
