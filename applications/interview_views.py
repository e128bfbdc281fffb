"""Interview pages: applicants book and change, staff plan, run and follow interviews."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.models import Cohort
from soske import clock, dates
from soske.calendar import views as calendar_views
from soske.errors import refused
from soske.permissions import permitted, staff_required

from . import interviews as service
from .interview_forms import BookingForm, CancelForm, MoveForm, NotesForm, SlotSeriesForm
from .interview_guide import CHECKLIST
from .models import Application, Interview, InterviewSlot, Status
from .views import _my_application


def _cohort_from(request):
    pk = request.GET.get("cohort") or request.POST.get("cohort")
    qs = Cohort.objects.all()
    if pk and str(pk).isdecimal():
        return get_object_or_404(qs, pk=int(pk))
    return qs.order_by("-call_opens_at").first()


# --- Applicant ---------------------------------------------------------------------


def booking(request, pk):
    application = _my_application(request, pk)
    at = clock.request_time(request)
    current = service.active_interview(application)
    slots = service.free_slots(application.cohort, at)
    cohort_slots = InterviewSlot.objects.filter(cohort=application.cohort)
    form_class = MoveForm if current else BookingForm
    form = form_class(request.POST or None, slots=slots, cohort_slots=cohort_slots)
    if request.method == "POST":
        if application.status != Status.SUBMITTED:
            messages.error(request, _("Only a submitted application can book an interview."))
        elif form.is_valid():
            refreshed = _book_or_move(
                request, application=application, current=current, form=form, at=at
            )
            if refreshed is None:
                messages.success(
                    request,
                    _("The interview was moved. A new calendar invitation was sent by e-mail.")
                    if current
                    else _("The interview was booked. A calendar invitation was sent by e-mail."),
                )
                return redirect("applications:interview", pk=application.pk)
            form = refreshed
        else:
            messages.error(request, _("Nothing was booked. See the errors below."))
    return render(
        request,
        "applications/interviews/booking.html",
        {
            "application": application,
            "current": current,
            "form": form,
            "can_change": current is not None
            and current.slot.starts_at - application.cohort.interview_change_cutoff > at,
            "cutoff_hours": service._hours(application.cohort),
        },
    )


def cancel(request, pk):
    application = _my_application(request, pk)
    current = service.active_interview(application)
    if current is None:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _cancel(request, interview=current, form=form, at=clock.request_time(request))
        return redirect("applications:interview", pk=application.pk)
    return render(
        request,
        "applications/interviews/cancel.html",
        {"application": application, "current": current, "form": form},
    )


def _book_or_move(request, *, application, current, form, at, staff=False):
    """Book the slot chosen in `form`, or move the `current` interview to it. None when done;
    when refused (the message is shown), the form again with the free slots of now."""
    slot = form.cleaned_data["slot"]
    with refused(request) as refusal:
        if current:
            service.interview_move(
                interview=current,
                slot=slot,
                actor=request.user,
                at=at,
                staff=staff,
                reason=form.cleaned_data["reason"],
            )
        else:
            service.interview_book(
                application=application,
                slot=slot,
                actor=request.user,
                at=at,
                staff=staff,
                attendee_roles=form.cleaned_data["attendee_roles"],
                attendee_names=form.cleaned_data["attendee_names"],
            )
    if not refusal:
        return None
    return _fresh(form, slots=service.free_slots(application.cohort, at, for_staff=staff))


def _cancel(request, *, interview, form, at, staff=False) -> bool:
    """Cancel `interview` for the reason given in `form`; False when refused (message shown)."""
    with refused(request) as refusal:
        service.interview_cancel(
            interview=interview,
            actor=request.user,
            at=at,
            staff=staff,
            reason=form.cleaned_data["reason"],
        )
    if not refusal:
        messages.success(request, _("The interview was cancelled."))
    return not refusal


def _fresh(form, *, slots):
    """The form again with the refreshed free slots and what the user typed, minus the slot."""
    kept = {name: value for name, value in form.cleaned_data.items() if name != "slot"}
    return type(form)(initial=kept, slots=slots, cohort_slots=form.fields["slot"].lookup_queryset)


# --- Staff ---------------------------------------------------------------------------


def _week_start(request) -> date:
    value = request.GET.get("week", "")
    try:
        year, week = value.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, TypeError):
        today = clock.helsinki(clock.now()).date()
        return today - timedelta(days=today.weekday())
    if not 2000 <= monday.year <= 2200:  # and the links to the weeks around it stay dates
        raise Http404
    return monday


@staff_required
def calendar(request):
    cohort = _cohort_from(request)
    monday = _week_start(request)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=clock.HELSINKI)
    end = start + timedelta(days=7)
    active = Interview.objects.filter(state=Interview.State.BOOKED).select_related("application")
    slots = (
        InterviewSlot.objects.filter(cohort=cohort, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related("interviewers", Prefetch("interviews", queryset=active, to_attr="active"))
        .order_by("starts_at")
    )
    slots = list(slots)
    booked = {i.application_id for slot in slots for i in slot.active}
    readable = set(
        Application.objects.readable_by_staff(request.user)
        .filter(pk__in=booked)
        .values_list("pk", flat=True)
    )
    days = [{"date": monday + timedelta(days=i), "slots": []} for i in range(7)]
    for slot in slots:
        for interview in slot.active:
            interview.readable = interview.application_id in readable
        days[clock.helsinki(slot.starts_at).weekday()]["slots"].append(slot)
    iso = monday.isocalendar()
    previous = (monday - timedelta(days=7)).isocalendar()
    following = (monday + timedelta(days=7)).isocalendar()
    return render(
        request,
        "applications/interviews/calendar.html",
        {
            "cohort": cohort,
            "cohorts": Cohort.objects.order_by("-call_opens_at"),
            "days": [d for d in days if d["slots"] or d["date"].weekday() < 5],
            "week": f"{iso.year}-W{iso.week:02d}",
            "week_number": iso.week,
            "previous": f"{previous.year}-W{previous.week:02d}",
            "next": f"{following.year}-W{following.week:02d}",
        },
    )


@staff_required
def slots_new(request):
    cohort = _cohort_from(request)
    if cohort is None:
        raise Http404
    form = SlotSeriesForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts = form.starts()
        with refused(request, form=form) as refusal:
            created = service.slots_create(
                cohort=cohort,
                starts=starts,
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                meeting_url=data["meeting_url"],
                interviewers=data["interviewers"],
                actor=request.user,
            )
        if not refusal:
            messages.success(
                request,
                ngettext(
                    "%(n)s interview slot was created.",
                    "%(n)s interview slots were created.",
                    len(created),
                )
                % {"n": len(created)},
            )
            first = clock.helsinki(created[0].starts_at).isocalendar()
            return redirect(
                reverse("staff:interviews")
                + f"?cohort={cohort.pk}&week={first.year}-W{first.week:02d}"
            )
    return render(
        request, "applications/interviews/slots_new.html", {"form": form, "cohort": cohort}
    )


@staff_required
@require_POST
def slot_delete(request, pk):
    slot = get_object_or_404(InterviewSlot, pk=pk)
    with refused(request) as refusal:
        service.slot_delete(slot=slot, actor=request.user)
    if not refusal:
        messages.success(request, _("The slot was removed."))
    week = clock.helsinki(slot.starts_at).isocalendar()
    return redirect(
        reverse("staff:interviews") + f"?cohort={slot.cohort_id}&week={week.year}-W{week.week:02d}"
    )


@staff_required
def unbooked(request):
    cohort = _cohort_from(request)
    active = Interview.objects.filter(application=OuterRef("pk"), state=Interview.State.BOOKED)
    applications = (
        Application.objects.readable_by_staff(request.user)
        .filter(cohort=cohort, status=Status.SUBMITTED)
        .annotate(has_interview=Exists(active))
        .filter(has_interview=False)
        .order_by("submitted_at", "pk")
    )
    if request.method == "POST":
        chosen = request.POST.get("application", "")
        if not chosen.isdecimal():
            raise Http404
        application = get_object_or_404(applications, pk=int(chosen))
        today = clock.helsinki(clock.request_time(request)).date()
        if service.booking_link_send(application=application, reminder_day=today):
            messages.success(
                request,
                _("A reminder to book an interview was sent to %(org)s.")
                % {"org": application.org_name},
            )
        else:
            messages.info(
                request, _("%(org)s was already reminded today.") % {"org": application.org_name}
            )
        return redirect(reverse("staff:interviews_unbooked") + f"?cohort={cohort.pk}")
    return render(
        request,
        "applications/interviews/unbooked.html",
        {"cohort": cohort, "applications": applications},
    )


@staff_required
def interview_detail(request, pk):
    interview = get_object_or_404(
        Interview.objects.select_related("slot", "application__cohort", "booked_by"), pk=pk
    )
    application = permitted(request, "applications.read_application", interview.application)
    criteria = list(application.cohort.criteria.all())
    form = NotesForm(request.POST or None, interview=interview, criteria=criteria)
    autosave = request.headers.get("X-Soske-Autosave") == "1"
    if request.method == "POST":
        if form.is_valid():
            checklist, answers, notes, outcome = form.split()
            saved = service.interview_save_notes(
                interview=interview,
                checklist=checklist,
                answers=answers,
                notes=notes,
                outcome=outcome,
                actor=request.user,
            )
            stamp = dates.clock_time(saved.notes_updated_at, seconds=True)
            if autosave:
                return JsonResponse({"saved": stamp})
            messages.success(request, _("Saved at %(time)s.") % {"time": stamp})
            return redirect("staff:interview", pk=interview.pk)
        if autosave:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        messages.error(request, _("The notes were not saved. See the errors below."))
    from .services import application_snapshot

    return render(
        request,
        "applications/interviews/interview.html",
        {
            "interview": interview,
            "application": application,
            "form": form,
            "snapshot": application_snapshot(application),
            "checklist": CHECKLIST,
        },
    )


@staff_required
def manage(request, pk):
    """Staff book, move or cancel on an applicant's behalf."""
    application = permitted(
        request,
        "applications.read_application",
        get_object_or_404(
            Application.objects.select_related("cohort"), pk=pk, status=Status.SUBMITTED
        ),
    )
    at = clock.request_time(request)
    current = service.active_interview(application)
    slots = service.free_slots(application.cohort, at, for_staff=True)
    action = request.POST.get("action")
    form = (MoveForm if current else BookingForm)(
        request.POST if action == "book" else None,
        slots=slots,
        cohort_slots=InterviewSlot.objects.filter(cohort=application.cohort),
    )
    cancel_form = CancelForm(request.POST if action == "cancel" else None, auto_id="id_cancel_%s")
    if action == "book" and form.is_valid():
        refreshed = _book_or_move(
            request, application=application, current=current, form=form, at=at, staff=True
        )
        if refreshed is None:
            messages.success(
                request, _("Saved. The applicant and the interviewers were informed by e-mail.")
            )
            return redirect("staff:interview_manage", pk=application.pk)
        form = refreshed
    elif action == "cancel" and current and cancel_form.is_valid():
        if _cancel(request, interview=current, form=cancel_form, at=at, staff=True):
            return redirect("staff:interview_manage", pk=application.pk)
    return render(
        request,
        "applications/interviews/manage.html",
        {
            "application": application,
            "current": current,
            "form": form,
            "cancel_form": cancel_form,
        },
    )


# The staff page of the personal calendar feed (any signed-in person has it at
# soske.calendar's own address too).
feed_settings = staff_required(calendar_views.feed_settings)
