"""The peer phase as a team sees it: the other teams' latest submitted version of the
assignment, the comments on it and a comment form per team, how many teams the team has
commented on, and the comments its own work received.

Only while the assignment's peer phase is open and the team takes part in it (the
cohort's active teams of the assignment's track): otherwise the page does not exist (404),
as another team's pages do not. Hidden comments are never shown to teams, nor who hid them.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import Team
from soske.errors import refused
from soske.files import private_file_response
from soske.permissions import may

from . import services
from .models import Assignment, PeerComment, Submission, SubmissionFile


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Write the comment."),
            "max_length": gettext_lazy(
                "A comment can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args, team, **kwargs):
        kwargs.setdefault("auto_id", f"id_comment_{team.pk}_%s")
        super().__init__(*args, **kwargs)
        self.team = team


def _team(request, pk):
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort", "organisation"), pk=pk
    )


def _phase(request, team, assignment_pk):
    """The assignment and the teams of its peer phase, if it is open and the team is one
    of them; else 404."""
    assignment = get_object_or_404(Assignment.objects.filter(cohort=team.cohort), pk=assignment_pk)
    if not may(request.user, "deliverables.view_peer_work", assignment):
        raise Http404
    teams = list(services.peer_teams(assignment))
    if team.pk not in {t.pk for t in teams}:
        raise Http404
    return assignment, teams


def assignment(request, pk, assignment_pk):
    team = _team(request, pk)
    assignment, teams = _phase(request, team, assignment_pk)
    others = [t for t in teams if t.pk != team.pk]
    bound = None
    if request.method == "POST":
        target = next((t for t in others if str(t.pk) == request.POST.get("team", "")), None)
        if target is None:
            messages.error(request, _("Choose the team whose work you comment on."))
            return redirect("peers:assignment", pk=team.pk, assignment_pk=assignment.pk)
        bound = CommentForm(request.POST, team=target)
        if bound.is_valid():
            with refused(request, form=bound, field="text") as refusal:
                services.peer_comment_add(
                    assignment=assignment,
                    author_team=team,
                    team=target,
                    actor=request.user,
                    text=bound.cleaned_data["text"],
                )
            if not refusal:
                messages.success(
                    request,
                    _("Your comment on %(team)s was saved.") % {"team": target.organisation.name},
                )
                url = reverse("peers:assignment", args=[team.pk, assignment.pk])
                return redirect(f"{url}#team-{target.pk}")
    submissions = {
        s.team_id: s
        for s in Submission.objects.filter(assignment=assignment, team__in=others)
        .select_related("latest_version")
        .prefetch_related("latest_version__files")
    }
    comments = list(
        PeerComment.objects.visible()
        .filter(assignment=assignment, team__in=teams)
        .select_related("author_team__organisation")
    )
    received = [c for c in comments if c.team_id == team.pk]
    commented = {c.team_id for c in comments if c.author_team_id == team.pk}
    entries = []
    for other in others:
        submission = submissions.get(other.pk)
        version = submission.latest_version if submission else None
        entries.append(
            {
                "team": other,
                "version": version,
                "files": list(version.files.all()) if version else [],
                "comments": [c for c in comments if c.team_id == other.pk],
                "commented": other.pk in commented,
                "form": bound
                if bound is not None and bound.team.pk == other.pk
                else CommentForm(team=other),
            }
        )
    return render(
        request,
        "deliverables/peers/assignment.html",
        {
            "team": team,
            "assignment": assignment,
            "entries": entries,
            "received": received,
            "done": sum(1 for entry in entries if entry["commented"]),
            "left": [entry["team"] for entry in entries if not entry["commented"]],
            "bound": bound,
        },
    )


def file(request, pk, assignment_pk, file_pk):
    """A file of another team's latest submitted version, under the page's own rule."""
    team = _team(request, pk)
    assignment, teams = _phase(request, team, assignment_pk)
    others = [t.pk for t in teams if t.pk != team.pk]
    latest = Submission.objects.filter(
        assignment=assignment, team__in=others, latest_version__isnull=False
    ).values("latest_version")
    stored = get_object_or_404(
        SubmissionFile.objects.filter(versions__in=latest).distinct(), pk=file_pk
    )
    return private_file_response(stored.file, filename=stored.filename)
