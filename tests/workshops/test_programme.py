"""The programme's services: the seed's pattern, invitations with their .ics, updates,
cancellations, reminders and materials."""

import uuid
from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import Organisation, Team, TeamMembership, Track
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from tests.factories import UserFactory
from workshops import programme, tasks
from workshops.models import Audience, Event, EventKind, Material

H = clock.HELSINKI


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=H)


@pytest.fixture
def released(cohort):
    cohort.decisions_released_at = clock.now()
    cohort.pre_assignment_text = "Tutustu hankintastrategiaanne & tuo se mukaan."
    cohort.pre_assignment_due = date(2030, 1, 15)
    cohort.save()
    return cohort


def make_team(cohort, name, track, members, *, active=True):
    team = Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(
            name=name, business_id=f"{uuid.uuid4().int % 10**7:07d}-1"
        ),
        track=track,
        active=active,
        created_at=clock.now(),
    )
    for person_name, email, user in members:
        TeamMembership.objects.create(
            team=team,
            name=person_name,
            email=email,
            user=user,
            token=uuid.uuid4(),
            invited_at=clock.now(),
            joined_at=clock.now() if user else None,
        )
    return team


@pytest.fixture
def teams(released):
    sven = UserFactory(email="sven@example.org", language="sv")
    emma = UserFactory(email="emma@example.org", language="en")
    employment = make_team(
        released,
        "Espoon kaupunki",
        Track.EMPLOYMENT,
        [("Sven", "sven@example.org", sven), ("Liisa", "liisa@example.org", None)],
    )
    human_rights = make_team(
        released, "Oulun kaupunki", Track.HUMAN_RIGHTS, [("Emma", "emma@example.org", emma)]
    )
    make_team(
        released, "Lopettanut kunta", Track.EMPLOYMENT, [("X", "x@example.org", None)], active=False
    )
    return employment, human_rights


def event(cohort, coordinator, **fields):
    values = {
        "kind": EventKind.WORKSHOP,
        "title_fi": "Työpaja",
        "title_sv": "Workshop sv",
        "title_en": "Workshop en",
        "starts_at": at(2030, 2, 13, 9),
        "ends_at": at(2030, 2, 13, 12),
        "location": "Motiva, Urho Kekkosen katu 4-6 A, Helsinki",
    }
    values.update(fields)
    return programme.event_create(cohort=cohort, actor=coordinator, **values)


def ics_of(mail):
    (attachment,) = mail.attachments
    assert attachment["mimetype"].startswith("text/calendar; method=")
    return icalendar.Calendar.from_ical(attachment["content"])


def vevent(calendar):
    (item,) = [c for c in calendar.walk() if c.name == "VEVENT"]
    return item


def mails(prefix=""):
    return list(OutgoingEmail.objects.filter(key__startswith=prefix).order_by("to", "pk"))


# --- the seed's pattern ---------------------------------------------------------------


def test_the_pattern_at_the_seeds_kickoff_gives_the_seeds_own_dates():
    rows = [
        (item.kind, start, end) for item, start, end in programme.pattern_dates(date(2022, 1, 20))
    ]
    assert rows == [
        (EventKind.KICKOFF, at(2022, 1, 20, 9), at(2022, 1, 20, 11)),
        (EventKind.WORKSHOP, at(2022, 2, 9, 9), at(2022, 2, 9, 12)),
        (EventKind.SPARRING_ROUND, at(2022, 2, 10), at(2022, 3, 9)),
        (EventKind.WORKSHOP, at(2022, 3, 9, 13), at(2022, 3, 9, 16)),
        (EventKind.SPARRING_ROUND, at(2022, 3, 10), at(2022, 4, 6)),
        (EventKind.CLOSING, at(2022, 4, 6, 9), at(2022, 4, 6, 12)),
    ]


def test_a_kickoff_on_another_weekday_anchors_the_rest_by_its_iso_week():
    # Tuesday 18.1.2022 is in the same ISO week as Thursday 20.1.
    rows = programme.pattern_dates(date(2022, 1, 18))
    assert [start for _item, start, _end in rows] == [
        at(2022, 1, 18, 9),
        at(2022, 2, 9, 9),
        at(2022, 2, 10),
        at(2022, 3, 9, 13),
        at(2022, 3, 10),
        at(2022, 4, 6, 9),
    ]


