"""The application's steps: required fields marked on every step, a step's own problems shown
when it is left, and no "Save draft" once the application is submitted."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application, Status, TeamMember
from applications.steps import STEPS
from soske import clock
from tests.factories import fill_complete


def step_url(application, slug):
    return reverse("applications:step", args=[application.pk, slug])


def required_fields_of(step):
    if step.form_class is None:
        return ("team-0-name", "team-0-role")
    return tuple(step.form_class.required_fields)


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_every_step_marks_its_required_fields(applicant_client, draft, step):
    response = applicant_client.get(step_url(draft, step.slug))
    html = response.content.decode()
    assert response.status_code == 200
    # The explanation of the marker is on every step.
    with translation.override("fi"):
        assert translation.gettext("Required fields are marked with an asterisk (*).") in html
    labels = "\n".join(m.group(0) for m in re.finditer(r"<(label|legend)\b.*?</\1>", html, re.S))
    for name in required_fields_of(step):
        pattern = (
            rf'<(label|legend)[^>]*(for="id_{re.escape(name)}[^"]*"|'
            rf'id="id_{re.escape(name)}_legend")[^>]*>[^<]*'
            r'<span class="required-marker" aria-hidden="true">\*</span>'
        )
        found = re.search(pattern, labels)
        if found is None:
            # A group (radios, checkboxes) has its marker in its legend.
            block = re.search(rf'id="div_id_{re.escape(name)}".*?</legend>', html, re.S)
            assert block and 'class="required-marker"' in block.group(0), (step.slug, name)
        # The marker is not the only cue: the field says it is required.
    for name in required_fields_of(step):
        if step.form_class is not None:
            assert re.search(
                rf'name="{name}"[^>]*aria-required="true"|aria-required="true"[^>]*name="{name}"',
                html,
            ), (step.slug, name)
    # Optional fields carry no marker.
    if step.slug == "organisation":
        assert not re.search(
            r'<label[^>]*for="id_website"[^>]*>[^<]*<span class="required-marker"', html
        )


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_every_step_marks_its_required_fields_also_when_checked(applicant_client, draft, step):
    """?check=1 (strict) shows the same marker, once, not crispy's own asterisk as well."""
    TeamMember.objects.create(application=draft, name="Toini Toimiala", role="line_of_business")
    html = applicant_client.get(step_url(draft, step.slug) + "?check=1").content.decode()
    assert "asteriskField" not in html
    assert 'class="required-marker"' in html


def test_eligibility_step_says_one_of_its_answers_is_required(applicant_client, draft):
    html = applicant_client.get(step_url(draft, "eligibility")).content.decode()
    with translation.override("fi"):
        text = translation.gettext(
            "Required: at least one of these – an earlier programme or a description of "
            "your readiness."
        )
    assert text in html


def test_save_and_continue_with_an_empty_required_field_saves_and_lists_the_steps_problems(
    applicant_client, draft
):
    response = applicant_client.post(
        step_url(draft, "organisation"),
        {
            "org_name": "Testilän kaupunki",
            "business_id": "",
            "org_type": "",
            "region": "",
            "website": "",
            "action": "next",
        },
    )
    draft.refresh_from_db()
    # The draft is saved and the applicant moves on ...
    assert draft.org_name == "Testilän kaupunki"
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "contact")
    # ... told what the step they left still lacks, with links back to its fields.
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("fi"):
        intro = translation.gettext(
            "Saved. The page “%(step)s” still lacks answers that the application needs:"
        ) % {"step": translation.gettext("Organisation")}
        business_id = translation.gettext("Business ID")
        region = translation.gettext("Region")
    assert len(messages) == 1
    assert intro in messages[0]
    assert business_id in messages[0]
    assert region in messages[0]
    assert f'href="{step_url(draft, "organisation")}?check=1#id_business_id"' in messages[0]
    assert "Testilän" not in messages[0]


def test_save_and_go_back_also_lists_the_steps_problems(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "contact"),
        {
            "contact_name": "",
            "contact_title": "",
            "contact_email": "",
            "contact_phone": "",
            "action": "previous",
        },
    )
    assert response["Location"] == step_url(draft, "organisation")
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert f'href="{step_url(draft, "contact")}?check=1#id_contact_email"' in message


