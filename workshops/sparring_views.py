"""Sparring for staff: a round's slots and bookings, publishing slots, booking on a team's
behalf, reminders to teams without a booking, and the notes of one sparring."""

from collections import defaultdict
from datetime import time, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from soske import clock, dates
from soske.calendar.series import SlotSeriesForm as BaseSlotSeriesForm
from soske.errors import refused
from soske.forms import IdChoiceField, StaleChoiceField
from soske.links import url_maker
from soske.permissions import staff_required
from soske.users.models import display_name

from . import sparring as service
from .forms import NotesForm, SparrersField
from .models import Event, EventKind, SparringBooking, SparringSlot


def slot_label(slot) -> str:
    local = clock.helsinki(slot.starts_at)
    end = clock.helsinki(slot.ends_at)
    label = dates.time_range(local, end, weekday="short")
    sparrers = ", ".join(str(p) for p in slot.sparrers.all())
    place = slot.location or (_("online") if slot.meeting_url else "")
    return ", ".join(part for part in (label, sparrers, place) if part)


class SlotSeriesForm(BaseSlotSeriesForm):
    """Sparring slots within the round's days, two hours by default, with their sparrers."""

    window_error = gettext_lazy("Choose a day inside the sparring round %(first)s–%(last)s.")

    def __init__(self, *args, round, **kwargs):
        self.round = round
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].initial = service.SPARRING_MINUTES
        self.fields["day_end"].initial = time(16)
        self.fields["sparrers"] = SparrersField()

    def window(self):
        first = clock.helsinki(self.round.starts_at).date()
        last = clock.helsinki(self.round.ends_at - timedelta(minutes=1)).date()
        return first, last


class BookForm(forms.Form):
    team = IdChoiceField(queryset=None, label=gettext_lazy("Team"))
    slot = StaleChoiceField(
        queryset=None,
        label=gettext_lazy("Free slot"),
        error_messages={
            "invalid_choice": gettext_lazy("That slot is no longer free. Choose another one.")
        },
    )

    def __init__(self, *args, round, at, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = service.unbooked_teams(round)
        self.fields["team"].label_from_instance = lambda team: team.organisation.name
        if teams is not None:  # the unbooked teams the page has already read: offered as such
            field = self.fields["team"]
            field.choices = [("", field.empty_label)] + [
                (team.pk, field.label_from_instance(team)) for team in teams
            ]
        self.fields["slot"].queryset = service.free_slots(round, at, for_staff=True)
        self.fields["slot"].lookup_queryset = SparringSlot.objects.filter(round=round)
        self.fields["slot"].label_from_instance = slot_label


class MoveForm(forms.Form):
    slot = StaleChoiceField(
        queryset=None,
        label=gettext_lazy("New slot"),
        error_messages={
            "invalid_choice": gettext_lazy("That slot is no longer free. Choose another one.")
        },
    )

    def __init__(self, *args, round, at, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = service.free_slots(round, at, for_staff=True)
        self.fields["slot"].lookup_queryset = SparringSlot.objects.filter(round=round)
        self.fields["slot"].label_from_instance = slot_label


def _round(round_pk):
    return get_object_or_404(
        Event.objects.select_related("cohort"), pk=round_pk, kind=EventKind.SPARRING_ROUND
    )


def _days(round):
    """The round's offered slots by day, each with its sparrers' names and the organisation
    that booked it, in three queries; the names and bookings are read as plain values (as
    prefetched instances they were most of the page's time, issue 13)."""
    slots = list(SparringSlot.objects.offered().filter(round=round).order_by("starts_at"))
    ids = [slot.pk for slot in slots]
    sparrers = defaultdict(list)
    through = SparringSlot.sparrers.through.objects.filter(sparringslot_id__in=ids)
    for slot_id, first, last, email in through.order_by("pk").values_list(
        "sparringslot_id", "user__first_name", "user__last_name", "user__email"
    ):
        sparrers[slot_id].append(display_name(first, last, email))
    booked = SparringBooking.objects.filter(slot_id__in=ids, state=SparringBooking.State.BOOKED)
    bookings = {
        slot_id: (pk, name)
        for slot_id, pk, name in booked.values_list("slot_id", "pk", "team__organisation__name")
    }
    booking_url = url_maker("sparring_staff:booking")
    slot_remove_url = url_maker("sparring_staff:slot_remove")
    days = defaultdict(list)
    for slot in slots:
        slot.sparrer_names = sparrers[slot.pk]
        slot.booking_pk, slot.booked_by = bookings.get(slot.pk, (None, ""))
        slot.url = booking_url(slot.booking_pk) if slot.booking_pk else slot_remove_url(slot.pk)
        days[clock.helsinki(slot.starts_at).date()].append(slot)
    return sorted(days.items())


@staff_required
def round_detail(request, round_pk):
    round = _round(round_pk)
    return _render_round(request, round, None)


def _render_round(request, round, book_form, status=200):
    """The round's page; the booking form (built here unless given with its errors) only
    while some team has no booking, as the page shows it only then."""
    unbooked = list(service.unbooked_teams(round))
    if unbooked and book_form is None:
        book_form = BookForm(round=round, at=clock.request_time(request), teams=unbooked)
    days = _days(round)
    return render(
        request,
        "workshops/sparring/round.html",
        {"round": round, "days": days, "unbooked": unbooked, "book_form": book_form},
        status=status,
    )


@staff_required
@require_POST
def book(request, round_pk):
    round = _round(round_pk)
    at = clock.request_time(request)
    form = BookForm(request.POST, round=round, at=at)
    if form.is_valid():
        with refused(request, form=form) as refusal:
            service.sparring_book(
                team=form.cleaned_data["team"],
                slot=form.cleaned_data["slot"],
                actor=request.user,
                at=at,
                staff=True,
            )
        if not refusal:
            messages.success(
                request,
                _("The sparring was booked. The team and the sparrers were informed by e-mail."),
            )
            return redirect("sparring_staff:round", round_pk=round.pk)
    messages.error(request, _("Nothing was booked. See the errors below."))
    return _render_round(request, round, form)


@staff_required
def slots_new(request, round_pk):
    round = _round(round_pk)
    form = SlotSeriesForm(request.POST or None, round=round)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with refused(request, form=form) as refusal:
                created = service.slots_create(
                    round=round,
                    starts=form.starts(),
                    sparrers=data["sparrers"],
                    location=data["location"],
                    meeting_url=data["meeting_url"],
                    duration_minutes=data["duration_minutes"],
                    actor=request.user,
                )
            if not refusal:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s sparring slot was published.",
                        "%(n)s sparring slots were published.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect("sparring_staff:round", round_pk=round.pk)
        messages.error(request, _("No slots were published. See the errors below."))
    return render(request, "workshops/sparring/slots_new.html", {"round": round, "form": form})


@staff_required
@require_POST
def slot_remove(request, slot_pk):
    slot = get_object_or_404(SparringSlot.objects.offered(), pk=slot_pk)
    with refused(request) as refusal:
        service.slot_remove(slot=slot, actor=request.user)
    if not refusal:
        messages.success(request, _("The slot was removed."))
    return redirect("sparring_staff:round", round_pk=slot.round_id)


@staff_required
@require_POST
def remind(request, round_pk):
    round = _round(round_pk)
    sent = service.sparring_remind_unbooked(
        round=round, actor=request.user, at=clock.request_time(request)
    )
    if sent:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to %(n)s person.",
                "A reminder was sent to %(n)s people.",
                sent,
            )
            % {"n": sent},
        )
    else:
        messages.info(request, _("Nobody was reminded: everyone was already reminded today."))
    return redirect("sparring_staff:round", round_pk=round.pk)