def test_the_programme_from_the_pattern_is_created_once(cohort, coordinator):
    created = programme.programme_from_pattern(
        cohort=cohort, kickoff=date(2022, 1, 20), actor=coordinator
    )
    assert [e.title_fi for e in created] == [
        "Aloitustilaisuus",
        "Työpaja 1: Hankinnoilla työllistäminen",
        "Organisaatiokohtainen sparraus 1",
        "Työpaja 2: Ihmisoikeudet ja työelämän perusoikeudet",
        "Organisaatiokohtainen sparraus 2",
        "Työpaja 3 ja päätöstilaisuus",
    ]
    with pytest.raises(programme.ProgrammeError) as refused:
        programme.programme_from_pattern(cohort=cohort, kickoff=date(2022, 2, 1), actor=coordinator)
    assert refused.value.code == "exists"
    assert Event.objects.filter(cohort=cohort).count() == 6
    assert ActivityEntry.objects.filter(action="programme.created").count() == 1


# --- invitations ------------------------------------------------------------------------


def test_the_invitation_reaches_every_member_of_the_active_teams_in_their_language(
    teams, released, coordinator
):
    workshop = event(released, coordinator)
    assert programme.event_invite(event=workshop, actor=coordinator) == 3
    sent = {m.to: (m.language, m.subject) for m in mails("event_invitation:")}
    assert sent == {
        "emma@example.org": ("en", "Invitation: Workshop en"),
        "liisa@example.org": ("fi", "Kutsu: Työpaja"),
        "sven@example.org": ("sv", "Inbjudan: Workshop sv"),
    }
    workshop.refresh_from_db()
    assert workshop.invited_at is not None
    entry = ActivityEntry.objects.get(action="event.invited")
    assert entry.before == {"recipients": 3}


def test_a_track_event_invites_only_the_teams_of_its_track(teams, released, coordinator):
    employment_only = event(released, coordinator, audience=Audience.EMPLOYMENT)
    assert programme.event_invite(event=employment_only, actor=coordinator) == 2
    assert [m.to for m in mails("event_invitation:")] == ["liisa@example.org", "sven@example.org"]


