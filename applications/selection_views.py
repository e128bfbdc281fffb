"""Staff pages for scoring and selection; the team page lives in cohorts.team_views."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Criterion, OrganisationType, Theme, Track
from soske import clock, dates
from soske.activity.models import ActivityEntry
from soske.compiled import Compiled, keep_prefetched
from soske.errors import refused
from soske.exports.services import export_start
from soske.forms import is_id
from soske.i18n import localized_language
from soske.links import url_maker
from soske.permissions import coordinator_required, may, permitted, staff_required

from . import interviews, scoring, selection, selectors, services
from .models import (
    Application,
    Mark,
    Review,
    ReviewAssignment,
    Score,
    Status,
    TeamMember,
)
from .selection_forms import ConflictForm, MarkForm, ScoreForm, SpreadForm, staff_users
from .services import application_snapshot


@coordinator_required
def assignments(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    spread_form = SpreadForm(request.POST if request.POST.get("action") == "spread" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "spread" and spread_form.is_valid():
            with refused(request) as refusal:
                n = scoring.spread_evenly(
                    cohort=cohort,
                    reviewers=spread_form.cleaned_data["reviewers"],
                    per_application=spread_form.cleaned_data["per_application"],
                    actor=request.user,
                )
            if not refusal:
                messages.success(
                    request,
                    ngettext("%(n)s assignment was made.", "%(n)s assignments were made.", n)
                    % {"n": n},
                )
                return redirect("staff:assignments", pk=cohort.pk)
        elif action in ("assign", "unassign"):
            application = get_object_or_404(
                selectors.submitted_applications(cohort=cohort),
                pk=_int(request.POST.get("application")),
            )
            reviewer = get_object_or_404(staff_users(), pk=_int(request.POST.get("reviewer")))
            with refused(request):
                if action == "assign":
                    scoring.assign(
                        application=application, reviewers=[reviewer], actor=request.user
                    )
                else:
                    scoring.unassign(application=application, reviewer=reviewer, actor=request.user)
            return redirect("staff:assignments", pk=cohort.pk)
    applications = (
        selectors.submitted_applications(cohort=cohort)
        .order_by("org_name")
        .prefetch_related(
            Prefetch("assignments", queryset=ReviewAssignment.objects.select_related("reviewer"))
        )
    )
    return render(
        request,
        "applications/selection/assignments.html",
        {
            "cohort": cohort,
            "applications": applications,
            "reviewers": list(staff_users()),
            "spread_form": spread_form,
        },
    )


def _int(value):
    return int(value) if value and is_id(value) else 0


@staff_required
def my_reviews(request):
    rows = (
        ReviewAssignment.objects.filter(reviewer=request.user, application__status=Status.SUBMITTED)
        .select_related("application__cohort")
        .order_by("application__cohort", "application__org_name")
    )
    states = dict(
        Review.objects.filter(reviewer=request.user).values_list("application_id", "state")
    )
    rows = list(rows)
    for row in rows:
        row.review_state = states.get(row.application_id)
    return render(request, "applications/selection/my_reviews.html", {"rows": rows})


# The scoring page's queries, compiled once (soske.compiled; issue 13).
_ASSIGNMENTS = Compiled(
    lambda pk: ReviewAssignment.objects.filter(
        application_id=pk, application__status=Status.SUBMITTED
    ).select_related("application__cohort")
)
_CRITERIA = Compiled(lambda cohort_id: Criterion.objects.filter(cohort_id=cohort_id))
_THEMES = Compiled(lambda pk: Theme.objects.filter(application=pk))
_TEAM = Compiled(lambda pk: TeamMember.objects.filter(application_id=pk))


@staff_required
def score(request, pk):
    # The application's assignments (a few) with the application, in one query: the access
    # rule looks at the viewer's instead of asking again, and the others' scores leave out
    # those who declared a conflict. Without any, the application alone (then 404 or 403).
    assignments = _ASSIGNMENTS(pk)
    assignment = next((a for a in assignments if a.reviewer_id == request.user.pk), None)
    if assignment is not None:
        application = assignment.application
    else:
        application = get_object_or_404(
            Application.objects.select_related("cohort"), pk=pk, status=Status.SUBMITTED
        )
    application.viewer_assignment = assignment
    permitted(request, "applications.score_application", application)
    if assignment.conflict is None:
        form = ConflictForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            scoring.declare_conflict(
                assignment=assignment,
                conflict=form.cleaned_data["conflict"],
                explanation=form.cleaned_data["explanation"],
                actor=request.user,
            )
            if form.cleaned_data["conflict"]:
                # The application is hidden from a conflicted reviewer from now on: back
                # to their list, never to a page that refuses them.
                messages.success(
                    request,
                    _(
                        "Your conflict of interest with %(org)s was recorded. The "
                        "application is no longer shown to you; the coordinators assign "
                        "another reviewer."
                    )
                    % {"org": application.org_name},
                )
                return redirect("staff:my_reviews")
            return redirect("staff:score", pk=application.pk)
        return render(
            request,
            "applications/selection/conflict.html",
            {"application": application, "form": form},
        )
    cohort = application.cohort
    criteria = _CRITERIA(cohort.pk)
    for criterion in criteria:  # as cohort.criteria.all() would have them
        criterion.cohort = cohort
    conflicted = {a.reviewer_id for a in assignments if a.conflict}
    review, mine, others = scoring.reviewer_scores(
        application=application, reviewer=request.user, criteria=criteria, conflicted=conflicted
    )
    form = ScoreForm(
        request.POST or None, cohort=cohort, criteria=criteria, review=review, scores=mine
    )
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if form.is_valid() and submit:
            for criterion, value in zip(criteria, form.values().values(), strict=True):
                if value is None:
                    form.add_error(f"score_{criterion.pk}", _("Give a score before submitting."))
        if form.is_valid():
            with refused(request, form=form) as refusal:
                scoring.review_save(
                    application=application,
                    reviewer=request.user,
                    values=form.values(),
                    justifications=form.justifications(),
                    submit=submit,
                )
            if not refusal:
                messages.success(
                    request, _("The review was submitted.") if submit else _("The draft was saved.")
                )
                return redirect("staff:score", pk=application.pk)
        messages.error(request, _("The review was not saved. See the errors below."))
    interview = interviews.shown_interview(application)
    # The snapshot reads the themes twice and the team once: one query each.
    keep_prefetched(application, "themes", _THEMES(application.pk))
    keep_prefetched(application, "team", _TEAM(application.pk))
    return render(
        request,
        "applications/selection/score.html",
        {
            "application": application,
            "cohort": cohort,
            "form": form,
            "review": review,
            "others": others,
            "interview": interview,
            "snapshot": application_snapshot(application),
            "total_weight": sum(c.weight for c in criteria),
            "decimal_separator": formats.get_format("DECIMAL_SEPARATOR"),
            "scale": [(v, v) for v in range(cohort.score_min, cohort.score_max + 1)],
        },
    )


@coordinator_required
def ranking(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    criteria, rows = selectors.ranking_rows(cohort=cohort, viewer=request.user)
    selected = [r for r in rows if r["decision"] and r["decision"].mark == Mark.SELECTED]
    mix_track = Counter(r["application"].get_track_display() for r in selected)
    mix_type = Counter(r["application"].get_org_type_display() for r in selected)
    _label_rows(rows)
    decide = request.GET.get("decide", "")
    return render(
        request,
        "applications/selection/ranking.html",
        {
            "cohort": cohort,
            "criteria": criteria,
            "rows": rows,
            "selected_count": len(selected),
            "mix_track": sorted(mix_track.items()),
            "mix_type": sorted(mix_type.items()),
            # What selection.pending_messages(cohort) counts, from the rows already loaded.
            "pending": sum(
                1
                for decision in (r["decision"] for r in rows)
                if decision and decision.mark != decision.released_mark
            ),
            "tracks": Track,
            "org_types": OrganisationType,
            "mark_choices": MarkForm.base_fields["mark"].choices,
            # The row whose decision menu is open (the board writes out one, not 200).
            "open_pk": decide if decide.isdigit() else None,
        },
    )


def _label_rows(rows):
    """What the board prints in each of its rows, computed once per distinct value: a
    get_FOO_display(), a translated word or a localized id 200 times over was a third of the
    board's time (issue 13)."""
    tracks = {value: str(label) for value, label in Track.choices}
    types = {value: str(label) for value, label in OrganisationType.choices}
    marks = {value: str(label) for value, label in Mark.choices}
    application_url, history_url = url_maker("staff:application"), url_maker("staff:history")
    for row in rows:
        application, decision = row["application"], row["decision"]
        row["pk"] = str(application.pk)  # a string: no number formatting, ten times a row
        row["url"], row["history_url"] = application_url(row["pk"]), history_url(row["pk"])
        row["kind"] = f"{tracks.get(application.track, '')} · {types.get(application.org_type, '')}"
        row["mark_label"] = marks.get(decision.mark, "") if decision else ""
        row["reviews_text"] = ngettext("%(n)s review", "%(n)s reviews", row["reviews"]) % {
            "n": row["reviews"]
        }