def test_the_last_step_leads_to_the_preview_which_lists_every_problem(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "pilot"),
        {
            "pilot_subject": "",
            "pilot_value": "",
            "pilot_timetable": "",
            "pilot_fit": "",
            "action": "next",
        },
    )
    assert response["Location"] == reverse("applications:review", args=[draft.pk])
    assert list(get_messages(response.wsgi_request)) == []


def test_save_and_continue_with_everything_filled_says_nothing(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "contact"),
        {
            "contact_name": "Aila Hakija",
            "contact_title": "Hankintapäällikkö",
            "contact_email": "aila@example.org",
            "contact_phone": "",
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert list(get_messages(response.wsgi_request)) == []


def test_save_draft_with_an_empty_required_field_keeps_the_plain_message(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "contact"),
        {
            "contact_name": "",
            "contact_title": "",
            "contact_email": "",
            "contact_phone": "",
            "action": "stay",
        },
    )
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("fi"):
        assert messages == [
            translation.gettext("Saved. You can come back and continue at any time.")
        ]


def test_save_draft_is_not_offered_after_submission(applicant_client, draft):
    fill_complete(draft)
    services.application_submit(
        application=draft,
        actor=draft.created_by,
        at=clock.now(),
        submit_token="t",
        consent=True,
    )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    with translation.override("fi"):
        save_draft = translation.gettext("Save draft")
        save_changes = translation.gettext("Save changes")
    assert save_draft == "Tallenna luonnos"
    for step in STEPS:
        html = applicant_client.get(step_url(draft, step.slug)).content.decode()
        assert save_draft not in html, step.slug
        # While the call is open the submitted answers can still be changed and resubmitted.
        assert re.search(rf'value="stay"[^>]*>\s*{save_changes}\s*<', html), step.slug
    response = applicant_client.post(
        step_url(draft, "contact"),
        {
            "contact_name": "Aila Hakija",
            "contact_title": "Hankintapäällikkö",
            "contact_email": "aila@example.org",
            "contact_phone": "",
            "action": "stay",
        },
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("fi"):
        assert messages == [
            translation.gettext("Saved. Submit the application again for the changes to count.")
        ]
    assert Application.objects.get(pk=draft.pk).status == Status.SUBMITTED


def _team_reads(queries):
    return [q for q in queries if 'FROM "applications_teammember"' in q["sql"]]


def test_the_completeness_check_reads_the_team_once_and_still_checks_each_member(draft):
    """The stored members are bound to the team formset without reading them again (the
    formset and each member's hidden id used to read them once more each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_complete(draft)
    draft = Application.objects.get(pk=draft.pk)
    assert draft.team.count() == 2
    with CaptureQueriesContext(connection) as queries:
        assert services.completeness_errors(draft) == []
    assert len(_team_reads(queries)) == 1
    member = draft.team.order_by("pk").first()
    member.email = "not an address"
    member.save()
    draft = Application.objects.get(pk=draft.pk)
    with translation.override("en"):
        problems = services.completeness_errors(draft)
    assert [(p["field"], p["step"].slug) for p in problems] == [("team-0-email", "team")]


def test_the_team_step_names_the_recommended_roles_still_missing(applicant_client, draft):
    """The employment track recommends six roles; the page lists those nobody holds yet, in
    the reader's language."""
    from applications.models import TeamRole
    from cohorts.models import Track

    draft.track = Track.EMPLOYMENT
    draft.save(update_fields=["track"])
    TeamMember.objects.create(application=draft, name="Hanna", role=TeamRole.PROCUREMENT)
    TeamMember.objects.create(application=draft, name="Lasse", role=TeamRole.LAWYER)
    url = reverse("applications:step", args=[draft.pk, "team"])
    html = applicant_client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    listed = re.search(r"Suositelluista rooleista puuttuu vielä:\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    with translation.override("fi"):
        expected = [
            str(TeamRole(r).label)
            for r in (
                TeamRole.LINE_OF_BUSINESS,
                TeamRole.SUSTAINABILITY,
                TeamRole.FINANCE,
                TeamRole.EMPLOYMENT_SERVICES,
            )
        ]
    assert re.findall(r"<li>(.*?)</li>", listed.group(1)) == expected