def test_the_invitation_ics_is_a_request_with_helsinki_times(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    mail = OutgoingEmail.objects.get(to="sven@example.org")
    calendar = ics_of(mail)
    assert calendar["METHOD"] == "REQUEST"
    item = vevent(calendar)
    assert str(item["UID"]) == f"{workshop.uid}@soske"
    assert item["SEQUENCE"] == 0
    assert item.decoded("DTSTART") == at(2030, 2, 13, 9)
    assert item.decoded("DTEND") == at(2030, 2, 13, 12)
    assert str(item["LOCATION"]) == "Motiva, Urho Kekkosen katu 4-6 A, Helsinki"


@pytest.mark.parametrize(
    ("starts_at", "utc_hour"),
    [
        (at(2022, 3, 27, 9), 6),  # summer time began at 3.00 that night: UTC+3
        (at(2022, 3, 26, 9), 7),  # the day before: UTC+2
        (at(2022, 10, 30, 9), 7),  # summer time ended at 4.00 that night: UTC+2
        (at(2022, 10, 29, 9), 6),  # the day before: UTC+3
    ],
)
def test_the_ics_times_are_right_across_the_change_of_summer_time(
    teams, released, coordinator, starts_at, utc_hour
):
    one = event(released, coordinator, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    programme.event_invite(event=one, actor=coordinator)
    item = vevent(ics_of(OutgoingEmail.objects.get(to="liisa@example.org")))
    start = item.decoded("DTSTART")
    assert start == starts_at
    assert start.astimezone(clock.ZoneInfo("UTC")).hour == utc_hour
    assert clock.helsinki(start).hour == 9


def test_pressing_invite_twice_sends_each_person_one_mail(teams, released, coordinator):
    workshop = event(released, coordinator)
    assert programme.event_invite(event=workshop, actor=coordinator) == 3
    assert programme.event_invite(event=workshop, actor=coordinator) == 0
    assert OutgoingEmail.objects.count() == 3


def test_a_member_added_later_is_invited_by_pressing_again(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    TeamMembership.objects.create(
        team=teams[0],
        name="Uusi",
        email="uusi@example.org",
        token=uuid.uuid4(),
        invited_at=clock.now(),
    )
    assert programme.event_invite(event=workshop, actor=coordinator) == 1
    assert OutgoingEmail.objects.filter(to="uusi@example.org").count() == 1


def test_the_invitation_is_refused_before_the_release(cohort, coordinator):
    workshop = event(cohort, coordinator)
    with pytest.raises(programme.ProgrammeError) as refused:
        programme.event_invite(event=workshop, actor=coordinator)
    assert refused.value.code == "not_released"
    workshop.refresh_from_db()
    assert workshop.invited_at is None


def test_a_sparring_round_has_no_invitation(teams, released, coordinator):
    round_ = event(
        released,
        coordinator,
        kind=EventKind.SPARRING_ROUND,
        starts_at=at(2030, 2, 14),
        ends_at=at(2030, 3, 13),
    )
    with pytest.raises(programme.ProgrammeError) as refused:
        programme.event_invite(event=round_, actor=coordinator)
    assert refused.value.code == "sparring"
    assert OutgoingEmail.objects.count() == 0


def test_the_kickoff_mail_carries_the_pre_assignment_and_its_due_date(teams, released, coordinator):
    kickoff = event(
        released,
        coordinator,
        kind=EventKind.KICKOFF,
        title_fi="Aloitustilaisuus",
        description_fi="Ohjelma: tervetuloa, tavoitteet, ennakkotehtävä.",
    )
    programme.event_invite(event=kickoff, actor=coordinator)
    mail = OutgoingEmail.objects.get(to="liisa@example.org")
    assert mail.key.startswith("kickoff_invitation:")
    assert mail.subject == f"{released.name}: tervetuloa aloitustilaisuuteen"
    assert "Ennakkotehtävä (palautettava 15.1.2030):\n" in mail.body_text
    assert "Tutustu hankintastrategiaanne & tuo se mukaan." in mail.body_text
    assert "Ohjelma: tervetuloa, tavoitteet, ennakkotehtävä." in mail.body_text
    assert ics_of(mail)["METHOD"] == "REQUEST"


def test_the_invitation_task_takes_ids_and_sends(teams, released, coordinator):
    kickoff = event(released, coordinator, kind=EventKind.KICKOFF)
    assert tasks.send_event_invitation.delay(kickoff.pk, coordinator.pk).get() == 3
    assert tasks.send_event_invitation.delay(kickoff.pk, coordinator.pk).get() == 0
    assert OutgoingEmail.objects.count() == 3


def test_a_subject_with_an_ampersand_is_not_escaped(teams, released, coordinator):
    one = event(released, coordinator, title_fi="Hankinnat & ihmisoikeudet")
    programme.event_invite(event=one, actor=coordinator)
    assert OutgoingEmail.objects.get(to="liisa@example.org").subject == (
        "Kutsu: Hankinnat & ihmisoikeudet"
    )


# --- updates and cancellations ------------------------------------------------------------


def test_an_update_of_an_invited_event_sends_the_updated_invitation(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    updated = programme.event_update(
        event=workshop,
        actor=coordinator,
        starts_at=at(2030, 2, 13, 13),
        ends_at=at(2030, 2, 13, 16),
    )
    assert updated.sequence == 1
    changes = mails("event_updated:")
    assert [m.to for m in changes] == ["emma@example.org", "liisa@example.org", "sven@example.org"]
    item = vevent(ics_of(changes[1]))
    assert ics_of(changes[1])["METHOD"] == "REQUEST"
    assert str(item["UID"]) == f"{workshop.uid}@soske"
    assert item["SEQUENCE"] == 1
    assert item.decoded("DTSTART") == at(2030, 2, 13, 13)
    assert changes[1].subject == "Muuttunut: Työpaja"
    entry = ActivityEntry.objects.get(action="event.updated")
    assert entry.before == {
        "starts_at": "2030-02-13T09:00:00+02:00",
        "ends_at": "2030-02-13T12:00:00+02:00",
    }


def test_a_second_update_raises_the_sequence_again(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    programme.event_update(event=workshop, actor=coordinator, location="Paikka 1")
    second = programme.event_update(event=workshop, actor=coordinator, location="Paikka 2")
    assert second.sequence == 2
    last = OutgoingEmail.objects.filter(to="sven@example.org").order_by("pk").last()
    assert vevent(ics_of(last))["SEQUENCE"] == 2


def test_updating_an_uninvited_event_sends_nothing(teams, released, coordinator):
    workshop = event(released, coordinator)
    updated = programme.event_update(event=workshop, actor=coordinator, location="Etänä")
    assert updated.sequence == 0
    assert OutgoingEmail.objects.count() == 0
    assert ActivityEntry.objects.filter(action="event.updated").count() == 1


def test_an_update_that_changes_nothing_is_not_recorded(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    programme.event_update(event=workshop, actor=coordinator, location=workshop.location)
    assert ActivityEntry.objects.filter(action="event.updated").count() == 0
    assert OutgoingEmail.objects.count() == 3


def test_cancelling_an_invited_event_sends_a_cancel(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    cancelled = programme.event_cancel(event=workshop, actor=coordinator)
    assert cancelled.is_cancelled
    assert cancelled.sequence == 1
    sent = mails("event_cancelled:")
    assert len(sent) == 3
    calendar = ics_of(sent[0])
    assert calendar["METHOD"] == "CANCEL"
    item = vevent(calendar)
    assert str(item["UID"]) == f"{workshop.uid}@soske"
    assert item["SEQUENCE"] == 1
    assert str(item["STATUS"]) == "CANCELLED"
    assert ActivityEntry.objects.filter(action="event.cancelled").count() == 1
    with pytest.raises(programme.ProgrammeError):
        programme.event_update(event=cancelled, actor=coordinator, location="x")


def test_cancelling_an_uninvited_event_sends_nothing(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_cancel(event=workshop, actor=coordinator)
    assert OutgoingEmail.objects.count() == 0


def test_an_event_must_end_after_it_starts(released, coordinator):
    with pytest.raises(programme.ProgrammeError):
        event(released, coordinator, ends_at=at(2030, 2, 13, 9))
    assert Event.objects.count() == 0


# --- reminders ---------------------------------------------------------------------------


def test_reminders_go_7_days_and_1_day_before_once_per_person(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    OutgoingEmail.objects.all().delete()
    assert programme.send_event_reminders(at=at(2030, 2, 5, 9)) == 0  # 8 days before
    assert programme.send_event_reminders(at=at(2030, 2, 6, 10)) == 3  # 7 days before
    assert programme.send_event_reminders(at=at(2030, 2, 6, 10)) == 0  # the task runs twice
    assert programme.send_event_reminders(at=at(2030, 2, 10, 10)) == 0
    assert programme.send_event_reminders(at=at(2030, 2, 12, 10)) == 3  # 1 day before
    assert programme.send_event_reminders(at=at(2030, 2, 12, 11)) == 0
    subjects = sorted(m.subject for m in OutgoingEmail.objects.filter(to="liisa@example.org"))
    assert subjects == ["Muistutus: Työpaja", "Muistutus: Työpaja"]
    assert OutgoingEmail.objects.count() == 6


def test_an_event_close_at_hand_gets_only_the_1_day_reminder(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    OutgoingEmail.objects.all().delete()
    assert programme.send_event_reminders(at=at(2030, 2, 12, 21)) == 3
    assert {m.key.split(":")[2] for m in OutgoingEmail.objects.all()} == {"1"}


def test_a_moved_event_reminds_again(teams, released, coordinator):
    workshop = event(released, coordinator)
    programme.event_invite(event=workshop, actor=coordinator)
    programme.send_event_reminders(at=at(2030, 2, 12, 10))
    before = OutgoingEmail.objects.filter(key__startswith="event-reminder:").count()
    programme.event_update(
        event=workshop,
        actor=coordinator,
        starts_at=at(2030, 2, 13, 13),
        ends_at=at(2030, 2, 13, 16),
    )
    assert programme.send_event_reminders(at=at(2030, 2, 12, 14)) == 3
    assert OutgoingEmail.objects.filter(key__startswith="event-reminder:").count() == before + 3


def test_no_reminders_for_uninvited_or_cancelled_events(teams, released, coordinator):
    event(released, coordinator)
    cancelled = event(released, coordinator)
    programme.event_invite(event=cancelled, actor=coordinator)
    programme.event_cancel(event=cancelled, actor=coordinator)
    OutgoingEmail.objects.all().delete()
    assert programme.send_event_reminders(at=at(2030, 2, 12, 10)) == 0


# --- materials -----------------------------------------------------------------------------


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", storage)
    return storage


def test_a_material_file_is_added_and_removed_with_the_log(
    released, coordinator, private_storage, django_capture_on_commit_callbacks
):
    workshop = event(released, coordinator)
    upload = SimpleUploadedFile("ohjelma.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    material = programme.material_add(
        event=workshop, actor=coordinator, title="Ohjelma", file=upload
    )
    assert material.filename == "ohjelma.pdf"
    stored = material.file.name
    assert private_storage.exists(stored)
    added = ActivityEntry.objects.get(action="material.added")
    assert added.after == {"title": "Ohjelma", "url": "", "filename": "ohjelma.pdf"}
    with django_capture_on_commit_callbacks(execute=True):
        programme.material_remove(material=material, actor=coordinator)
    assert Material.objects.count() == 0
    assert not private_storage.exists(stored)
    removed = ActivityEntry.objects.get(action="material.removed")
    assert removed.before == {"title": "Ohjelma", "url": "", "filename": "ohjelma.pdf"}


def test_a_material_is_a_link_or_a_file_not_both(released, coordinator):
    workshop = event(released, coordinator)
    link = programme.material_add(
        event=workshop, actor=coordinator, title="Dia", url="https://example.org/dia"
    )
    assert link.url == "https://example.org/dia"
    with pytest.raises(programme.ProgrammeError):
        programme.material_add(event=workshop, actor=coordinator, title="Tyhjä")