@coordinator_required
def mark(request, pk):
    application = get_object_or_404(Application, pk=pk, status=Status.SUBMITTED)
    if not may(request.user, "applications.mark_application", application):
        messages.error(
            request,
            _(
                "You declared a conflict of interest with %(org)s: another coordinator "
                "decides on it."
            )
            % {"org": application.org_name},
        )
        return redirect(_ranking_url(application.cohort_id))
    form = MarkForm(request.POST, prefix=f"a{application.pk}")
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            selection.decision_mark(
                application=application,
                mark=form.cleaned_data["mark"],
                feedback=form.cleaned_data["feedback"],
                actor=request.user,
            )
        if not refusal:
            messages.success(
                request,
                _("%(org)s: %(mark)s.")
                % {"org": application.org_name, "mark": Mark(form.cleaned_data["mark"]).label},
            )
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(f"{_ranking_url(application.cohort_id)}#row-{application.pk}")


@coordinator_required
@require_POST
def commitment_resend(request, pk):
    """From the ranking board: send the manager the confirmation request again."""
    application = get_object_or_404(Application, pk=pk, status=Status.SUBMITTED)
    if not may(request.user, "applications.mark_application", application):
        raise PermissionDenied
    with refused(request) as refusal:
        services.commitment_request_resend(
            application=application, actor=request.user, at=clock.request_time(request)
        )
    if not refusal:
        messages.success(
            request,
            _("%(org)s: the confirmation request was sent again to %(email)s.")
            % {"org": application.org_name, "email": application.manager_email},
        )
    return redirect(f"{_ranking_url(application.cohort_id)}#row-{application.pk}")