@staff_required
def booking_detail(request, booking_pk):
    booking = get_object_or_404(
        SparringBooking.objects.select_related(
            "slot", "round__cohort", "team__organisation", "notes_by"
        ),
        pk=booking_pk,
    )
    at = clock.request_time(request)
    action = request.POST.get("action") if request.method == "POST" else None
    booked = booking.state == SparringBooking.State.BOOKED
    notes_form = NotesForm(
        request.POST if action == "notes" else None,
        initial={"notes": booking.notes, "next_steps": booking.next_steps},
    )
    move_form = MoveForm(
        request.POST if action == "move" else None,
        round=booking.round,
        at=at,
        auto_id="id_move_%s",
    )
    if action == "notes" and notes_form.is_valid():
        service.sparring_save_notes(
            booking=booking,
            notes=notes_form.cleaned_data["notes"],
            next_steps=notes_form.cleaned_data["next_steps"],
            actor=request.user,
        )
        messages.success(request, _("The notes were saved. The team sees them on its page."))
        return redirect("sparring_staff:booking", booking_pk=booking.pk)
    if action == "move" and booked and move_form.is_valid():
        with refused(request, form=move_form) as refusal:
            service.sparring_move(
                booking=booking,
                slot=move_form.cleaned_data["slot"],
                actor=request.user,
                at=at,
                staff=True,
            )
        if not refusal:
            messages.success(
                request,
                _("The sparring was moved. The team and the sparrers were informed by e-mail."),
            )
            return redirect("sparring_staff:booking", booking_pk=booking.pk)
    if action == "cancel" and booked:
        with refused(request) as refusal:
            service.sparring_cancel(booking=booking, actor=request.user, at=at, staff=True)
        if not refusal:
            messages.success(
                request,
                _("The sparring was cancelled. The team and the sparrers were informed by e-mail."),
            )
            return redirect("sparring_staff:round", round_pk=booking.round_id)
        return redirect("sparring_staff:booking", booking_pk=booking.pk)
    if action in ("notes", "move") and request.method == "POST":
        messages.error(request, _("Nothing was saved. See the errors below."))
    return render(
        request,
        "workshops/sparring/booking.html",
        {
            "booking": booking,
            "booked": booked,
            "notes_form": notes_form,
            "move_form": move_form,
            "sparrers": list(booking.slot.sparrers.all()),
        },
    )
