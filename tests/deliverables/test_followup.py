"""Follow-up of the pilot procurements: sent once per team and round, answered through a
signed link or by a signed-in member, the coordinators' table, reminders and the XLSX."""

from datetime import datetime, time, timedelta
from io import BytesIO

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Track
from deliverables import followup as services
from deliverables.models import FollowUp, FollowUpAnswer
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from tests.factories import CohortFactory
from tests.workshops.test_team_pages import member, new_team
from workshops.models import EventKind

ANSWERS = {
    "published": "yes",
    "contract_signed": "in_progress",
    "social_conditions": "Työllistämisehto: 2 henkilöä",
    "results": "Yksi henkilö työllistynyt.",
    "model_in_use": "no",
}


@pytest.fixture
def world(teams):
    teams.tiina.role = "contact"
    teams.tiina.save()
    closing = teams.cohort.events.get(kind=EventKind.CLOSING)
    teams.closing_day = clock.helsinki(closing.starts_at).date()
    return teams


def at_day(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=clock.HELSINKI)


def _send(world, months, days_after=1):
    moment = at_day(services.add_months(world.closing_day, months) + timedelta(days=days_after))
    with clock.travel(moment):
        return services.followups_send_due()


def _mails():
    return list(
        OutgoingEmail.objects.filter(key__startswith="followup:")
        .order_by("key")
        .values_list("key", "to")
    )


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    from datetime import date

    assert services.add_months(date(2022, 4, 6), 6) == date(2022, 10, 6)
    assert services.add_months(date(2022, 8, 31), 6) == date(2023, 2, 28)
    assert services.add_months(date(2022, 4, 6), 12) == date(2023, 4, 6)


def test_nothing_is_sent_before_six_months(world):
    assert _send(world, 6, days_after=-1) == 0
    assert FollowUp.objects.count() == 0


def test_each_team_gets_each_round_exactly_once(world):
    assert _send(world, 6) == 2
    team, other = world.team.pk, world.other_team.pk
    assert _mails() == sorted(
        [(f"followup:{team}:6", "tiina@example.org"), (f"followup:{other}:6", "olli@example.org")]
    )
    # the beat runs again (and again the next week): nothing more
    assert _send(world, 6) == 0
    assert _send(world, 6, days_after=8) == 0
    assert len(_mails()) == 2
    assert _send(world, 12) == 2
    assert _send(world, 12) == 0
    assert [k for k, _to in _mails()] == sorted(
        [f"followup:{t}:{r}" for t in (team, other) for r in (6, 12)]
    )
    assert FollowUp.objects.count() == 4
    assert ActivityEntry.objects.filter(action="followup.sent").count() == 4


def test_a_round_long_past_is_not_sent(world):
    """A cohort that closed years ago gets neither round (the 6-month one ends when the
    12-month one is due, which ends six months later)."""
    assert _send(world, 18) == 0
    assert _send(world, 12, days_after=-2) == 2  # only the 6-month round is current
    assert set(FollowUp.objects.values_list("round", flat=True)) == {6}


def test_a_team_without_a_contact_gets_its_first_member_and_inactive_teams_nothing(world):
    world.tiina.role = "procurement"
    world.tiina.save()
    world.other_team.active = False
    world.other_team.save()
    assert _send(world, 6) == 1
    assert _mails() == [(f"followup:{world.team.pk}:6", world.eero.email)]  # "Eero" < "Tiina"


def test_the_mail_is_in_the_contacts_language(world):
    world.user.language = "sv"
    world.user.save()
    _send(world, 6)
    mail = OutgoingEmail.objects.get(key=f"followup:{world.team.pk}:6")
    assert mail.language == "sv"
    assert mail.subject == "Hur går er pilotupphandling? Uppföljning 6 månader efter akademin"
    followup = FollowUp.objects.get(team=world.team, round=6)
    assert services.followup_from_token(_token_in(mail.body_text)) == followup


def _token_in(body):
    """The token of the signed link in a mail (signed when the mail was written)."""
    import re

    return re.search(r"/follow-up/([^/\s]+)/", body).group(1)


def _followup(world, round_=6):
    _send(world, round_)
    return FollowUp.objects.get(team=world.team, round=round_)


def test_the_signed_link_answers_without_a_password(world, anonymous):
    followup = _followup(world)
    url = reverse("followup:answer", args=[services.followup_token(followup)])
    with clock.travel(followup.sent_at + timedelta(days=3)):
        page = anonymous.get(url)
        assert page.status_code == 200
        assert "Työllistäjä kunta" in page.content.decode()
        response = anonymous.post(url, ANSWERS)
    assert response.status_code == 302 and response["Location"] == url
    followup.refresh_from_db()
    assert {name: getattr(followup, name) for name in ANSWERS} == ANSWERS
    assert followup.answered_at == followup.sent_at + timedelta(days=3)
    assert followup.answered_by is None
    entry = ActivityEntry.objects.get(action="followup.answered")
    assert entry.actor is None and entry.after == ANSWERS


