"""The programme as a team sees it: its calendar, an event with its materials and the
attendance plan, and the booking of the organisation's sparring.

Every page is the team's own: fetched through `Team.objects.visible_to(user)` (another
team's pages do not exist for you: 404) and checked with `cohorts.view_team`. An event is
looked up among the live events of the team's cohort and track only, so an event of the
other track, of another cohort, or a cancelled one is a 404 too."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cohorts.models import Team
from cohorts.team_views import role_label
from soske import clock
from soske.calendar.ics import calendar_bytes
from soske.errors import refused
from soske.files import private_file_response
from soske.forms import ConfirmForm, StaleChoiceField
from soske.links import url_maker

from . import attendance, programme
from . import sparring as sparring_service
from .models import Attendance, Event, EventKind, SparringBooking, SparringSlot
from .templatetags.programme import span


def _team(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort", "organisation"), pk=pk
    )
    if not request.user.has_perm("cohorts.view_team", team):
        raise Http404
    return team


def _events(team):
    return Event.objects.live().filter(cohort=team.cohort).for_track(team.track)


def _bookings(team):
    return SparringBooking.objects.filter(
        team=team, state=SparringBooking.State.BOOKED
    ).select_related("slot")


# --- The calendar ----------------------------------------------------------------------


@dataclass
class Entry:
    """One line of the calendar: an event (a round: its window) or the team's sparring."""

    starts_at: datetime
    ends_at: datetime
    event: Event
    booking: SparringBooking | None = None
    is_booking: bool = False  # the team's sparring itself, not the round's window


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    entries: list = field(default_factory=list)


def _month(request, today: date) -> date:
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        if 1900 <= year <= 2200:  # and the links to the months around it stay dates
            return date(year, month, 1)
    except (ValueError, TypeError):
        pass
    return today.replace(day=1)


def _link_events(team, events, *, materials):
    """Each event's links and title for the calendar, each pattern reversed once (issue 13)."""
    page, ics = url_maker("programme:event", 2), url_maker("programme:event_ics", 2)
    sparring, sparring_ics = (
        url_maker("programme:sparring", 2),
        url_maker("programme:sparring_ics", 2),
    )
    material = url_maker("programme:material", 3)
    for event in events:
        event.title_text = event.title
        event.url, event.ics_url = page(team.pk, event.pk), ics(team.pk, event.pk)
        event.sparring_url = sparring(team.pk, event.pk)
        event.sparring_ics_url = sparring_ics(team.pk, event.pk)
        if materials:
            for item in event.materials.all():
                item.link = item.url or material(team.pk, event.pk, item.pk)


def calendar(request, pk):
    team = _team(request, pk)
    month_view = request.GET.get("view") == "month"
    events = list(_events(team))
    if not month_view:  # only the list shows the materials
        prefetch_related_objects(events, "materials")
    bookings = {booking.round_id: booking for booking in _bookings(team)}
    at = clock.request_time(request)
    _link_events(team, events, materials=not month_view)
    entries = []
    for event in events:
        booking = bookings.get(event.pk) if event.is_sparring_round else None
        event.booking = booking
        entries.append(Entry(event.starts_at, event.ends_at, event, booking))
        if booking is not None:
            entries.append(
                Entry(booking.slot.starts_at, booking.slot.ends_at, event, booking, True)
            )
    entries.sort(key=lambda entry: (entry.starts_at, entry.is_booking))
    today = clock.helsinki(at).date()
    context = {"team": team, "entries": entries, "today": today}
    if month_view:
        first = _month(request, today)
        by_day = {}
        for entry in entries:
            by_day.setdefault(clock.helsinki(entry.starts_at).date(), []).append(entry)
        weeks = [
            [Day(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
            for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(
                first.year, first.month
            )
        ]
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        monday = date(2024, 1, 1)  # a Monday: the weekday headers in the active language
        context |= {
            "view": "month",
            "month": first,
            "weeks": weeks,
            "month_days": [day for week in weeks for day in week if day.in_month and day.entries],
            "weekdays": [monday + timedelta(days=i) for i in range(7)],
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
        }
    else:
        context |= {"view": "list", "upcoming_from": at}
    return render(request, "workshops/team/calendar.html", context)


# --- An event --------------------------------------------------------------------------


class AttendanceForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Who of your team attends"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (
                str(m.pk),
                f"{m.name} ({role_label(m.role)})" if role_label(m.role) else m.name,
            )
            for m in memberships
        ]


def _event(team, event_pk):
    return get_object_or_404(
        _events(team).select_related("cohort").prefetch_related("materials"), pk=event_pk
    )


def event(request, pk, event_pk):
    team = _team(request, pk)
    event = _event(team, event_pk)
    at = clock.request_time(request)
    memberships = list(team.memberships.order_by("name", "pk"))
    planned = set(
        Attendance.objects.filter(event=event, membership__team=team, planned=True).values_list(
            "membership_id", flat=True
        )
    )
    can_plan = not event.is_sparring_round and event.starts_at > at
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        memberships=memberships,
        initial={"members": [str(pk) for pk in planned]},
    )
    if request.method == "POST":
        if not can_plan:
            messages.error(request, _("The attendance of this event can no longer be changed."))
            return redirect("programme:event", pk=team.pk, event_pk=event.pk)
        if form.is_valid():
            with refused(request, form=form) as refusal:
                attendance.attendance_plan(
                    team=team,
                    event=event,
                    membership_ids=form.cleaned_data["members"],
                    actor=request.user,
                )
            if not refusal:
                messages.success(request, _("Saved who of your team attends."))
                return redirect("programme:event", pk=team.pk, event_pk=event.pk)
        messages.error(request, _("Nothing was saved. See the errors below."))
    booking = None
    if event.is_sparring_round:
        booking = _bookings(team).filter(round=event).first()
    for membership in memberships:
        membership.role_label = role_label(membership.role)
    return render(
        request,
        "workshops/team/event.html",
        {
            "team": team,
            "event": event,
            "form": form,
            "can_plan": can_plan,
            "planned_members": [m for m in memberships if m.pk in planned],
            "missing_employment_services": attendance.missing_employment_services(
                team, event, planned
            ),
            "booking": booking,
        },
    )


