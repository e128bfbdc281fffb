"""A team's own work: its assignments, the shared working copy of each with every
worksheet in one form, its files, the versions it submitted with the staff's feedback,
and the code-of-conduct annex as a Word document.

Every page is the team's own: fetched through `Team.objects.visible_to(user)` and checked
with `deliverables.work_on_team` (another team's pages, and staff, get a 404: staff read
the work on their own pages). An assignment is looked up among the team's cohort's
assignments of its track only; a file or a feedback among the team's own."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cohorts.models import Team, Track
from soske import clock, dates
from soske.compiled import Compiled, keep_prefetched
from soske.errors import DomainError, refused
from soske.files import private_file_response, safe_filename
from soske.forms import ConfirmForm, is_id
from soske.i18n import localized

from . import selectors, services
from .annex import DOCX_TYPE, annex_docx, annex_title
from .models import (
    Assignment,
    Feedback,
    Reopening,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from .team_forms import AnnexLanguageForm, FileUploadForm
from .worksheets import WORKSHEETS, RowsWorksheet, risk_level

ROWS_STEP = 3  # empty rows one click of "Add rows" brings


# The queries every team page of a deliverable makes, compiled once (soske.compiled).
_TEAM = Compiled(
    lambda pk, user_id: (
        Team.objects.visible_to_id(user_id)
        .select_related("cohort", "organisation")
        .filter(pk=pk)
        .order_by()[:1]
    )
)
_ASSIGNMENT = {
    track: Compiled(
        lambda pk, cohort_id, team_id, track=track: (
            Assignment.objects.filter(pk=pk, cohort_id=cohort_id)
            .for_track(track)
            .select_related("event")
            .annotate(
                reopened_until=Subquery(
                    Reopening.objects.filter(assignment=OuterRef("pk"), team_id=team_id).values(
                        "until"
                    )[:1]
                )
            )
            .order_by()[:1]
        )
    )
    for track in Track.values
}
_SUBMISSION = Compiled(
    lambda team_id, assignment_id: (
        Submission.objects.filter(team_id=team_id, assignment_id=assignment_id)
        .select_related("latest_version__submitted_by", "draft_saved_by")
        .order_by("pk")[:1]
    )
)
_VERSIONS = Compiled(
    lambda submission_id: (
        SubmissionVersion.objects.filter(submission_id=submission_id)
        .select_related("submitted_by")
        .order_by("-number")
    )
)
_FEEDBACK = Compiled(
    lambda submission_id: Feedback.objects.filter(version__submission_id=submission_id)
)
_FILES = Compiled(
    lambda submission_id: SubmissionFile.objects.filter(
        submission_id=submission_id, removed_at__isnull=True
    ).select_related("uploaded_by")
)


def _team(request, pk):
    if not is_id(pk) or not request.user.is_authenticated:
        raise Http404
    team = _TEAM.first(int(pk), request.user.pk)
    if team is None or not request.user.has_perm("deliverables.work_on_team", team):
        raise Http404
    return team


def _assignment(team, assignment_pk):
    """The assignment, with the end of its reopening for the team (if any) in the same
    query: `_reopening` reads it from there."""
    if not is_id(assignment_pk) or team.track not in _ASSIGNMENT:
        raise Http404
    found = _ASSIGNMENT[team.track].first(int(assignment_pk), team.cohort_id, team.pk)
    if found is None:
        raise Http404
    return found


def _reopening(assignment, team):
    """The team's reopening of the assignment (None: there is none); what the services read
    of it is its `until`."""
    if not hasattr(assignment, "reopened_until"):  # not loaded by _assignment
        return assignment.reopenings.filter(team=team).first()
    if assignment.reopened_until is None:
        return None
    return Reopening(assignment=assignment, team=team, until=assignment.reopened_until)


def _submission(team, assignment):
    """The team's submission, or None while nobody has touched the work."""
    submission = _SUBMISSION.first(team.pk, assignment.pk)
    if submission is not None:  # already loaded: not read again by services.missing & co
        submission.team, submission.assignment = team, assignment
    return submission


def _versions_and_files(submission):
    """The submission's versions, newest first, with their feedback; its files kept."""
    versions = _VERSIONS(submission.pk)
    feedback = {}
    for item in _FEEDBACK(submission.pk) if versions else ():
        feedback.setdefault(item.version_id, []).append(item)
    for version in versions:
        version.submission = submission
        keep_prefetched(version, "feedback", feedback.get(version.pk, []))
    files = _FILES(submission.pk)
    for file in files:
        file.submission = submission
    return versions, files