def test_a_missing_choice_is_a_field_error_and_the_text_is_kept(world, anonymous):
    followup = _followup(world)
    url = reverse("followup:answer", args=[services.followup_token(followup)])
    with clock.travel(followup.sent_at + timedelta(days=1)):
        response = anonymous.post(url, {**ANSWERS, "published": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"published": ["Valitse jokin vastauksista."]}
    assert form["results"].value() == "Yksi henkilö työllistynyt."
    followup.refresh_from_db()
    assert followup.answered_at is None


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        lambda f: services.followup_token(f)[:-2] + "xx",
        # the signature of the team's link with the other team's id put in
        lambda f: services.followup_token(f).replace(f"{f.team_id}.", f"{f.team_id + 1}.", 1),
    ],
)
def test_a_bad_link_is_a_clear_page(world, anonymous, token):
    followup = _followup(world)
    token = token(followup) if callable(token) else token
    response = anonymous.get(reverse("followup:answer", args=[token]))
    assert response.status_code == 404
    assert "Tämä linkki ei ole voimassa." in response.content.decode()


def test_another_teams_validly_signed_round_without_a_questionnaire_is_a_clear_page(
    world, anonymous
):
    _followup(world)
    token = signing.TimestampSigner(salt=services.SALT).sign(f"{world.other_team.pk}.12")
    response = anonymous.get(reverse("followup:answer", args=[token]))
    assert response.status_code == 404
    assert "Tämä kysely ei ole enää saatavilla." in response.content.decode()


def test_an_expired_link_is_a_clear_page(world, anonymous, settings, monkeypatch):
    followup = _followup(world)
    token = services.followup_token(followup)
    url = reverse("followup:answer", args=[token])
    real = signing.time.time  # the signer reads the wall clock, not soske.clock
    monkeypatch.setattr(
        signing.time, "time", lambda: real() + (settings.FOLLOWUP_LINK_DAYS - 1) * 86400
    )
    assert anonymous.get(url).status_code == 200
    monkeypatch.setattr(
        signing.time, "time", lambda: real() + (settings.FOLLOWUP_LINK_DAYS + 1) * 86400
    )
    response = anonymous.get(url)
    assert response.status_code == 410
    assert "Linkki on vanhentunut." in response.content.decode()


def test_a_signed_in_member_answers_on_the_teams_page_another_team_gets_404(world):
    followup = _followup(world)
    url = reverse("followup:team", args=[world.team.pk, 6])
    with clock.travel(followup.sent_at + timedelta(days=1)):
        response = world.client.post(url, ANSWERS)
        assert response.status_code == 302
        assert world.other_client.get(url).status_code == 404
    followup.refresh_from_db()
    assert followup.answered_by == world.user
    assert followup.published == FollowUpAnswer.YES


def test_answers_change_until_the_round_closes_then_are_refused(world, anonymous):
    followup = _followup(world)
    url = reverse("followup:team", args=[world.team.pk, 6])
    with clock.travel(followup.sent_at + timedelta(days=1)):
        world.client.post(url, ANSWERS)
    with clock.travel(at_day(followup.closes_on)):
        world.client.post(url, {**ANSWERS, "model_in_use": "yes"})
    followup.refresh_from_db()
    assert followup.model_in_use == "yes"
    assert ActivityEntry.objects.filter(action="followup.answer_changed").count() == 1
    with clock.travel(at_day(followup.closes_on + timedelta(days=1))):
        page = world.client.post(url, {**ANSWERS, "model_in_use": "no"})
    assert page.status_code == 200
    assert "Vastauksia tähän kyselyyn ei voi enää muuttaa." in page.content.decode()
    assert "<dt>Onko toimintamalli käytössä?</dt><dd>Kyllä</dd>" in page.content.decode()
    assert "<dt>Onko pilottihankinta julkaistu?</dt><dd>Kyllä</dd>" in page.content.decode()
    followup.refresh_from_db()
    assert followup.model_in_use == "yes"


# --- The coordinators' table ----------------------------------------------------------------


def test_the_table_filters_by_cohort_round_answered_and_search(world, coordinator_client):
    _send(world, 6)
    answered = FollowUp.objects.get(team=world.team)
    services.followup_answer(followup=answered, answers=ANSWERS, at=answered.sent_at)
    url = reverse("followup_staff:list")

    def shown(**query):
        return sorted(
            (r.team.organisation.name, r.round)
            for r in coordinator_client.get(url, query).context["rows"]
        )

    both = [("Oikeudet kaupunki", 6), ("Työllistäjä kunta", 6)]
    assert shown() == both
    assert shown(cohort=world.cohort.pk) == both
    assert shown(round=12) == []
    assert shown(answered="yes") == [("Työllistäjä kunta", 6)]
    assert shown(answered="no") == [("Oikeudet kaupunki", 6)]
    assert shown(q="oikeudet") == [("Oikeudet kaupunki", 6)]
    assert shown(q="tiina@") == [("Työllistäjä kunta", 6)]


