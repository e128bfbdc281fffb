"""The interview .ics goes to everyone the applicant names as attending, not only the contact.

The booking says who attends by role (management, procurement, …) and by name. Those of
them with an e-mail address in the application (the manager of the management step, the
team members) get the mail with the .ics, are listed as its attendees, and get the move
and the cancellation of the same event (one UID, a rising SEQUENCE).
"""

import pytest
from icalendar import Calendar

from applications import interviews
from applications.models import TeamMember, TeamRole
from soske import clock
from soske.mail.models import OutgoingEmail

from .interview_world import NOW, hki, interview_cohort, slot_at, submitted_application

ALICE = "alice@example.org"  # the applicant, the contact person
RITA = "rita.reviewer@example.org"
CECILIA = "cecilia.coordinator@example.org"
MANAGER = "johto@example.org"  # "Johtaja Testinen", the manager of every complete application
HANNA = "hanna@testila.fi"
LAURI = "lauri@testila.fi"
SANNA = "sanna@testila.fi"
EILA = "eila@testila.fi"


@pytest.fixture(autouse=True)
def _before_the_interviews(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(NOW):
        yield


@pytest.fixture
def icohort(db):
    return interview_cohort()


@pytest.fixture
def application(icohort, applicant):
    applicant.language = "sv"
    applicant.save(update_fields=["language"])
    application = submitted_application(icohort, applicant)
    for name, email, role in [
        ("Hanna Hankinta", HANNA, TeamRole.PROCUREMENT),  # attends by role
        ("Lauri Laki", LAURI, TeamRole.LAWYER),  # attends by name
        ("Sanna Talous", SANNA, TeamRole.FINANCE),  # not attending
        ("Eila Työllisyys", EILA, TeamRole.EMPLOYMENT_SERVICES),  # role not named
        ("Pekka Puuttuu", "", TeamRole.PROCUREMENT),  # attends, but has no address
    ]:
        TeamMember.objects.create(application=application, name=name, email=email, role=role)
    return application


@pytest.fixture
def friday(icohort, reviewer, coordinator):
    return slot_at(icohort, hki(2026, 10, 23, 9), reviewer, coordinator)


@pytest.fixture
def monday(icohort, reviewer, coordinator):
    return slot_at(icohort, hki(2026, 10, 26, 9), reviewer, coordinator)


def book(application, applicant, slot):
    return interviews.interview_book(
        application=application,
        slot=slot,
        actor=applicant,
        at=clock.now(),
        attendee_roles=["management", "procurement"],
        attendee_names="Johtaja Testinen, lauri laki (lakimies)",
    )


def rows(template):
    return {m.to: m for m in OutgoingEmail.objects.filter(key__startswith=f"{template}:")}


def event_of(message):
    (attachment,) = message.attachments
    (event,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return event


EVERYONE = {ALICE, RITA, CECILIA, MANAGER, HANNA, LAURI}


def test_everyone_named_as_attending_gets_the_invitation_with_the_ics(
    application, applicant, friday
):
    interview = book(application, applicant, friday)
    booked = rows("interview_booked")
    assert set(booked) == EVERYONE
    for email in (MANAGER, HANNA, LAURI):
        assert booked[email].key == f"interview_booked:{interview.pk}:0:{email}"
        assert booked[email].language == "sv"  # the application's language, as the contact's
    for message in booked.values():
        event = event_of(message)
        attendees = {str(a): a.params["CN"] for a in event["attendee"]}
        assert attendees == {
            f"mailto:{ALICE}": "Testi Yhteyshenkilö",
            f"mailto:{RITA}": attendees[f"mailto:{RITA}"],
            f"mailto:{CECILIA}": attendees[f"mailto:{CECILIA}"],
            f"mailto:{MANAGER}": "Johtaja Testinen",
            f"mailto:{HANNA}": "Hanna Hankinta",
            f"mailto:{LAURI}": "Lauri Laki",
        }
        assert str(event["uid"]) == f"{interview.uid}@soske"


def test_the_move_and_the_cancellation_reach_the_same_people(
    application, applicant, friday, monday
):
    interview = book(application, applicant, friday)
    interviews.interview_move(interview=interview, slot=monday, actor=applicant, at=clock.now())
    interviews.interview_cancel(
        interview=interview, actor=applicant, at=clock.now(), reason="Ei sovi."
    )
    moved, cancelled = rows("interview_moved"), rows("interview_cancelled")
    assert set(moved) == set(cancelled) == EVERYONE
    for email in (MANAGER, HANNA, LAURI):
        events = [event_of(rows("interview_booked")[email]), event_of(moved[email])]
        events.append(event_of(cancelled[email]))
        assert [str(e["uid"]) for e in events] == [f"{interview.uid}@soske"] * 3
        assert [e["sequence"] for e in events] == [0, 1, 2]
        assert str(events[2]["status"]) == "CANCELLED"
    # The reminder of the day before too.
    interviews.interview_book(
        application=application,
        slot=friday,
        actor=applicant,
        at=clock.now(),
        attendee_roles=["procurement"],
    )
    assert interviews.send_interview_reminders(at=hki(2026, 10, 22, 8)) == 4
    assert set(
        OutgoingEmail.objects.filter(key__startswith="interview-reminder:").values_list(
            "to", flat=True
        )
    ) == {ALICE, RITA, CECILIA, HANNA}


def test_with_nobody_named_only_the_contact_is_invited(application, applicant, friday):
    interviews.interview_book(application=application, slot=friday, actor=applicant, at=clock.now())
    assert set(rows("interview_booked")) == {ALICE, RITA, CECILIA}
    attendees = event_of(rows("interview_booked")[ALICE])["attendee"]
    assert sorted(str(a) for a in attendees) == [
        f"mailto:{e}" for e in sorted({ALICE, RITA, CECILIA})
    ]


def test_a_person_named_twice_is_invited_once(application, applicant, friday):
    TeamMember.objects.create(
        application=application,
        name="Johtaja Testinen",
        email="Johto@Example.org",
        role=TeamRole.PROCUREMENT,
    )
    book(application, applicant, friday)
    booked = rows("interview_booked")
    assert set(booked) == EVERYONE
    attendees = [str(a) for a in event_of(booked[ALICE])["attendee"]]
    assert sorted(attendees) == sorted(f"mailto:{e}" for e in EVERYONE)
