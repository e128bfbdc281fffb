"""Interviews: slots, booking, moving and cancelling, mails, reminders, feeds and notes.

The calendar is the one in interview_world.py: the tests stand on Monday 12 October
2026 at 10:00 (Helsinki), interviews run 19–30 October.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import Calendar

from applications import interviews
from applications.interviews import InterviewError
from applications.models import (
    Application,
    ApplicationMember,
    Interview,
    InterviewSlot,
    Status,
)
from applications.tasks import send_interview_reminders as send_interview_reminders_task
from soske import clock
from soske.calendar.models import CalendarFeed
from soske.calendar.series import slot_series
from soske.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, UserFactory

from .interview_world import (
    HELSINKI,
    NOW,
    hki,
    interview_cohort,
    messages_of,
    slot_at,
    submitted_application,
    utc,
)

ALICE = "alice@example.org"
RITA = "rita.reviewer@example.org"
CECILIA = "cecilia.coordinator@example.org"
TAKEN = "Someone else booked this slot a moment ago. Choose another one from the refreshed list."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _monday_before_the_interviews(_fast_password_hashing):
    with clock.travel(NOW):
        yield


@pytest.fixture(autouse=True)
def _english(applicant, other_applicant, reviewer, coordinator):
    """Messages and mails in English (the msgids), whatever the catalogues hold today."""
    for person in (applicant, other_applicant, reviewer, coordinator):
        person.language = "en"
        person.save(update_fields=["language"])


@pytest.fixture
def icohort(db):
    return interview_cohort()


@pytest.fixture
def application(icohort, applicant):
    return submitted_application(icohort, applicant)


@pytest.fixture
def mon(icohort, reviewer, coordinator):
    """Monday 19 October 09:00–10:00 (EEST, UTC+3), both interviewers."""
    return slot_at(icohort, hki(2026, 10, 19, 9), reviewer, coordinator)


@pytest.fixture
def tue(icohort, reviewer, coordinator):
    return slot_at(icohort, hki(2026, 10, 20, 9), reviewer, coordinator, location="Talo 2")


def booking_url(application):
    return reverse("applications:interview", args=[application.pk])


def cancel_url(application):
    return reverse("applications:interview_cancel", args=[application.pk])


def manage_url(application):
    return reverse("staff:interview_manage", args=[application.pk])


def book(client, application, slot, **extra):
    data = {
        "slot": slot.pk,
        "attendee_roles": ["management", "procurement"],
        "attendee_names": "Johtaja Testinen, Hankinta Asiantuntija",
        **extra,
    }
    return client.post(booking_url(application), data)


def book_service(application, slot, actor, **kwargs):
    return interviews.interview_book(
        application=application, slot=slot, actor=actor, at=clock.now(), **kwargs
    )


def mails(prefix):
    return {m.to: m for m in OutgoingEmail.objects.filter(key__startswith=prefix + ":")}


def offered(response):
    return list(response.context["form"].fields["slot"].queryset)


def calendar_of(email: OutgoingEmail) -> Calendar:
    (attachment,) = email.attachments
    return Calendar.from_ical(attachment["content"])


# --- Slots ------------------------------------------------------------------------------


def test_series_weekdays_9_to_15_of_60_minutes_with_15_between_gives_exact_helsinki_times():
    starts = slot_series(
        first_day=date(2026, 10, 19),
        last_day=date(2026, 10, 25),
        weekdays=[0, 1, 2, 3, 4],
        day_start=time(9),
        day_end=time(15),
        duration_minutes=60,
        gap_minutes=15,
    )
    times = [(9, 0), (10, 15), (11, 30), (12, 45), (14, 0)]  # 15:15 would end after 15:00
    assert starts == [hki(2026, 10, day, h, m) for day in range(19, 24) for h, m in times]
    assert [clock.helsinki(s).strftime("%a %H:%M") for s in starts[:6]] == [
        "Mon 09:00",
        "Mon 10:15",
        "Mon 11:30",
        "Mon 12:45",
        "Mon 14:00",
        "Tue 09:00",
    ]
    assert starts[0] == utc(2026, 10, 19, 6)  # summer time, UTC+3


def test_series_across_the_change_to_winter_time_keeps_the_local_hour():
    starts = slot_series(
        first_day=date(2026, 10, 23),
        last_day=date(2026, 10, 26),
        weekdays=[0, 4],
        day_start=time(9),
        day_end=time(10),
        duration_minutes=60,
        gap_minutes=15,
    )
    assert starts == [utc(2026, 10, 23, 6), utc(2026, 10, 26, 7)]


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    duration=st.integers(15, 240),
    gap=st.integers(0, 90),
    first_hour=st.integers(6, 12),
    hours=st.integers(0, 11),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
)
def test_any_series_fills_each_chosen_day_from_its_start_without_overlap(
    duration, gap, first_hour, hours, weekdays
):
    day_start, day_end = time(first_hour), time(first_hour + hours, 30)
    starts = slot_series(
        first_day=date(2026, 10, 19),
        last_day=date(2026, 10, 30),  # across the change to winter time
        weekdays=sorted(weekdays),
        day_start=day_start,
        day_end=day_end,
        duration_minutes=duration,
        gap_minutes=gap,
    )
    length = timedelta(minutes=duration)
    minutes = hours * 60 + 30
    per_day = (minutes - duration) // (duration + gap) + 1 if minutes >= duration else 0
    days = [date(2026, 10, 19) + timedelta(days=i) for i in range(12)]
    chosen = [d for d in days if d.weekday() in weekdays]
    assert len(starts) == per_day * len(chosen)
    for i, day in enumerate(chosen):
        local = [clock.helsinki(s) for s in starts[i * per_day : (i + 1) * per_day]]
        # Wall-clock times in Helsinki, whichever side of 25 October the day is on.
        assert [t.replace(tzinfo=None) for t in local] == [
            datetime.combine(day, day_start) + k * timedelta(minutes=duration + gap)
            for k in range(per_day)
        ]
        assert all(t + length <= datetime.combine(day, day_end, tzinfo=HELSINKI) for t in local)
    assert all(a + length <= b for a, b in zip(starts, starts[1:], strict=False))


def series_data(icohort, *interviewers, **overrides):
    return {
        "cohort": icohort.pk,
        "first_day": "2026-10-19",
        "last_day": "2026-10-20",
        "weekdays": ["0", "1", "2", "3", "4"],
        "day_start": "09:00",
        "day_end": "15:00",
        "duration_minutes": "60",
        "gap_minutes": "15",
        "location": "Kaupungintalo, kokoushuone 3",
        "meeting_url": "",
        "interviewers": [u.pk for u in interviewers],
        **overrides,
    }


def test_staff_create_a_series_of_slots(reviewer_client, icohort, reviewer, coordinator):
    response = reviewer_client.post(
        reverse("staff:slots_new"), series_data(icohort, reviewer, coordinator)
    )
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("staff:interviews") + f"?cohort={icohort.pk}&week=2026-W43"
    )
    slots = list(InterviewSlot.objects.filter(cohort=icohort).order_by("starts_at"))
    assert [s.starts_at for s in slots] == [
        hki(2026, 10, day, h, m)
        for day in (19, 20)
        for h, m in [(9, 0), (10, 15), (11, 30), (12, 45), (14, 0)]
    ]
    for slot in slots:
        assert slot.duration_minutes == 60
        assert slot.location == "Kaupungintalo, kokoushuone 3"
        assert set(slot.interviewers.all()) == {reviewer, coordinator}
        assert slot.created_at == NOW
    assert messages_of(reviewer_client.get(response["Location"])) == [
        "10 interview slots were created."
    ]


def test_slot_length_defaults_to_60_minutes(reviewer_client, icohort):
    form = reviewer_client.get(reverse("staff:slots_new") + f"?cohort={icohort.pk}").context["form"]
    assert form["duration_minutes"].initial == 60
    assert InterviewSlot._meta.get_field("duration_minutes").default == 60


def test_a_series_outside_the_interview_window_is_refused(reviewer_client, icohort, reviewer):
    response = reviewer_client.post(
        reverse("staff:slots_new"),
        series_data(icohort, reviewer, first_day="2026-10-16", last_day="2026-10-31"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"first_day", "last_day"}
    assert errors["first_day"][0].startswith("Choose a day inside the interview window ")
    assert not InterviewSlot.objects.exists()


def test_a_slot_outside_the_window_is_refused_by_the_service(icohort, reviewer):
    with pytest.raises(InterviewError) as refused:
        interviews.slots_create(
            cohort=icohort,
            starts=[hki(2026, 10, 30, 9), hki(2026, 10, 31, 9)],
            duration_minutes=60,
            location="Talo",
            meeting_url="",
            interviewers=[reviewer],
            actor=reviewer,
        )
    assert refused.value.message.startswith(
        "31 Oct 2026, 09:00 (Europe/Helsinki, UTC+02:00) is outside the interview window "
    )
    assert not InterviewSlot.objects.exists()  # all or nothing


def create(icohort, starts, *interviewers):
    return interviews.slots_create(
        cohort=icohort,
        starts=starts,
        duration_minutes=60,
        location="Talo",
        meeting_url="",
        interviewers=interviewers,
        actor=interviewers[0],
    )


def test_an_overlapping_slot_for_the_same_interviewer_is_refused(icohort, reviewer, coordinator):
    existing = slot_at(icohort, hki(2026, 10, 19, 10), reviewer)
    with pytest.raises(InterviewError) as refused:
        create(icohort, [hki(2026, 10, 19, 8), hki(2026, 10, 19, 10, 30)], reviewer, coordinator)
    assert refused.value.code == "overlap"
    assert refused.value.message == (
        "An interviewer already has a slot at 19 Oct 2026, 10:30 (Europe/Helsinki, UTC+03:00)."
    )
    assert list(InterviewSlot.objects.all()) == [existing]  # nothing of the series was made


def test_the_same_time_is_allowed_for_another_interviewer_and_back_to_back_for_the_same(
    icohort, reviewer, coordinator
):
    existing = slot_at(icohort, hki(2026, 10, 19, 10), reviewer)
    (parallel,) = create(icohort, [hki(2026, 10, 19, 10, 30)], coordinator)
    (after,) = create(icohort, [hki(2026, 10, 19, 11)], reviewer)
    (before,) = create(icohort, [hki(2026, 10, 19, 9)], reviewer)
    assert list(InterviewSlot.objects.all()) == [before, existing, parallel, after]
    assert list(parallel.interviewers.all()) == [coordinator]


def test_the_slot_form_shows_the_overlap(reviewer_client, icohort, reviewer):
    slot_at(icohort, hki(2026, 10, 20, 12), reviewer)
    response = reviewer_client.post(reverse("staff:slots_new"), series_data(icohort, reviewer))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "An interviewer already has a slot at 20 Oct 2026, 11:30 (Europe/Helsinki, UTC+03:00)."
    ]
    assert InterviewSlot.objects.count() == 1


def test_staff_remove_a_free_slot(reviewer_client, mon):
    response = reviewer_client.post(reverse("staff:slot_delete", args=[mon.pk]), follow=True)
    assert response.redirect_chain == [
        (reverse("staff:interviews") + f"?cohort={mon.cohort_id}&week=2026-W43", 302)
    ]
    assert messages_of(response) == ["The slot was removed."]
    assert not InterviewSlot.objects.exists()


def test_a_booked_slot_cannot_be_removed(reviewer_client, application, applicant, mon):
    interview = book_service(application, mon, applicant)
    response = reviewer_client.post(reverse("staff:slot_delete", args=[mon.pk]), follow=True)
    assert messages_of(response) == ["This slot has been booked; cancel the interview first."]
    assert InterviewSlot.objects.get() == mon
    assert Interview.objects.get() == interview


def test_removing_a_slot_is_a_post(reviewer_client, mon):
    assert reviewer_client.get(reverse("staff:slot_delete", args=[mon.pk])).status_code == 405
    assert InterviewSlot.objects.get() == mon


# --- The booking link -----------------------------------------------------------------------


def test_submitting_an_application_mails_the_contact_person_a_link_to_book(
    applicant_client, applicant, icohort
):
    draft = ApplicationFactory(cohort=icohort, created_by=applicant, complete=True)
    with clock.travel(hki(2026, 9, 15, 12)):
        response = applicant_client.post(
            reverse("applications:review", args=[draft.pk]),
            {"privacy_consent": "on", "submit_token": "tok-1"},
        )
    assert response.status_code == 302
    link = OutgoingEmail.objects.get(key__startswith="interview-booking-link:")
    assert link.key == f"interview-booking-link:{draft.pk}:{ALICE}"
    assert link.to == ALICE
    assert link.language == "en"
    assert link.subject == "Soske academy: book an interview"
    assert f"/applications/{draft.pk}/interview/" in link.body_text
    assert link.body_text.startswith(
        "The key people of Testilän kaupunki are interviewed before the final selection"
    )


def test_a_resubmission_does_not_send_the_link_again(application, applicant):
    from applications import services

    with clock.travel(hki(2026, 9, 20, 12)):
        services.application_submit(
            application=application,
            actor=applicant,
            at=clock.now(),
            submit_token="second",
            consent=True,
        )
    assert application.versions.count() == 2
    assert list(mails("interview-booking-link")) == [ALICE]


# --- Booking, moving and cancelling: the applicant ----------------------------------------


def test_the_applicant_books_a_free_slot(applicant_client, application, applicant, mon, tue):
    page = applicant_client.get(booking_url(application))
    assert page.status_code == 200
    assert offered(page) == [mon, tue]

    response = book(applicant_client, application, mon)
    assert response.status_code == 302
    assert response["Location"] == booking_url(application)
    interview = Interview.objects.get()
    assert interview.application == application
    assert interview.slot == mon
    assert interview.state == Interview.State.BOOKED
    assert interview.sequence == 0
    assert interview.booked_by == applicant
    assert interview.booked_at == NOW
    assert interview.attendee_roles == ["management", "procurement"]
    assert interview.attendee_names == "Johtaja Testinen, Hankinta Asiantuntija"

    page = applicant_client.get(booking_url(application))
    assert messages_of(page) == [
        "The interview was booked. A calendar invitation was sent by e-mail."
    ]
    assert page.context["current"] == interview
    assert offered(page) == [tue]  # the booked slot is nobody's to take any more

    booked = mails("interview_booked")
    # The booking names the management as attending: the manager is invited too.
    assert sorted(booked) == [ALICE, CECILIA, "johto@example.org", RITA]
    for email, message in booked.items():
        assert message.key == f"interview_booked:{interview.pk}:0:{email}"
        assert message.language == "en"
        assert message.subject == "Interview booked: Testilän kaupunki"
        assert "19 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in message.body_text
        assert "Kaupungintalo, Helsinki" in message.body_text
        (attachment,) = message.attachments
        assert attachment["filename"] == "soske-interview.ics"
        assert attachment["mimetype"] == "text/calendar; method=REQUEST"
        assert calendar_of(message)["method"] == "REQUEST"
    # The applicant's link leads to the booking page, the interviewers' to the staff page.
    assert f"/applications/{application.pk}/interview/" in booked[ALICE].body_text
    assert f"/staff/interviews/{interview.pk}/" in booked[RITA].body_text


def test_each_recipient_gets_the_mail_in_their_own_language(
    application, applicant, reviewer, coordinator, mon
):
    applicant.language = "fi"
    applicant.save(update_fields=["language"])
    reviewer.language = "sv"
    reviewer.save(update_fields=["language"])
    interview = book_service(application, mon, applicant)
    booked = mails("interview_booked")
    assert {email: m.language for email, m in booked.items()} == {
        ALICE: "fi",
        RITA: "sv",
        CECILIA: "en",
    }
    assert booked[CECILIA].subject == "Interview booked: Testilän kaupunki"
    assert interview.sequence == 0


def test_a_colleague_who_books_is_mailed_too_in_their_language(application, mon):
    colleague = UserFactory(email="colleague@example.org", language="sv")
    ApplicationMember.objects.create(
        application=application,
        user=colleague,
        role=ApplicationMember.Role.EDITOR,
        added_at=clock.now(),
    )
    book_service(application, mon, colleague)
    booked = mails("interview_booked")
    assert {email: m.language for email, m in booked.items()} == {
        ALICE: "en",  # the contact person
        "colleague@example.org": "sv",
        RITA: "en",
        CECILIA: "en",
    }


def test_the_applicant_moves_the_interview(applicant_client, application, applicant, mon, tue):
    interview = book_service(application, mon, applicant)
    response = applicant_client.post(
        booking_url(application), {"slot": tue.pk, "reason": "Johtaja on estynyt"}
    )
    assert response.status_code == 302
    moved = Interview.objects.get()
    assert moved.pk == interview.pk
    assert moved.uid == interview.uid
    assert moved.slot == tue
    assert moved.sequence == 1
    assert moved.state == Interview.State.BOOKED
    assert messages_of(applicant_client.get(booking_url(application))) == [
        "The interview was moved. A new calendar invitation was sent by e-mail."
    ]
    sent = mails("interview_moved")
    assert sorted(sent) == [ALICE, CECILIA, RITA]
    for email, message in sent.items():
        assert message.key == f"interview_moved:{interview.pk}:1:{email}"
        assert message.subject == "Interview moved: Testilän kaupunki"
        assert "20 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in message.body_text
        assert "Reason: Johtaja on estynyt" in message.body_text
        assert message.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"
    # Monday is free again.
    assert offered(applicant_client.get(booking_url(application))) == [mon]


def test_an_interviewer_left_out_by_a_move_gets_a_cancellation(
    application, applicant, reviewer, coordinator, mon
):
    only_rita = slot_at(mon.cohort, hki(2026, 10, 21, 9), reviewer)
    interview = book_service(application, mon, applicant)
    interviews.interview_move(interview=interview, slot=only_rita, actor=applicant, at=NOW)
    assert sorted(mails("interview_moved")) == [ALICE, RITA]
    (cancellation,) = mails("interview_cancelled").values()
    assert cancellation.to == CECILIA
    assert cancellation.key == f"interview_cancelled:{interview.pk}:1:{CECILIA}"
    assert cancellation.attachments[0]["mimetype"] == "text/calendar; method=CANCEL"
    event = calendar_of(cancellation).walk("VEVENT")[0]
    assert str(event["uid"]) == f"{interview.uid}@soske"
    assert event["sequence"] == 1
    # The cancellation names the time the interviewer had in the calendar.
    assert event.decoded("dtstart") == utc(2026, 10, 19, 6)
    assert "19 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in cancellation.body_text


def test_the_applicant_cancels_with_a_reason_and_may_book_again(
    applicant_client, application, applicant, mon, tue
):
    interview = book_service(application, mon, applicant)
    page = applicant_client.get(cancel_url(application))
    assert page.status_code == 200
    response = applicant_client.post(cancel_url(application), {"reason": "Emme ehdi mukaan."})
    assert response.status_code == 302
    assert response["Location"] == booking_url(application)
    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    assert interview.cancel_reason == "Emme ehdi mukaan."
    assert interview.cancelled_at == NOW
    assert interview.sequence == 1
    page = applicant_client.get(booking_url(application))
    assert messages_of(page) == ["The interview was cancelled."]
    assert page.context["current"] is None
    assert offered(page) == [mon, tue]

    sent = mails("interview_cancelled")
    assert sorted(sent) == [ALICE, CECILIA, RITA]
    for email, message in sent.items():
        assert message.key == f"interview_cancelled:{interview.pk}:1:{email}"
        assert message.subject == "Interview cancelled: Testilän kaupunki"
        assert "Reason: Emme ehdi mukaan." in message.body_text
        assert "19 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in message.body_text
        assert message.attachments[0]["mimetype"] == "text/calendar; method=CANCEL"

    book(applicant_client, application, mon)
    again = Interview.objects.get(state=Interview.State.BOOKED)
    assert again.pk != interview.pk
    assert again.uid != interview.uid
    assert again.sequence == 0
    assert Interview.objects.count() == 2


def test_a_cancellation_needs_a_reason(applicant_client, application, applicant, mon):
    interview = book_service(application, mon, applicant)
    response = applicant_client.post(cancel_url(application), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Tell us why the interview is cancelled."]
    }
    interview.refresh_from_db()
    assert interview.state == Interview.State.BOOKED
    assert interview.sequence == 0
    assert not mails("interview_cancelled")
    with pytest.raises(InterviewError) as refused:
        interviews.interview_cancel(interview=interview, actor=applicant, at=NOW, reason=" ")
    assert refused.value.code == "reason"


def test_no_cancel_page_without_a_booking(applicant_client, application):
    assert applicant_client.get(cancel_url(application)).status_code == 404


# --- Refusals ---------------------------------------------------------------------------------


def test_after_the_cutoff_the_applicant_cannot_book_but_staff_can(
    applicant_client, coordinator_client, application, coordinator, mon, tue
):
    with clock.travel(hki(2026, 10, 18, 9, 30)):  # 23.5 hours before Monday 09:00
        page = applicant_client.get(booking_url(application))
        assert offered(page) == [tue]
        response = book(applicant_client, application, mon)
        assert response.status_code == 200
        assert messages_of(response) == [
            "Slots starting within 24 hours can no longer be booked. Contact the staff."
        ]
        assert offered(response) == [tue]
        assert not Interview.objects.exists()
        assert not mails("interview_booked")

        assert offered(coordinator_client.get(manage_url(application))) == [mon, tue]
        response = coordinator_client.post(
            manage_url(application), {"action": "book", "slot": mon.pk}, follow=True
        )
        assert messages_of(response) == [
            "Saved. The applicant and the interviewers were informed by e-mail."
        ]
    interview = Interview.objects.get()
    assert interview.slot == mon
    assert interview.booked_by == coordinator
    assert sorted(mails("interview_booked")) == [ALICE, CECILIA, RITA]


def test_the_cutoff_is_set_per_cohort(applicant_client, application, icohort, mon, tue):
    icohort.interview_change_cutoff = timedelta(hours=48)
    icohort.save()
    with clock.travel(hki(2026, 10, 17, 10)):  # 47 hours before Monday 09:00
        assert offered(applicant_client.get(booking_url(application))) == [tue]
        response = book(applicant_client, application, mon)
    assert messages_of(response) == [
        "Slots starting within 48 hours can no longer be booked. Contact the staff."
    ]
    assert not Interview.objects.exists()


def test_a_slot_in_the_past_is_refused_to_everyone(
    applicant_client, coordinator_client, application, mon
):
    with clock.travel(hki(2026, 10, 19, 12)):
        response = book(applicant_client, application, mon)
        assert messages_of(response) == ["This slot is in the past."]
        response = coordinator_client.post(
            manage_url(application), {"action": "book", "slot": mon.pk}
        )
        assert messages_of(response) == ["This slot is in the past."]
        assert mon not in offered(response)
        with pytest.raises(InterviewError) as refused:
            interviews.interview_book(
                application=application, slot=mon, actor=None, at=clock.now(), staff=True
            )
    assert refused.value.message == "This slot is in the past."
    assert not Interview.objects.exists()


def test_a_slot_outside_the_window_is_not_offered_and_is_refused(
    applicant_client, coordinator_client, application, icohort, reviewer
):
    # The window was narrowed after the slot was made.
    late = slot_at(icohort, hki(2026, 11, 2, 9), reviewer)
    assert offered(applicant_client.get(booking_url(application))) == []
    assert offered(coordinator_client.get(manage_url(application))) == []
    response = book(applicant_client, application, late)
    assert messages_of(response) == ["This slot is outside the interview window."]
    response = coordinator_client.post(manage_url(application), {"action": "book", "slot": late.pk})
    assert messages_of(response) == ["This slot is outside the interview window."]
    assert not Interview.objects.exists()


def test_a_slot_of_another_call_is_not_bookable(applicant_client, application, reviewer):
    other_cohort = interview_cohort()
    foreign = slot_at(other_cohort, hki(2026, 10, 22, 9), reviewer)
    response = book(applicant_client, application, foreign)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "slot": ["That time is no longer free. Choose another one."]
    }
    with pytest.raises(InterviewError) as refused:
        book_service(application, foreign, application.created_by)
    assert refused.value.message == "This slot belongs to another call."
    assert not Interview.objects.exists()


def test_only_a_submitted_application_books(
    other_client, coordinator_client, other_applicant, icohort, mon
):
    draft = ApplicationFactory(cohort=icohort, created_by=other_applicant, complete=True)
    response = book(other_client, draft, mon)
    assert response.status_code == 200
    assert messages_of(response) == ["Only a submitted application can book an interview."]
    assert coordinator_client.get(manage_url(draft)).status_code == 404
    with pytest.raises(InterviewError) as refused:
        book_service(draft, mon, other_applicant, staff=True)
    assert refused.value.message == "Only a submitted application can book an interview."
    assert not Interview.objects.exists()


def test_one_application_holds_at_most_one_active_interview(application, applicant, mon, tue):
    first = book_service(application, mon, applicant)
    with pytest.raises(InterviewError) as refused:
        book_service(application, tue, applicant)
    assert refused.value.code == "exists"
    assert refused.value.message == "This application already has an interview. Move it instead."
    assert list(Interview.objects.all()) == [first]
    assert len(mails("interview_booked")) == 3


def test_a_slot_taken_in_the_meantime_gives_a_clear_message_and_a_fresh_list(
    applicant_client, application, other_applicant, icohort, mon, tue
):
    page = applicant_client.get(booking_url(application))
    assert offered(page) == [mon, tue]
    rival = submitted_application(icohort, other_applicant, org_name="Kilpailijala")
    book_service(rival, mon, other_applicant)
    response = book(applicant_client, application, mon)
    assert response.status_code == 200
    assert messages_of(response) == [TAKEN]
    assert offered(response) == [tue]
    # What they typed is kept for the next try.
    form = response.context["form"]
    assert form["attendee_names"].value() == "Johtaja Testinen, Hankinta Asiantuntija"
    assert Interview.objects.get().application == rival


def test_the_applicant_cannot_move_or_cancel_after_the_cutoff_but_staff_can_until_the_start(
    applicant_client, coordinator_client, application, applicant, mon, tue
):
    interview = book_service(application, mon, applicant)
    late = (
        "The interview can no longer be changed here: it starts within 24 hours. Contact the staff."
    )
    with clock.travel(hki(2026, 10, 18, 12)):
        page = applicant_client.get(booking_url(application))
        assert page.context["can_change"] is False
        response = applicant_client.post(booking_url(application), {"slot": tue.pk}, follow=True)
        assert messages_of(response) == [late]
        response = applicant_client.post(cancel_url(application), {"reason": "X"}, follow=True)
        assert messages_of(response) == [late]
        interview.refresh_from_db()
        assert (interview.slot, interview.state, interview.sequence) == (mon, "booked", 0)

        response = coordinator_client.post(
            manage_url(application), {"action": "book", "slot": tue.pk, "reason": "Sairastuminen"}
        )
        assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.slot, interview.sequence) == (tue, 1)
    assert sorted(mails("interview_moved")) == [ALICE, CECILIA, RITA]

    with clock.travel(hki(2026, 10, 20, 8, 59)):
        response = coordinator_client.post(
            manage_url(application), {"action": "cancel", "reason": "Peruttu puhelimessa."}
        )
        assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.state, interview.sequence) == ("cancelled", 2)
    assert interview.cancel_reason == "Peruttu puhelimessa."
    assert sorted(mails("interview_cancelled")) == [ALICE, CECILIA, RITA]


def test_staff_cannot_change_an_interview_that_has_started(
    coordinator_client, application, applicant, mon, tue
):
    interview = book_service(application, mon, applicant)
    with clock.travel(hki(2026, 10, 19, 9, 1)):
        response = coordinator_client.post(
            manage_url(application), {"action": "cancel", "reason": "Myöhässä"}
        )
        assert messages_of(response) == ["The interview has already started."]
        response = coordinator_client.post(
            manage_url(application), {"action": "book", "slot": tue.pk}
        )
        assert messages_of(response) == ["The interview has already started."]
    interview.refresh_from_db()
    assert (interview.slot, interview.state, interview.sequence) == (mon, "booked", 0)


# --- Staff on the applicant's behalf ------------------------------------------------------------


def test_staff_book_move_and_cancel_on_the_applicants_behalf(
    coordinator_client, application, coordinator, mon, tue
):
    assert offered(coordinator_client.get(manage_url(application))) == [mon, tue]
    response = coordinator_client.post(
        manage_url(application),
        {"action": "book", "slot": mon.pk, "attendee_names": "Johtaja Testinen"},
    )
    assert response.status_code == 302
    assert response["Location"] == manage_url(application)
    interview = Interview.objects.get()
    assert (interview.slot, interview.booked_by, interview.attendee_names) == (
        mon,
        coordinator,
        "Johtaja Testinen",
    )
    # The contact person, the manager named as attending and the interviewers; the staff
    # member is mailed as an interviewer.
    everyone = [ALICE, CECILIA, "johto@example.org", RITA]
    assert sorted(mails("interview_booked")) == everyone

    coordinator_client.post(manage_url(application), {"action": "book", "slot": tue.pk})
    interview.refresh_from_db()
    assert (interview.slot, interview.sequence) == (tue, 1)
    assert sorted(mails("interview_moved")) == everyone

    response = coordinator_client.post(manage_url(application), {"action": "cancel", "reason": ""})
    assert response.status_code == 200
    assert response.context["cancel_form"].errors == {
        "reason": ["Tell us why the interview is cancelled."]
    }
    coordinator_client.post(manage_url(application), {"action": "cancel", "reason": "Sovittu."})
    interview.refresh_from_db()
    assert (interview.state, interview.sequence, interview.cancel_reason) == (
        "cancelled",
        2,
        "Sovittu.",
    )
    assert sorted(mails("interview_cancelled")) == everyone
    assert OutgoingEmail.objects.filter(key__startswith="interview_").count() == 12


# --- No interview yet --------------------------------------------------------------------------


def test_the_list_of_applications_without_interview_and_the_one_click_reminder(
    coordinator_client, icohort, applicant, other_applicant, mon
):
    waiting = submitted_application(icohort, applicant, org_name="Odottajala")
    booked = submitted_application(icohort, other_applicant, org_name="Varaajala")
    book_service(booked, mon, other_applicant)
    cancelled_one = submitted_application(icohort, UserFactory(), org_name="Perujala")
    slot = slot_at(icohort, hki(2026, 10, 21, 9))
    interview = book_service(cancelled_one, slot, cancelled_one.created_by)
    interviews.interview_cancel(
        interview=interview, actor=cancelled_one.created_by, at=NOW, reason="x"
    )
    ApplicationFactory(cohort=icohort, created_by=applicant, org_name="Luonnosla")  # a draft

    url = reverse("staff:interviews_unbooked") + f"?cohort={icohort.pk}"
    response = coordinator_client.get(url)
    assert [a.org_name for a in response.context["applications"]] == ["Odottajala", "Perujala"]

    response = coordinator_client.post(
        url, {"application": waiting.pk, "cohort": icohort.pk}, follow=True
    )
    assert messages_of(response) == ["A reminder to book an interview was sent to Odottajala."]
    reminder = OutgoingEmail.objects.get(key__startswith="interview-booking-reminder:")
    assert reminder.key == f"interview-booking-reminder:{waiting.pk}:2026-10-12:{ALICE}"
    assert reminder.subject == "Reminder: book an interview for the Soske academy"
    assert f"/applications/{waiting.pk}/interview/" in reminder.body_text

    response = coordinator_client.post(
        url, {"application": waiting.pk, "cohort": icohort.pk}, follow=True
    )
    assert messages_of(response) == ["Odottajala was already reminded today."]
    assert OutgoingEmail.objects.filter(key__startswith="interview-booking-reminder:").count() == 1

    # An application that has an interview is not on the list to remind.
    assert coordinator_client.post(url, {"application": booked.pk}).status_code == 404


# --- Reminders the day before ------------------------------------------------------------------


def reminders():
    return OutgoingEmail.objects.filter(key__startswith="interview-reminder:")


def test_the_reminder_goes_once_the_day_before_even_when_run_twice(application, applicant, mon):
    interview = book_service(application, mon, applicant)
    assert interviews.send_interview_reminders(at=hki(2026, 10, 17, 12)) == 0
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 8)) == 3
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 9)) == 0
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 23, 59)) == 0
    sent = {m.to: m for m in reminders()}
    assert sorted(sent) == [ALICE, CECILIA, RITA]
    for email, message in sent.items():
        assert message.key == f"interview-reminder:{interview.pk}:{mon.pk}:{email}"
        assert message.subject == "Reminder: Soske academy interview of Testilän kaupunki tomorrow"
        assert "19 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in message.body_text
    # On the day itself nothing more is sent.
    assert interviews.send_interview_reminders(at=hki(2026, 10, 19, 7)) == 0


def test_the_celery_task_sends_the_reminders_once(
    application, applicant, mon, django_capture_on_commit_callbacks
):
    book_service(application, mon, applicant)
    with clock.travel(hki(2026, 10, 18, 8)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_interview_reminders_task.delay().get() == 3
        with django_capture_on_commit_callbacks(execute=True):
            assert send_interview_reminders_task.delay().get() == 0
    assert reminders().count() == 3
    assert set(reminders().values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
    reminder_mails = [m for m in mail.outbox if m.subject.startswith("Reminder: Soske academy")]
    assert sorted(m.to[0] for m in reminder_mails) == [ALICE, CECILIA, RITA]


def test_no_reminder_for_a_cancelled_interview(application, applicant, mon):
    interview = book_service(application, mon, applicant)
    interviews.interview_cancel(interview=interview, actor=applicant, at=NOW, reason="Ei sovi.")
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 8)) == 0
    assert not reminders().exists()


def test_after_a_move_the_reminder_names_the_new_time(
    application, applicant, coordinator, reviewer, mon
):
    afternoon = slot_at(mon.cohort, hki(2026, 10, 19, 14), reviewer, coordinator)
    interview = book_service(application, mon, applicant)
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 8)) == 3
    with clock.travel(hki(2026, 10, 18, 10)):
        interviews.interview_move(
            interview=interview, slot=afternoon, actor=coordinator, at=clock.now(), staff=True
        )
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 11)) == 3
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 12)) == 0
    new = reminders().filter(key__contains=f":{afternoon.pk}:")
    assert sorted(new.values_list("to", flat=True)) == [ALICE, CECILIA, RITA]
    for message in new:
        assert "19 Oct 2026, 14:00–15:00 (Europe/Helsinki, UTC+03:00)" in message.body_text


def test_a_move_to_another_day_is_reminded_the_day_before_that(application, applicant, mon, tue):
    interview = book_service(application, mon, applicant)
    interviews.interview_move(interview=interview, slot=tue, actor=applicant, at=NOW)
    assert interviews.send_interview_reminders(at=hki(2026, 10, 18, 8)) == 0
    assert interviews.send_interview_reminders(at=hki(2026, 10, 19, 8)) == 3


# --- Who sees what ------------------------------------------------------------------------------


def test_the_interview_page_is_for_staff_only(
    applicant_client, other_client, application, applicant, mon
):
    interview = book_service(application, mon, applicant)
    url = reverse("staff:interview", args=[interview.pk])
    for client in (applicant_client, other_client):
        assert client.get(url).status_code == 403
        response = client.post(url, {"notes": "hijack"}, HTTP_X_SOSKE_AUTOSAVE="1")
        assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.notes == ""


def test_applicants_never_see_the_notes(applicant_client, application, applicant, reviewer, mon):
    interview = book_service(application, mon, applicant)
    interviews.interview_save_notes(
        interview=interview,
        checklist={"management_confirmed": True},
        answers={"why_now": "SALAINEN VASTAUS"},
        notes="SALAINEN MUISTIINPANO",
        outcome="SALAINEN ARVIO",
        actor=reviewer,
    )
    for url in (booking_url(application), cancel_url(application)):
        content = applicant_client.get(url).content.decode()
        assert "Kaupungintalo, Helsinki" in content or "Cancel" in content
        for secret in ("SALAINEN", "Management commitment confirmed", "management_confirmed"):
            assert secret not in content
    for message in OutgoingEmail.objects.filter(to=ALICE):
        assert "SALAINEN" not in message.body_text
        for attachment in message.attachments:
            assert "SALAINEN" not in attachment["content"]


def test_another_applicants_booking_is_a_404(other_client, application, applicant, mon, tue):
    interview = book_service(application, mon, applicant)
    assert other_client.get(booking_url(application)).status_code == 404
    assert other_client.post(booking_url(application), {"slot": tue.pk}).status_code == 404
    assert other_client.get(cancel_url(application)).status_code == 404
    assert other_client.post(cancel_url(application), {"reason": "x"}).status_code == 404
    interview.refresh_from_db()
    assert (interview.slot, interview.state, interview.sequence) == (mon, "booked", 0)


# --- The staff member's calendar feed ---------------------------------------------------------


def feed_events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_calendar_feed_lists_the_users_interviews(
    coordinator_client, anonymous, coordinator, reviewer, application, applicant, icohort, mon
):
    mine = book_service(application, mon, applicant)
    rita_only = slot_at(icohort, hki(2026, 10, 22, 9), reviewer)
    other = submitted_application(icohort, UserFactory(), org_name="Muuala")
    book_service(other, rita_only, other.created_by)

    page = coordinator_client.get(reverse("staff:calendar_feed"))
    assert page.context["feed"] is None
    response = coordinator_client.post(reverse("staff:calendar_feed"), {"action": "create"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert (feed.user, feed.revoked_at) == (coordinator, None)
    assert len(feed.token) >= 40
    page = coordinator_client.get(reverse("staff:calendar_feed"))
    assert page.context["url"] == f"http://127.0.0.1/calendar/{feed.token}.ics"

    response = anonymous.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    events = feed_events(response)
    assert [str(e["uid"]) for e in events] == [f"{mine.uid}@soske"]
    assert events[0].decoded("dtstart") == utc(2026, 10, 19, 6)
    assert "SALAINEN" not in response.content.decode()


def test_a_new_address_or_a_revoke_ends_the_old_token(coordinator_client, anonymous, coordinator):
    response = coordinator_client.post(
        reverse("staff:calendar_feed"), {"action": "create"}, follow=True
    )
    assert messages_of(response) == [
        "A new calendar address was made. The old one no longer works."
    ]
    first = CalendarFeed.objects.get().token
    assert anonymous.get(reverse("calendar_feed", args=[first])).status_code == 200

    coordinator_client.post(reverse("staff:calendar_feed"), {"action": "create"}, follow=True)
    second = CalendarFeed.objects.get(revoked_at__isnull=True).token
    assert second != first
    assert anonymous.get(reverse("calendar_feed", args=[first])).status_code == 404
    assert anonymous.get(reverse("calendar_feed", args=[second])).status_code == 200

    response = coordinator_client.post(
        reverse("staff:calendar_feed"), {"action": "revoke"}, follow=True
    )
    assert messages_of(response) == ["The calendar address was revoked. It no longer works."]
    assert anonymous.get(reverse("calendar_feed", args=[second])).status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_an_unknown_or_an_inactive_users_token_gives_404(anonymous, applicant, reviewer):
    assert anonymous.get(reverse("calendar_feed", args=["b" * 43])).status_code == 404
    CalendarFeed.objects.create(user=reviewer, token="c" * 43, created_at=NOW)
    assert anonymous.get(reverse("calendar_feed", args=["c" * 43])).status_code == 200
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    assert anonymous.get(reverse("calendar_feed", args=["c" * 43])).status_code == 404


def test_a_staff_member_who_loses_the_role_loses_the_interviews_from_the_feed(
    anonymous, coordinator, application, applicant, mon
):
    book_service(application, mon, applicant)
    CalendarFeed.objects.create(user=coordinator, token="c" * 43, created_at=NOW)
    assert len(feed_events(anonymous.get(reverse("calendar_feed", args=["c" * 43])))) == 1
    coordinator.groups.clear()
    response = anonymous.get(reverse("calendar_feed", args=["c" * 43]))
    assert response.status_code == 200
    assert feed_events(response) == []


def test_applicants_cannot_use_the_staff_calendar_page(applicant_client):
    assert (
        applicant_client.post(reverse("staff:calendar_feed"), {"action": "create"}).status_code
        == 403
    )
    assert not CalendarFeed.objects.exists()


# --- The interview page and its autosave ---------------------------------------------------------


def test_the_interview_page_shows_the_application_beside_the_guide(
    reviewer_client, application, applicant, mon
):
    interview = book_service(application, mon, applicant)
    response = reviewer_client.get(reverse("staff:interview", args=[interview.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Siivouspalvelut" in content  # the application's own answer
    form = response.context["form"]
    assert [c.key for c, _names in form.groups] == [
        "will_to_develop",
        "management_commitment",
        "strategic_anchoring",
        "multidisciplinary_team",
    ]
    assert [f.label for f in form.checklist_fields()] == [
        "Management commitment confirmed",
        "Resources confirmed",
        "Team roles confirmed",
        "Employment services involved (employment track)",
    ]
    assert "Why does the organisation want to take part now?" in content


def autosave(client, interview, data):
    return client.post(
        reverse("staff:interview", args=[interview.pk]), data, HTTP_X_SOSKE_AUTOSAVE="1"
    )


def test_autosave_stores_the_guide_and_ignores_unknown_keys(
    reviewer_client, reviewer, application, applicant, mon
):
    interview = book_service(application, mon, applicant)
    response = autosave(
        reviewer_client,
        interview,
        {
            "check_management_confirmed": "on",
            "check_team_confirmed": "on",
            "check_made_up": "on",
            "answer_why_now": "Strategia velvoittaa.",
            "answer_roles": "",
            "answer_not_a_question": "x",
            "notes": "Johto paikalla.",
            "outcome": "Vahva hakija.",
            "state": "cancelled",
            "sequence": "9",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"saved": "10:00:00"}
    interview.refresh_from_db()
    assert interview.checklist == {
        "management_confirmed": True,
        "resources_confirmed": False,
        "team_confirmed": True,
        "employment_services": False,
    }
    assert interview.answers == {"why_now": "Strategia velvoittaa."}
    assert interview.notes == "Johto paikalla."
    assert interview.outcome == "Vahva hakija."
    assert interview.notes_updated_at == NOW
    assert interview.notes_updated_by == reviewer
    assert (interview.state, interview.sequence) == ("booked", 0)
    assert not mails("interview_moved") and not mails("interview_cancelled")

    # The next save replaces what was there.
    with clock.travel(NOW + timedelta(seconds=5)):
        response = autosave(reviewer_client, interview, {"notes": "Toinen versio."})
    assert response.json() == {"saved": "10:00:05"}
    interview.refresh_from_db()
    assert interview.notes == "Toinen versio."
    assert interview.checklist["management_confirmed"] is False


def test_autosave_with_bad_input_answers_400_and_keeps_the_notes(
    reviewer_client, application, applicant, mon
):
    interview = book_service(application, mon, applicant)
    autosave(reviewer_client, interview, {"notes": "Ensimmäinen."})
    response = autosave(reviewer_client, interview, {"notes": "x" * 20001})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]
    interview.refresh_from_db()
    assert interview.notes == "Ensimmäinen."


def test_the_save_button_saves_and_says_when(reviewer_client, application, applicant, mon):
    interview = book_service(application, mon, applicant)
    url = reverse("staff:interview", args=[interview.pk])
    response = reviewer_client.post(url, {"notes": "Tallenna."}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == ["Saved at 10:00:00."]
    interview.refresh_from_db()
    assert interview.notes == "Tallenna."


# --- The staff week calendar -------------------------------------------------------------------


def test_the_week_calendar_shows_the_weeks_slots(
    reviewer_client, application, applicant, icohort, reviewer, mon, tue
):
    book_service(application, mon, applicant)
    slot_at(icohort, hki(2026, 10, 27, 9), reviewer)  # next week
    response = reviewer_client.get(
        reverse("staff:interviews") + f"?cohort={icohort.pk}&week=2026-W43"
    )
    assert response.status_code == 200
    days = response.context["days"]
    assert [d["date"] for d in days] == [date(2026, 10, 19 + i) for i in range(5)]
    assert days[0]["slots"] == [mon]
    assert days[1]["slots"] == [tue]
    assert [i.application for i in days[0]["slots"][0].active] == [application]
    assert days[1]["slots"][0].active == []
    content = response.content.decode()
    assert "Testilän kaupunki" in content
    assert "09:00–10:00" in content
    assert (response.context["previous"], response.context["next"]) == ("2026-W42", "2026-W44")


# --- Query counts ---------------------------------------------------------------------------


def _booked_world(icohort, count, interviewers):
    """`count` submitted applications each with an interview in week 43, in a few queries."""
    owner = UserFactory()
    apps = Application.objects.bulk_create(
        [
            Application(
                cohort=icohort,
                created_by=owner,
                created_at=NOW,
                updated_at=NOW,
                status=Status.SUBMITTED,
                submitted_at=NOW,
                version=1,
                org_name=f"Kunta {i}",
                contact_email=owner.email,
            )
            for i in range(count)
        ]
    )
    slots = InterviewSlot.objects.bulk_create(
        [
            InterviewSlot(
                cohort=icohort,
                starts_at=hki(2026, 10, 19 + i % 5, 8) + timedelta(minutes=5 * (i // 5)),
                duration_minutes=60,
                location="Talo",
                created_at=NOW,
            )
            for i in range(count)
        ]
    )
    through = InterviewSlot.interviewers.through
    through.objects.bulk_create(
        [through(interviewslot=s, user=u) for s in slots for u in interviewers]
    )
    Interview.objects.bulk_create(
        [
            Interview(application=a, slot=s, booked_by=owner, booked_at=NOW)
            for a, s in zip(apps, slots, strict=True)
        ]
    )
    return apps


def _waiting_world(icohort, count):
    owner = UserFactory()
    return Application.objects.bulk_create(
        [
            Application(
                cohort=icohort,
                created_by=owner,
                created_at=NOW,
                updated_at=NOW,
                status=Status.SUBMITTED,
                submitted_at=NOW - timedelta(minutes=i),
                version=1,
                org_name=f"Odottava {i}",
                contact_email=owner.email,
            )
            for i in range(count)
        ]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_week_calendar_makes_as_many_queries_for_5_as_for_200_interviews(
    reviewer_client, icohort, reviewer, coordinator
):
    url = reverse("staff:interviews") + f"?cohort={icohort.pk}&week=2026-W43"
    _booked_world(icohort, 5, [reviewer, coordinator])
    reviewer_client.get(url)
    few, response = _queries(reviewer_client, url)
    assert sum(len(d["slots"]) for d in response.context["days"]) == 5

    _booked_world(icohort, 195, [reviewer])
    many, response = _queries(reviewer_client, url)
    assert sum(len(d["slots"]) for d in response.context["days"]) == 200
    assert response.content.decode().count('href="/staff/interviews/') >= 200
    assert many == few


def test_the_no_interview_yet_list_makes_as_many_queries_for_5_as_for_200(
    coordinator_client, icohort
):
    url = reverse("staff:interviews_unbooked") + f"?cohort={icohort.pk}"
    _waiting_world(icohort, 5)
    coordinator_client.get(url)
    few, response = _queries(coordinator_client, url)
    assert len(response.context["applications"]) == 5

    _waiting_world(icohort, 195)
    many, response = _queries(coordinator_client, url)
    assert len(response.context["applications"]) == 200
    assert response.content.decode().count("Odottava ") >= 200
    assert many == few


def test_withdrawing_the_application_cancels_its_interview(db, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from applications import interviews, services
    from applications.models import Interview
    from soske import clock
    from soske.mail.models import OutgoingEmail
    from tests.factories import ApplicationFactory, CohortFactory, InterviewSlotFactory

    cohort = CohortFactory()
    application = ApplicationFactory(cohort=cohort, complete=True)
    services.application_submit(
        application=application,
        actor=application.created_by,
        at=clock.now(),
        submit_token="w",
        consent=True,
    )
    slot = InterviewSlotFactory(cohort=cohort, starts_at=clock.now() + timedelta(days=3))
    interview = interviews.interview_book(
        application=application, slot=slot, actor=application.created_by, at=clock.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(
            application=application, actor=application.created_by, at=clock.now()
        )
    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    assert interview.sequence == 1
    assert interviews.free_slots(cohort, clock.now(), for_staff=True).filter(pk=slot.pk).exists()
    cancellation = OutgoingEmail.objects.get(
        key=f"interview_cancelled:{interview.pk}:1:{application.contact_email.lower()}"
    )
    assert "METHOD:CANCEL" in cancellation.attachments[0]["content"]


def test_a_slot_whose_interview_was_cancelled_can_be_removed_and_keeps_the_history(db):
    from datetime import timedelta

    from applications import interviews, services
    from applications.models import Interview, InterviewSlot
    from soske import clock
    from tests.factories import ApplicationFactory, CohortFactory, InterviewSlotFactory

    cohort = CohortFactory()
    application = ApplicationFactory(cohort=cohort, complete=True)
    services.application_submit(
        application=application,
        actor=application.created_by,
        at=clock.now(),
        submit_token="r",
        consent=True,
    )
    slot = InterviewSlotFactory(cohort=cohort, starts_at=clock.now() + timedelta(days=3))
    interview = interviews.interview_book(
        application=application, slot=slot, actor=application.created_by, at=clock.now()
    )
    interviews.interview_cancel(
        interview=interview, actor=application.created_by, at=clock.now(), reason="Ei sovi"
    )
    interviews.slot_delete(slot=slot, actor=application.created_by)
    assert not InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert InterviewSlot.all_objects.get(pk=slot.pk).removed_at is not None
    assert not interviews.free_slots(cohort, clock.now(), for_staff=True).filter(pk=slot.pk)
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.slot.pk == slot.pk
    assert interview.cancel_reason == "Ei sovi"


def slot_days_of(html: str) -> list[tuple[str, list[str]]]:
    """Each day's fieldset of the slot picker: its legend and the values of its radios."""
    days = []
    for block in re.findall(r'<fieldset class="slot-day[^"]*">(.*?)</fieldset>', html, re.S):
        legend = re.search(r"<legend[^>]*>(.*?)</legend>", block, re.S).group(1).strip()
        values = re.findall(r'<input type="radio" name="slot" value="(\d+)"', block)
        days.append((legend, values))
    return days