def test_the_table_queries_do_not_grow_with_the_rows(world, coordinator_client):
    _send(world, 6)
    url = reverse("followup_staff:list")
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(url).status_code == 200
    other = CohortFactory()
    for n in range(6):
        team = new_team(other, f"Kunta {n}", Track.EMPLOYMENT, f"33333{n}3-3")
        member(team, f"Yhteys {n}", role="contact")
        FollowUp.objects.create(team=team, round=6, email=f"k{n}@example.org", language="fi",
                                sent_at=clock.now(), closes_on=clock.now().date())  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = coordinator_client.get(url)
    assert len(response.context["rows"]) == 8
    assert len(many) == len(few)


def test_remind_mails_the_unanswered_once_a_day(world, coordinator_client):
    _send(world, 6)
    answered = FollowUp.objects.get(team=world.team)
    services.followup_answer(followup=answered, answers=ANSWERS, at=answered.sent_at)
    url = reverse("followup_staff:remind")
    with clock.travel(answered.sent_at + timedelta(days=7)):
        response = coordinator_client.post(url)
        coordinator_client.post(url)  # the same day: nothing more
    assert response.status_code == 302
    reminders = OutgoingEmail.objects.filter(key__startswith="followup-reminder:")
    assert list(reminders.values_list("to", flat=True)) == ["olli@example.org"]
    other = FollowUp.objects.get(team=world.other_team)
    assert other.reminders == 1
    assert ActivityEntry.objects.filter(action="followup.reminded").count() == 1


def test_the_export_holds_every_answer_and_defuses_formulas(world, coordinator_client):
    from openpyxl import load_workbook

    _send(world, 6)
    answered = FollowUp.objects.get(team=world.team)
    services.followup_answer(
        followup=answered, answers={**ANSWERS, "results": '=HYPERLINK("x")'}, at=answered.sent_at
    )
    response = coordinator_client.get(reverse("followup_staff:xlsx"), {"answered": "yes"})
    assert response["Content-Disposition"] == 'attachment; filename="follow-up.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    assert rows[1][:5] == [
        world.cohort.name,
        "Työllistäjä kunta",
        "Hankinnoilla työllistäminen",
        "6 kuukautta",
        "tiina@example.org",
    ]
    assert rows[1][7:] == ["Kyllä", "Ei vielä, työn alla", "Työllistämisehto: 2 henkilöä",
                           "'=HYPERLINK(\"x\")", "Ei"]  # fmt: skip


def test_the_teams_tasks_page_links_its_questionnaires(world):
    followup = _followup(world)
    page = world.client.get(reverse("deliverables:assignments", args=[world.team.pk]))
    url = reverse("followup:team", args=[world.team.pk, 6])
    assert f'<a href="{url}">6 kuukautta päätöstilaisuuden jälkeen</a>: Ei vastattu' in (
        page.content.decode()
    )
    assert followup.team_id == world.team.pk


def test_remind_one_row_and_a_garbled_row_is_no_error(world, coordinator_client):
    _send(world, 6)
    one = FollowUp.objects.get(team=world.team)
    url = reverse("followup_staff:remind")
    assert coordinator_client.post(url, {"pk": "x1"}).status_code == 302
    assert not OutgoingEmail.objects.filter(key__startswith="followup-reminder:").exists()
    coordinator_client.post(url, {"pk": str(one.pk)})
    reminders = OutgoingEmail.objects.filter(key__startswith="followup-reminder:")
    assert list(reminders.values_list("to", flat=True)) == ["tiina@example.org"]


def test_the_beat_runs_the_task_and_the_task_sends_once(world, settings):
    from deliverables.tasks import send_followups

    entry = settings.CELERY_BEAT_SCHEDULE["followups"]
    assert entry == {"task": "deliverables.tasks.send_followups", "schedule": 3600.0}
    assert send_followups.name == entry["task"]
    moment = at_day(services.add_months(world.closing_day, 6) + timedelta(days=1))
    with clock.travel(moment):
        assert send_followups.delay().get() == 2
        assert send_followups.delay().get() == 0


def test_the_mail_carries_the_link_the_team_page_and_the_closing_day(world):
    followup = _followup(world)
    mail = OutgoingEmail.objects.get(key=f"followup:{world.team.pk}:6")
    assert mail.subject == (
        "Miten pilottihankintanne etenee? Seurantakysely 6 kuukautta akatemian jälkeen"
    )
    body = mail.body_text
    assert services.followup_from_token(_token_in(body)) == followup
    assert reverse("followup:team", args=[world.team.pk, 6]) in body
    assert f"{followup.closes_on:%-d.%-m.%Y} asti" in body
    assert "Linkki toimii 60 päivää." in body
