"""The programme as coordinators run it: the cohort's events, their materials, the
invitations and cancellations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.models import Cohort
from soske.errors import refused
from soske.files import private_file_response
from soske.forms import ConfirmForm
from soske.links import url_maker
from soske.permissions import coordinator_required, staff_required

from . import programme, tasks
from .forms import EventForm, MaterialForm, PatternForm
from .models import Event, EventKind, Material


def _round_url_maker():
    """The staff sparring page of a round (another part of the programme builds it)."""
    try:
        return url_maker("sparring_staff:round")
    except NoReverseMatch:
        return lambda pk: ""


def _programme_page(request, cohort, *, pattern_form=None):
    events = list(Event.objects.filter(cohort=cohort).order_by("starts_at", "id"))
    # Each link's pattern reversed once for all the rows (issue 13).
    round_url = _round_url_maker()
    edit_url = url_maker("programme_staff:event")
    invite_url = url_maker("programme_staff:event_invite")
    cancel_url = url_maker("programme_staff:event_cancel")
    for event in events:
        event.round_url = round_url(event.pk) if event.is_sparring_round else ""
        event.edit_url, event.invite_url = edit_url(event.pk), invite_url(event.pk)
        event.cancel_url = cancel_url(event.pk)
    has_programme = any(not event.is_cancelled for event in events)
    return render(
        request,
        "workshops/staff/programme.html",
        {
            "cohort": cohort,
            "events": events,
            "pattern_form": None if has_programme else (pattern_form or PatternForm()),
        },
    )


@coordinator_required
def cohort_programme(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    return _programme_page(request, cohort)


@coordinator_required
@require_POST
def from_pattern(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    with refused(request) as refusal:
        programme.programme_absent_check(cohort)
    if refusal:
        return redirect("programme_staff:cohort", pk=cohort.pk)
    form = PatternForm(request.POST)
    if form.is_valid():
        with refused(request) as refusal:
            created = programme.programme_from_pattern(
                cohort=cohort, kickoff=form.cleaned_data["kickoff"], actor=request.user
            )
        if not refusal:
            messages.success(
                request,
                ngettext(
                    "The programme was created with %(n)s event. Check and edit the dates.",
                    "The programme was created with %(n)s events. Check and edit the dates.",
                    len(created),
                )
                % {"n": len(created)},
            )
        return redirect("programme_staff:cohort", pk=cohort.pk)
    messages.error(request, _("The programme was not created. See the errors below."))
    return _programme_page(request, cohort, pattern_form=form)


@coordinator_required
def event_new(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    form = EventForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form) as refusal:
                event = programme.event_create(
                    cohort=cohort, actor=request.user, **form.service_fields()
                )
            if not refusal:
                messages.success(request, _("The event was added to the programme."))
                return redirect("programme_staff:event", event_pk=event.pk)
        else:
            messages.error(request, _("The event was not saved. See the errors below."))
    return render(
        request, "workshops/staff/event_form.html", {"cohort": cohort, "form": form, "event": None}
    )


def _event(event_pk):
    return get_object_or_404(Event.objects.select_related("cohort"), pk=event_pk)


@coordinator_required
def event_edit(request, event_pk):
    event = _event(event_pk)
    form = EventForm(request.POST or None, instance=event)
    if event.is_cancelled:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and not event.is_cancelled:
        if form.is_valid():
            invited = event.invited_at is not None
            before = event.sequence
            with refused(request, form=form) as refusal:
                saved = programme.event_update(
                    event=Event.objects.get(pk=event.pk),
                    actor=request.user,
                    **form.service_fields(),
                )
            if not refusal:
                if invited and saved.sequence > before:
                    messages.success(
                        request,
                        _("Saved. The invited people were sent the updated invitation."),
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("programme_staff:event", event_pk=event.pk)
        else:
            messages.error(request, _("The event was not saved. See the errors below."))
    return render(
        request,
        "workshops/staff/event_form.html",
        {
            "cohort": event.cohort,
            "form": form,
            "event": event,
            "materials": event.materials.all(),
        },
    )


@coordinator_required
def event_cancel(request, event_pk):
    event = _event(event_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            programme.event_cancel(event=event, actor=request.user)
        if not refusal:
            messages.success(
                request,
                _("The event was cancelled. The invited people were sent a cancellation.")
                if event.invited_at
                else _("The event was cancelled."),
            )
        return redirect("programme_staff:cohort", pk=event.cohort_id)
    return render(
        request,
        "workshops/staff/event_cancel.html",
        {
            "event": event,
            "cohort": event.cohort,
            "form": form,
            "recipients": programme.participants(event).count() if event.invited_at else 0,
        },
    )


@coordinator_required
def event_invite(request, event_pk):
    event = _event(event_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    problem = ""
    try:
        programme.event_invite_check(event)
    except programme.ProgrammeError as exc:
        problem = exc.message
    if request.method == "POST" and form.is_valid():
        if problem:
            messages.error(request, problem)
            return redirect("programme_staff:event_invite", event_pk=event.pk)
        actor_id = request.user.pk
        # The worker writes the mails (through the outbox) once this request has answered.
        tasks.send_event_invitation.delay_on_commit(event.pk, actor_id)
        messages.success(
            request,
            _("The invitation is being sent. Each person gets it once, in their own language."),
        )
        return redirect("programme_staff:cohort", pk=event.cohort_id)
    return render(
        request,
        "workshops/staff/event_invite.html",
        {
            "event": event,
            "cohort": event.cohort,
            "form": form,
            "problem": problem,
            "recipients": programme.participants(event).count(),
            "is_kickoff": event.kind == EventKind.KICKOFF,
        },
    )


@coordinator_required
def material_new(request, event_pk):
    event = _event(event_pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with refused(request, form=form) as refusal:
                programme.material_add(
                    event=event,
                    actor=request.user,
                    title=data["title"],
                    url=data.get("url") or "",
                    file=data.get("file") or None,
                )
            if not refusal:
                messages.success(request, _("The material was added."))
                return redirect("programme_staff:event", event_pk=event.pk)
        else:
            messages.error(request, _("The material was not added. See the errors below."))
    return render(
        request,
        "workshops/staff/material_form.html",
        {"event": event, "cohort": event.cohort, "form": form},
    )


@staff_required
def material_download(request, material_pk):
    material = get_object_or_404(Material, pk=material_pk)
    return private_file_response(material.file, filename=material.filename or material.title)


@coordinator_required
def material_remove(request, material_pk):
    material = get_object_or_404(Material.objects.select_related("event__cohort"), pk=material_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event_pk = material.event_id
        programme.material_remove(material=material, actor=request.user)
        messages.success(request, _("The material was removed."))
        return redirect("programme_staff:event", event_pk=event_pk)
    return render(
        request,
        "workshops/staff/material_remove.html",
        {"material": material, "event": material.event, "form": form},
    )
