"""A team's work as staff read it: the working copy's state, every version with its files
and feedback, and the feedback form on the latest version (which mails the team).

Staff only (`deliverables.view_work`; giving feedback `deliverables.give_feedback`): a team
member gets a 403. An assignment is looked up among those of the team's cohort and track,
a file or a feedback among that team's own: anything else is a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cohorts.models import Team
from soske.errors import refused
from soske.files import private_file_response
from soske.permissions import may, permission_required

from . import selectors, services
from .models import Assignment, Feedback, Submission, SubmissionFile, SubmissionVersion
from .team_forms import AnnexLanguageForm, FeedbackForm
from .team_views import annex_response


def _objects(team_pk, assignment_pk):
    team = get_object_or_404(Team.objects.select_related("cohort", "organisation"), pk=team_pk)
    assignment = get_object_or_404(
        Assignment.objects.filter(cohort_id=team.cohort_id)
        .for_track(team.track)
        .select_related("event"),
        pk=assignment_pk,
    )
    return team, assignment


@permission_required("deliverables.view_work")
def submission(request, team_pk, assignment_pk):
    team, assignment = _objects(team_pk, assignment_pk)
    current = (
        Submission.objects.filter(team=team, assignment=assignment)
        .select_related("latest_version", "draft_saved_by")
        .first()
    )
    versions = []
    if current is not None:
        versions = list(
            current.versions.select_related("submitted_by")
            .prefetch_related("files", "feedback__author")
            .order_by("-number")
        )
    latest = versions[0] if versions else None
    can_give = may(request.user, "deliverables.give_feedback") and latest is not None
    form = None
    if can_give:
        form = FeedbackForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            initial={"version": latest.number},
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, _("There is no submitted version to give feedback on."))
            return redirect("deliverables_review:submission", team.pk, assignment.pk)
        if form.is_valid():
            if form.cleaned_data["version"] != latest.number:
                form.add_error(
                    None,
                    _("The team submitted version %(n)s while you were writing. Read it; your "
                      "text is kept below.") % {"n": latest.number},
                )  # fmt: skip
            else:
                with refused(request, form=form) as refusal:
                    services.feedback_give(
                        version=latest,
                        actor=request.user,
                        text=form.cleaned_data["text"],
                        verdict=form.cleaned_data["verdict"],
                        upload=form.cleaned_data.get("file"),
                    )
                if not refusal:
                    messages.success(
                        request, _("The feedback was saved and the team was told by e-mail.")
                    )
                    return redirect("deliverables_review:submission", team.pk, assignment.pk)
        messages.error(request, _("The feedback was not saved. See the errors below."))
    return render(
        request,
        "deliverables/review/submission.html",
        {
            "team": team,
            "assignment": assignment,
            "submission": current,
            "status": selectors.progress(current),
            "versions": versions,
            "latest": latest,
            "form": form,
            "live_files": list(current.files.filter(removed_at__isnull=True)) if current else [],
            "has_annex": "conduct_annex" in assignment.worksheets,
            "annex_form": AnnexLanguageForm(initial={"lang": get_language() or "fi"}),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@permission_required("deliverables.view_work")
def file(request, team_pk, assignment_pk, file_pk):
    team, assignment = _objects(team_pk, assignment_pk)
    item = get_object_or_404(
        SubmissionFile.objects.filter(submission__team=team, submission__assignment=assignment),
        pk=file_pk,
    )
    return private_file_response(item.file, filename=item.filename)


@permission_required("deliverables.view_work")
def feedback_file(request, team_pk, assignment_pk, feedback_pk):
    team, assignment = _objects(team_pk, assignment_pk)
    item = get_object_or_404(
        Feedback.objects.filter(
            version__submission__team=team, version__submission__assignment=assignment
        ),
        pk=feedback_pk,
    )
    return private_file_response(item.file, filename=item.filename or "feedback")


@permission_required("deliverables.view_work")
def version_annex(request, team_pk, assignment_pk, number):
    from django.http import Http404

    team, assignment = _objects(team_pk, assignment_pk)
    if "conduct_annex" not in assignment.worksheets:
        raise Http404
    item = get_object_or_404(
        SubmissionVersion.objects.filter(submission__team=team, submission__assignment=assignment),
        number=number,
    )
    form = AnnexLanguageForm(request.GET or None)
    language = form.cleaned_data["lang"] if form.is_valid() else (get_language() or "fi")
    return annex_response(
        item.data.get("conduct_annex") or {},
        team=team,
        assignment=assignment,
        language=language,
        suffix=f" v{item.number}",
    )