def material(request, pk, event_pk, material_pk):
    team = _team(request, pk)
    event = _event(team, event_pk)
    item = get_object_or_404(event.materials.all(), pk=material_pk)
    if item.url and not item.file:
        return redirect(item.url)
    return private_file_response(item.file, filename=item.filename or item.title)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk, event_pk):
    team = _team(request, pk)
    event = _event(team, event_pk)
    body = programme.event_ics(event, language=get_language() or "fi")
    day = clock.helsinki(event.starts_at).date()
    return _ics_response(body, f"soske-{day:%Y-%m-%d}.ics")


# --- Sparring --------------------------------------------------------------------------


def _round(team, round_pk):
    return get_object_or_404(
        _events(team).filter(kind=EventKind.SPARRING_ROUND).select_related("cohort"),
        pk=round_pk,
    )


def slot_label(slot) -> str:
    place = slot.location or (_("online") if slot.meeting_url else "")
    names = ", ".join(str(person) for person in slot.sparrers.all())
    label = span(slot.starts_at, slot.ends_at)
    return ", ".join(part for part in (label, place, names) if part)


class SlotForm(forms.Form):
    slot = StaleChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label=gettext_lazy("Free sparring times"),
        error_messages={
            "required": gettext_lazy("Choose a time."),
            "invalid_choice": gettext_lazy("That time is no longer free. Choose another one."),
        },
    )

    def __init__(self, *args, slots, round_slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].lookup_queryset = round_slots
        self.fields["slot"].label_from_instance = slot_label

    def days(self):
        """The offered slots grouped by their Helsinki day: [(day, [(slot, checked)])]."""
        chosen = str(self["slot"].value() or "")
        days = {}
        for slot in self.fields["slot"].queryset:
            days.setdefault(clock.helsinki(slot.starts_at).date(), []).append(
                (slot, str(slot.pk) == chosen)
            )
        return list(days.items())


def _current(team, round):
    return _bookings(team).filter(round=round).prefetch_related("slot__sparrers").first()


def sparring(request, pk, round_pk):
    team = _team(request, pk)
    round = _round(team, round_pk)
    at = clock.request_time(request)
    current = _current(team, round)
    round_slots = SparringSlot.objects.filter(round=round)

    def new_form(data=None):
        return SlotForm(
            data,
            slots=sparring_service.free_slots(round, at).prefetch_related("sparrers"),
            round_slots=round_slots,
        )

    form = new_form(request.POST if request.method == "POST" else None)
    can_change = current is None or current.slot.starts_at - round.change_cutoff > at
    if request.method == "POST":
        if not can_change:
            messages.error(
                request,
                _("The sparring can no longer be changed here. Contact the staff."),
            )
            return redirect("programme:sparring", pk=team.pk, round_pk=round.pk)
        if form.is_valid():
            slot = form.cleaned_data["slot"]
            if current is not None and current.slot_id == slot.pk:
                # A second click of the same booking: nothing to change.
                messages.info(request, _("This is already your sparring time."))
                return redirect("programme:sparring", pk=team.pk, round_pk=round.pk)
            with refused(request) as refusal:
                if current is not None:
                    sparring_service.sparring_move(
                        booking=current, slot=slot, actor=request.user, at=at
                    )
                else:
                    sparring_service.sparring_book(team=team, slot=slot, actor=request.user, at=at)
            if not refusal:
                messages.success(
                    request,
                    _("The sparring was moved. A new calendar invitation was sent by e-mail.")
                    if current
                    else _("The sparring was booked. A calendar invitation was sent by e-mail."),
                )
                return redirect("programme:sparring", pk=team.pk, round_pk=round.pk)
            # Refused (taken a moment ago, or booked by a team mate meanwhile): the page
            # again with what is free now and the booking as it now is.
            current = _current(team, round)
            form = new_form()
        else:
            messages.error(request, _("Nothing was booked. See the errors below."))
    return render(
        request,
        "workshops/team/sparring.html",
        {
            "team": team,
            "round": round,
            "current": current,
            "form": form,
            "can_change": can_change,
            "cutoff_hours": int(round.change_cutoff.total_seconds() // 3600),
        },
    )


def sparring_cancel(request, pk, round_pk):
    team = _team(request, pk)
    round = _round(team, round_pk)
    current = _current(team, round)
    if current is None:
        raise Http404
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            sparring_service.sparring_cancel(
                booking=current, actor=request.user, at=clock.request_time(request)
            )
        if not refusal:
            messages.success(request, _("The sparring was cancelled."))
        return redirect("programme:sparring", pk=team.pk, round_pk=round.pk)
    return render(
        request,
        "workshops/team/sparring_cancel.html",
        {"team": team, "round": round, "current": current, "form": form},
    )


def sparring_ics(request, pk, round_pk):
    team = _team(request, pk)
    round = _round(team, round_pk)
    current = _bookings(team).filter(round=round).select_related("team__organisation").first()
    if current is None:
        raise Http404
    current.round = round
    body = calendar_bytes([sparring_service.calendar_event(current)])
    day = clock.helsinki(current.slot.starts_at).date()
    return _ics_response(body, f"soske-sparring-{day:%Y-%m-%d}.ics")