def test_the_slot_picker_groups_the_slots_by_day(
    applicant_client, coordinator_client, application, icohort, reviewer, coordinator, mon, tue
):
    later_monday = slot_at(icohort, hki(2026, 10, 19, 13), reviewer, coordinator)
    booking = applicant_client.get(booking_url(application)).content.decode()
    # The legend is the weekday and the date in the page's language.
    monday, tuesday = {
        "fi": ("Maanantai 19.10.2026", "Tiistai 20.10.2026"),
        "sv": ("Måndag 19.10.2026", "Tisdag 20.10.2026"),
        "en": ("Monday 19 Oct 2026", "Tuesday 20 Oct 2026"),
    }[re.search(r'<html lang="(\w+)"', booking).group(1)]
    expected = [(monday, [str(mon.pk), str(later_monday.pk)]), (tuesday, [str(tue.pk)])]
    assert slot_days_of(booking) == expected
    manage = coordinator_client.get(manage_url(application)).content.decode()
    assert slot_days_of(manage) == expected
    # Each radio has its own label; the days sit inside one group named by the field.
    assert '<label class="form-check-label" for="id_slot_0">' in booking
    assert booking.count('<fieldset class="slot-picker') == 1

    # No time chosen: the error is on the group and the summary's link reaches a radio.
    response = applicant_client.post(
        booking_url(application), {"slot": "", "attendee_roles": ["management"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_slot_0"' in html
    assert 'id="id_slot_0"' in html
    assert 'aria-describedby="id_slot_error"' in html
    assert slot_days_of(html) == expected