# --- The list -----------------------------------------------------------------------------


def assignments(request, pk):
    team = _team(request, pk)
    at = clock.request_time(request)
    cells = selectors.team_assignments(team)
    for cell in cells:
        cell.is_open = cell.assignment.opens_at <= at
        reopening = cell.reopening
        cell.reopened = reopening is not None and reopening.until > cell.assignment.cutoff_at
        # services.open_until without a query per assignment
        cell.until = reopening.until if cell.reopened else cell.assignment.cutoff_at
        cell.closed = at > cell.until
    return render(
        request,
        "deliverables/team/assignments.html",
        {
            "team": team,
            "open_cells": [c for c in cells if c.is_open],
            "upcoming_cells": [c for c in cells if not c.is_open],
            "followups": list(team.followups.order_by("round")),
        },
    )


# --- The working copy ---------------------------------------------------------------------


def _extra_rows(source, keys) -> dict[str, int]:
    extra = {}
    for key in keys:
        try:
            extra[key] = max(0, min(60, int(source.get(f"extra_{key}", 0))))
        except (TypeError, ValueError):
            extra[key] = 0
    return extra


def _sheets(assignment, team, draft, *, data=None, extra=None):
    extra = extra or {}
    return [
        WORKSHEETS[key].form(
            data=data, stored=draft.get(key), cohort=team.cohort, extra_rows=extra.get(key, 0)
        )
        for key in assignment.worksheets
        if key in WORKSHEETS
    ]


def _closed_reason(assignment, team, at, reopening=services.UNKNOWN) -> str:
    try:
        services.editable_check(assignment, team, at=at, reopening=reopening)
    except DomainError as exc:
        return exc.message
    return ""


def _page(request, team, assignment, *, submission, sheets=None, file_form=None, revision=None,
          extra=None, invalid=(), conflict_draft=None, status=200):  # fmt: skip
    at = clock.request_time(request)
    draft = submission.draft if submission else {}
    extra = extra if extra is not None else _extra_rows(request.GET, assignment.worksheets)
    if sheets is None:
        sheets = _sheets(assignment, team, draft, extra=extra)
    for sheet in sheets:
        if sheet.key == "risk_matrix":
            for row in sheet.form.forms:
                likelihood, severity = row.initial.get("likelihood"), row.initial.get("severity")
                if likelihood and severity:
                    row.level_info = risk_level(likelihood, severity)
    versions = []
    files = []
    if submission is not None:
        versions, files = _versions_and_files(submission)
    reopening = _reopening(assignment, team)
    closed_reason = _closed_reason(assignment, team, at, reopening)
    context = {
        "team": team,
        "assignment": assignment,
        "submission": submission,
        "status": selectors.progress(submission),
        "sheets": sheets,
        "extra": extra,
        "rows_step": ROWS_STEP,
        "invalid": invalid,
        "revision": submission.revision if revision is None and submission else (revision or 0),
        "token": uuid.uuid4().hex,
        "draft": draft,
        "conflict_draft": conflict_draft,
        "closed_reason": closed_reason,
        "editable": not closed_reason,
        "until": services.open_until(assignment, team, reopening=reopening),
        "reopened": reopening is not None and reopening.until > assignment.cutoff_at,
        "missing": services.missing(submission) if submission else [],
        "versions": versions,
        "files": files,
        "file_form": file_form or FileUploadForm(),
        "has_annex": "conduct_annex" in assignment.worksheets,
        "annex_form": AnnexLanguageForm(initial={"lang": get_language() or "fi"}),
    }
    return render(request, "deliverables/team/submission.html", context, status=status)