def _ranking_url(cohort_id):
    return reverse("staff:ranking", args=[cohort_id])


@coordinator_required
def release(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        with refused(request) as refusal:
            sent = selection.release(cohort=cohort, actor=request.user)
        if not refusal:
            messages.success(
                request,
                ngettext("%(n)s decision was sent.", "%(n)s decisions were sent.", sent)
                % {"n": sent},
            )
            return redirect("staff:ranking", pk=cohort.pk)
    previews = [selection.preview(d) for d in selection.pending_messages(cohort)]
    for p in previews:
        p["commitment"] = selectors.commitment_state(p["decision"].application)
    # Every organisation marked selected, told already or not: the warning is about who
    # will be in the programme, not only about the messages still to send.
    uncommitted = [
        a
        for a in Application.objects.filter(
            cohort=cohort, status=Status.SUBMITTED, decision__mark=Mark.SELECTED
        ).order_by("org_name")
        if selectors.commitment_state(a) != selectors.Commitment.CONFIRMED
    ]
    return render(
        request,
        "applications/selection/release.html",
        {
            "cohort": cohort,
            "previews": previews,
            "unmarked": selection.unmarked(cohort),
            "release_allowed": selection.release_allowed(cohort, clock.request_time(request)),
            "release_opens_at": selection.release_opens_at(cohort),
            "uncommitted": uncommitted,
        },
    )


AUDIT_ACTIONS = {
    "application.submitted": gettext_lazy("Application submitted"),
    "application.withdrawn": gettext_lazy("Application withdrawn"),
    "application.reopened": gettext_lazy("Application reopened"),
    "interview.booked": gettext_lazy("Interview booked"),
    "interview.moved": gettext_lazy("Interview moved"),
    "interview.cancelled": gettext_lazy("Interview cancelled"),
    "review.assigned": gettext_lazy("Reviewer assigned"),
    "review.unassigned": gettext_lazy("Reviewer removed"),
    "review.conflict_declared": gettext_lazy("Conflict of interest declared"),
    "review.scored": gettext_lazy("Score"),
    "review.submitted": gettext_lazy("Review submitted"),
    "decision.marked": gettext_lazy("Decision marked"),
    "decision.released": gettext_lazy("Decision released"),
    "team.created": gettext_lazy("Team created"),
    "team.member_joined": gettext_lazy("Team member joined"),
}
AUDIT_FIELDS = {
    "score": gettext_lazy("score"),
    "justification": gettext_lazy("justification"),
    "mark": gettext_lazy("decision"),
    "feedback": gettext_lazy("feedback"),
    "conflict": gettext_lazy("conflict of interest"),
    "explanation": gettext_lazy("explanation"),
    "status": gettext_lazy("status"),
    "version": gettext_lazy("version"),
    "starts_at": gettext_lazy("time"),
}


def _audit_value(key, value):
    if key == "mark" and value in Mark.values:
        return Mark(value).label
    if key == "status" and value in Status.values:
        return Status(value).label
    if key == "starts_at" and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return dates.moment(moment)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in (None, ""):
        return "–"
    return value


def _audit_values(values) -> str:
    if not values:
        return "–"
    return "; ".join(
        f"{AUDIT_FIELDS.get(key, key)}: {_audit_value(key, value)}" for key, value in values.items()
    )


def _scored_criteria(entries) -> dict:
    """{entry pk: criterion} for the score entries, so that the history names each
    criterion in the reader's language, not the one its reviewer used. An entry keeps the
    criterion's id in its context; an older one is traced through its score. A criterion
    since removed leaves the name as it was written (the entry's subject)."""
    scored = [e for e in entries if e.action == "review.scored"]
    if not scored:
        return {}
    by_entry = {e.pk: (e.context or {}).get("criterion") for e in scored}
    untraced = [e.target_id for e in scored if by_entry[e.pk] is None]
    if untraced:
        score_criteria = dict(
            Score.objects.filter(pk__in=untraced).values_list("pk", "criterion_id")
        )
        for entry in scored:
            if by_entry[entry.pk] is None:
                by_entry[entry.pk] = score_criteria.get(entry.target_id)
    criteria = Criterion.objects.in_bulk({pk for pk in by_entry.values() if pk})
    return {e: criteria[c] for e, c in by_entry.items() if c in criteria}


@coordinator_required
def history(request, pk):
    application = permitted(
        request,
        "applications.view_history",
        get_object_or_404(Application.objects.select_related("cohort"), pk=pk),
    )
    entries = list(
        ActivityEntry.objects.for_scope(application, application.team_record).select_related(
            "actor"
        )
    )
    criteria = _scored_criteria(entries)
    for entry in entries:
        entry.label = AUDIT_ACTIONS.get(entry.action, entry.action)
        criterion = criteria.get(entry.pk)
        entry.subject_html = criterion.name_html if criterion else entry.subject
        entry.before_text = _audit_values(entry.before)
        entry.after_text = _audit_values(entry.after)
    return render(
        request,
        "applications/selection/history.html",
        {"application": application, "entries": entries},
    )


@coordinator_required
def reviews_export(request, pk):
    """POST: build every review of the cohort as XLSX in the background (issue 13); the
    coordinator follows it on the export's page. GET (an old link): the ranking board."""
    cohort = get_object_or_404(Cohort, pk=pk)
    if request.method != "POST":
        return redirect("staff:ranking", cohort.pk)
    export, started = export_start(
        user=request.user,
        kind="applications.reviews",
        params={"cohort": cohort.pk},
        title=_("All reviews of %(cohort)s") % {"cohort": cohort.localized_name},
        subject=(cohort.localized_name, localized_language(cohort, "name")),
        scope=cohort,
    )
    if not started:
        messages.info(request, _("The same export is already being built; here it is."))
    return redirect("exports:detail", pk=export.pk)
