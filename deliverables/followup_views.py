"""The follow-up questionnaire: answered through its signed link (public: the signature is
the permission) or by a signed-in member on the team's page; the coordinators' table
across cohorts with filters, search, reminders and the XLSX.

A bad, expired or other team's link is a clear page (status 404 or 410), never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.models import Team
from soske import clock
from soske.errors import refused
from soske.permissions import permission_required
from soske.xlsx import sheet_bytes

from . import followup as services
from .followup_forms import FollowUpFilterForm, FollowUpForm
from .models import FollowUp

manage_required = permission_required("deliverables.manage_followups")


def _stored(followup) -> list[tuple[str, str]]:
    """Each question with the stored answer in words (the page of a closed round)."""
    rows = []
    for name in services.ANSWER_FIELDS:
        field = FollowUp._meta.get_field(name)
        value = (
            getattr(followup, f"get_{name}_display")()
            if field.choices
            else (getattr(followup, name))
        )
        rows.append((field.verbose_name, value))
    return rows


def _answer_page(request, followup, *, back_url, by_link):
    is_open = services.followup_is_open(followup, at=clock.request_time(request))
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and is_open:
        if form.is_valid():
            with refused(request, form=form) as refusal:
                services.followup_answer(
                    followup=followup,
                    answers=form.cleaned_data,
                    actor=request.user,
                    at=clock.request_time(request),
                )
            if not refusal:
                messages.success(
                    request, _("Thank you! Your answers were saved. You can still change them.")
                )
                return redirect(back_url)
        else:
            messages.error(request, _("The answers were not saved. Fix the errors marked below."))
    return render(
        request,
        "deliverables/followup/answer.html",
        {
            "followup": followup,
            "team": followup.team,
            "form": form,
            "is_open": is_open,
            "by_link": by_link,
            "stored": _stored(followup),
        },
    )


@login_not_required
def answer_by_link(request, token):
    try:
        followup = services.followup_from_token(token)
    except services.FollowUpError as exc:
        status = 410 if exc.code == "expired" else 404
        return render(
            request, "deliverables/followup/invalid.html", {"message": exc.message}, status=status
        )
    return _answer_page(
        request,
        followup,
        back_url=reverse("followup:answer", args=[token]),
        by_link=True,
    )


def team_answer(request, team_pk, round):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort", "organisation"),
        pk=team_pk,
    )
    if not request.user.has_perm("deliverables.work_on_team", team):
        raise Http404
    followup = get_object_or_404(
        FollowUp.objects.select_related("team__organisation", "team__cohort"),
        team=team,
        round=round,
    )
    return _answer_page(
        request,
        followup,
        back_url=reverse("followup:team", args=[team.pk, round]),
        by_link=False,
    )


# --- The coordinators' table ------------------------------------------------------------------


def _table(request):
    form = FollowUpFilterForm(request.GET or None)
    rows = form.filter(
        FollowUp.objects.select_related("team__organisation", "team__cohort").order_by(
            "-team__cohort__call_opens_at", "team__organisation__name", "round"
        )
    )
    return form, rows


def _query(request) -> str:
    return request.GET.urlencode()


@manage_required
def followup_list(request):
    form, rows = _table(request)
    rows = list(rows)
    return render(
        request,
        "deliverables/followup/staff_list.html",
        {
            "form": form,
            "rows": rows,
            "unanswered": sum(1 for r in rows if not r.answered),
            "query": _query(request),
            "today": clock.helsinki(clock.request_time(request)).date(),
        },
    )


@manage_required
@require_POST
def followup_remind(request):
    """Remind the unanswered questionnaires of the table as filtered (or the one `pk`)."""
    form, rows = _table(request)
    pk = request.POST.get("pk", "")
    if pk:
        rows = rows.filter(pk=int(pk)) if pk.isdigit() else rows.none()
    sent = services.followups_remind(
        followups=list(rows.filter(answered_at__isnull=True)),
        actor=request.user,
        at=clock.request_time(request),
    )
    if sent:
        messages.success(
            request,
            ngettext("%(n)s reminder was sent.", "%(n)s reminders were sent.", sent) % {"n": sent},
        )
    else:
        messages.info(
            request, _("No reminders were sent: each was answered, closed or reminded today.")
        )
    url = reverse("followup_staff:list")
    query = _query(request)
    return redirect(f"{url}?{query}" if query else url)


def followup_workbook(rows) -> bytes:
    fields = [FollowUp._meta.get_field(name) for name in services.ANSWER_FIELDS]
    header = [
        _("Cohort"),
        _("Organisation"),
        _("Track"),
        _("Follow-up round"),
        _("Sent to"),
        _("Sent"),
        _("Answered"),
        *[f.verbose_name for f in fields],
    ]
    sheet = [[str(h) for h in header]]
    for row in rows:
        answered = clock.helsinki(row.answered_at).strftime("%d.%m.%Y") if row.answered else ""
        line = [
            row.team.cohort.name,
            row.team.organisation.name,
            row.team.get_track_display(),
            row.get_round_display(),
            row.email,
            clock.helsinki(row.sent_at).strftime("%d.%m.%Y"),
            answered,
            row.get_published_display(),
            row.get_contract_signed_display(),
            row.social_conditions,
            row.results,
            row.get_model_in_use_display(),
        ]
        sheet.append([str(v) for v in line])
    # Plain SpreadsheetML, not openpyxl's cell objects (soske.xlsx.sheet_bytes, issue 13).
    return sheet_bytes(_("Follow-up"), sheet, widths={"B": 36})


@manage_required
def followup_xlsx(request):
    _form, rows = _table(request)
    response = HttpResponse(
        followup_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="follow-up.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