def _submit_url(team, assignment, **query):
    url = reverse("deliverables:submission", args=[team.pk, assignment.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def submission(request, pk, assignment_pk):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    current = _submission(team, assignment)
    if request.method != "POST":
        return _page(request, team, assignment, submission=current)
    at = clock.request_time(request)
    action = request.POST.get("action", "save")
    autosave = request.headers.get("X-Soske-Autosave") == "1"
    reason = _closed_reason(assignment, team, at, _reopening(assignment, team))
    if reason:  # not open yet, or past the cut-off: nothing is saved
        if autosave:
            return JsonResponse({"error": reason}, status=400)
        messages.error(request, reason)
        return _page(request, team, assignment, submission=current, status=400)
    token = request.POST.get("token", "")
    if action == "submit" and current and token:
        done = current.versions.filter(token=token[:64]).first()
        if done is not None:  # the same click twice: the first one made the version
            messages.success(request, _("Submitted as version %(n)s.") % {"n": done.number})
            return redirect(_submit_url(team, assignment))
    extra = _extra_rows(request.POST, assignment.worksheets)
    draft = current.draft if current else {}
    sheets = _sheets(assignment, team, draft, data=request.POST, extra=extra)
    valid = {sheet.key: sheet.content() for sheet in sheets if sheet.is_valid()}
    invalid = [sheet for sheet in sheets if sheet.key not in valid]
    try:
        base_revision = int(request.POST.get("revision", ""))
    except ValueError:
        base_revision = None
    submission = current
    saved = False
    submit_refusal = None
    try:
        with transaction.atomic():
            # One transaction: a second click waits for the first one's version.
            submission = current or services.submission_for(assignment=assignment, team=team)
            if valid:
                before = submission.revision
                submission = services.draft_save(
                    submission=submission,
                    actor=request.user,
                    content=valid,
                    base_revision=base_revision,
                    at=at,
                )
                saved = submission.revision != before
            version = None
            if action == "submit" and not invalid:
                # A refused submit (incomplete, unchanged) keeps the saved draft: its
                # own savepoint rolls back, not this transaction.
                try:
                    version = services.submission_submit(
                        submission=submission, actor=request.user, token=token, at=at
                    )
                except DomainError as exc:
                    submit_refusal = exc
        if submit_refusal is not None:
            raise submit_refusal
    except services.DraftConflict as exc:
        done = submission and token and submission.versions.filter(token=token[:64]).first()
        if action == "submit" and done:
            messages.success(request, _("Submitted as version %(n)s.") % {"n": done.number})
            return redirect(_submit_url(team, assignment))
        fresh = _submission(team, assignment)
        revision = fresh.revision if fresh else 0
        if autosave:
            return JsonResponse({"error": exc.message, "revision": revision}, status=409)
        messages.error(request, exc.message)
        return _page(request, team, assignment, submission=fresh, sheets=sheets,
                     revision=revision, extra=extra, status=409,
                     conflict_draft=fresh.draft if fresh else {})  # fmt: skip
    except DomainError as exc:
        submission = _submission(team, assignment)
        if autosave:
            return JsonResponse({"error": exc.message}, status=400)
        if saved and exc.code in ("incomplete", "unchanged"):
            # The draft was saved; only the submit was refused.
            messages.error(request, _("Your changes were saved, but not submitted: %(why)s")
                           % {"why": exc.message})  # fmt: skip
        else:
            messages.error(request, exc.message)
        return _page(request, team, assignment, submission=submission, sheets=sheets,
                     revision=submission.revision if submission else 0, extra=extra,
                     status=400)  # fmt: skip
    if autosave:
        return JsonResponse(
            {
                "revision": submission.revision,
                "saved": dates.clock_time(submission.draft_saved_at)
                if submission.draft_saved_at
                else "",
                "invalid": [sheet.key for sheet in invalid],
            },
            status=200 if not invalid else 400,
        )
    if invalid:
        names = ", ".join(str(sheet.label) for sheet in invalid)
        if valid:
            messages.error(
                request,
                _("Not saved: %(sheets)s. Correct the errors marked below; the other "
                  "worksheets were saved.") % {"sheets": names},
            )  # fmt: skip
        else:
            messages.error(
                request,
                _("Not saved: %(sheets)s. Correct the errors marked below.") % {"sheets": names},
            )
        return _page(request, team, assignment, submission=submission, sheets=sheets,
                     revision=submission.revision, extra=extra, invalid=invalid,
                     status=400)  # fmt: skip
    if version is not None:
        messages.success(request, _("Submitted as version %(n)s.") % {"n": version.number})
        return redirect(_submit_url(team, assignment))
    if action.startswith("rows:"):
        key = action[5:]
        if key in assignment.worksheets and isinstance(WORKSHEETS[key], RowsWorksheet):
            extra[key] = extra.get(key, 0) + ROWS_STEP
        query = {f"extra_{k}": v for k, v in extra.items() if v}
        messages.success(request, _("The draft was saved. Fill in the new rows."))
        return redirect(_submit_url(team, assignment, **query) + f"#sheet-{key}")
    messages.success(request, _("The draft was saved.") if saved else _("Nothing had changed."))
    return redirect(_submit_url(team, assignment))


# --- Files -----------------------------------------------------------------------------


def file_add(request, pk, assignment_pk):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    if request.method != "POST":
        return redirect(_submit_url(team, assignment))
    form = FileUploadForm(request.POST, request.FILES)
    if form.is_valid():
        with refused(request, form=form, field="file") as refusal:
            submission = services.submission_for(assignment=assignment, team=team)
            stored = services.file_add(
                submission=submission, actor=request.user, upload=form.cleaned_data["file"]
            )
        if not refusal:
            messages.success(request, _("Attached %(name)s.") % {"name": stored.filename})
            return redirect(_submit_url(team, assignment) + "#files")
    messages.error(request, _("The file was not attached. See the error below."))
    return _page(request, team, assignment, submission=_submission(team, assignment),
                 file_form=form, status=400)  # fmt: skip


def _team_file(team, assignment, file_pk):
    return get_object_or_404(
        SubmissionFile.objects.filter(submission__team=team, submission__assignment=assignment),
        pk=file_pk,
    )


def file(request, pk, assignment_pk, file_pk):
    team = _team(request, pk)
    item = _team_file(team, _assignment(team, assignment_pk), file_pk)
    return private_file_response(item.file, filename=item.filename)


def file_remove(request, pk, assignment_pk, file_pk):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    item = _team_file(team, assignment, file_pk)
    if item.removed_at is not None:
        raise Http404
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            services.file_remove(file=item, actor=request.user)
        if not refusal:
            messages.success(
                request,
                _("Removed %(name)s from the working copy. Versions already submitted keep "
                  "it.") % {"name": item.filename},
            )  # fmt: skip
        return redirect(_submit_url(team, assignment) + "#files")
    return render(
        request,
        "deliverables/team/file_remove.html",
        {"team": team, "assignment": assignment, "file": item, "form": form},
    )


# --- Versions and feedback -------------------------------------------------------------


def _version(team, assignment, number):
    return get_object_or_404(
        SubmissionVersion.objects.filter(submission__team=team, submission__assignment=assignment)
        .select_related("submitted_by", "submission")
        .prefetch_related("files", "feedback"),
        number=number,
    )


def version(request, pk, assignment_pk, number):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    item = _version(team, assignment, number)
    return render(
        request,
        "deliverables/team/version.html",
        {
            "team": team,
            "assignment": assignment,
            "version": item,
            "is_latest": item.submission.latest_version_id == item.pk,
            "has_annex": "conduct_annex" in assignment.worksheets,
            "annex_form": AnnexLanguageForm(initial={"lang": get_language() or "fi"}),
        },
    )


def feedback_file(request, pk, assignment_pk, feedback_pk):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    item = get_object_or_404(
        Feedback.objects.filter(
            version__submission__team=team, version__submission__assignment=assignment
        ),
        pk=feedback_pk,
    )
    return private_file_response(item.file, filename=item.filename or "palaute")


# --- The code-of-conduct annex ---------------------------------------------------------


def annex_response(content, *, team, assignment, language, suffix="") -> HttpResponse:
    body = annex_docx(
        content,
        language=language,
        organisation_name=team.organisation.name,
        cohort_name=localized(team.cohort, "name", language),
    )
    from django.utils import translation

    with translation.override(language):
        title = annex_title()
    name = safe_filename(f"{title} – {team.organisation.name}{suffix}.docx")
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _language(request) -> str:
    form = AnnexLanguageForm(request.GET or None)
    if form.is_valid():
        return form.cleaned_data["lang"]
    return get_language() or "fi"


def annex(request, pk, assignment_pk):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    if "conduct_annex" not in assignment.worksheets:
        raise Http404
    current = _submission(team, assignment)
    content = (current.draft if current else {}).get("conduct_annex") or {}
    return annex_response(content, team=team, assignment=assignment, language=_language(request))


def version_annex(request, pk, assignment_pk, number):
    team = _team(request, pk)
    assignment = _assignment(team, assignment_pk)
    if "conduct_annex" not in assignment.worksheets:
        raise Http404
    item = _version(team, assignment, number)
    return annex_response(
        item.data.get("conduct_annex") or {},
        team=team,
        assignment=assignment,
        language=_language(request),
        suffix=f" v{item.number}",
    )
