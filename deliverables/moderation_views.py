"""Moderation of the peer comments: every comment of an assignment's peer phase grouped by
the team commented on, with who wrote it and whether (by whom, when, why) it is hidden.
Staff read the page; coordinators hide a comment (with a reason, after a confirmation) and
show it again (the undo). Each change is in the activity log, which the page shows."""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from soske.activity.models import ActivityEntry
from soske.permissions import coordinator_required, may, staff_required

from . import services
from .models import Assignment, PeerComment

FILTERS = (
    ("all", gettext_lazy("All comments")),
    ("visible", gettext_lazy("Visible comments")),
    ("hidden", gettext_lazy("Hidden comments")),
)


class FilterForm(forms.Form):
    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=FILTERS, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the comment hidden?"),
        help_text=gettext_lazy("The coordinators see the reason; the teams never do."),
        max_length=300,
        error_messages={
            "required": gettext_lazy("Give the reason for hiding the comment."),
            "max_length": gettext_lazy(
                "The reason can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


def _comments_url(assignment, comment=None, show=""):
    url = reverse("peers_staff:comments", args=[assignment.pk])
    if show in ("visible", "hidden"):
        url += f"?show={show}"
    if comment is not None:
        url += f"#comment-{comment.pk}"
    return url


def _comment(assignment_pk, comment_pk):
    assignment = get_object_or_404(Assignment.objects.select_related("cohort"), pk=assignment_pk)
    comment = get_object_or_404(
        PeerComment.objects.filter(assignment=assignment).select_related(
            "team__organisation", "author_team__organisation", "author", "hidden_by"
        ),
        pk=comment_pk,
    )
    return assignment, comment


@staff_required
def comments(request, assignment_pk):
    assignment = get_object_or_404(Assignment.objects.select_related("cohort"), pk=assignment_pk)
    filter_form = FilterForm(request.GET or None)
    show = filter_form.cleaned_data["show"] if filter_form.is_valid() else ""
    show = "" if show == "all" else show
    queryset = PeerComment.objects.filter(assignment=assignment).select_related(
        "team__organisation", "author_team__organisation", "author", "hidden_by"
    )
    counts = {
        "all": queryset.count(),
        "hidden": queryset.filter(hidden_at__isnull=False).count(),
    }
    counts["visible"] = counts["all"] - counts["hidden"]
    if show == "visible":
        queryset = queryset.visible()
    elif show == "hidden":
        queryset = queryset.filter(hidden_at__isnull=False)
    shown = list(queryset)
    history = {}
    entries = ActivityEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(PeerComment),
        target_id__in=[c.pk for c in shown],
        action__in=["peer_comment.hidden", "peer_comment.shown"],
    ).select_related("actor")
    for entry in entries.order_by("at", "id"):
        history.setdefault(entry.target_id, []).append(entry)
    for comment in shown:
        comment.history = history.get(comment.pk, [])
    groups = []
    teams = list(services.peer_teams(assignment))
    known = {t.pk for t in teams}
    teams += sorted(
        {c.team.pk: c.team for c in shown if c.team_id not in known}.values(),
        key=lambda t: t.organisation.name,
    )
    for team in teams:
        items = [c for c in shown if c.team_id == team.pk]
        if items or not show:
            groups.append({"team": team, "comments": items})
    return render(
        request,
        "deliverables/moderation/comments.html",
        {
            "assignment": assignment,
            "cohort": assignment.cohort,
            "groups": groups,
            "filter_form": filter_form if filter_form.is_bound else FilterForm(),
            "show": show,
            "counts": counts,
            "can_moderate": may(request.user, "deliverables.moderate_comments"),
        },
    )


@coordinator_required
def hide(request, assignment_pk, comment_pk):
    """The confirmation, with the reason; the comments page offers the undo."""
    assignment, comment = _comment(assignment_pk, comment_pk)
    show = request.GET.get("show", "") or request.POST.get("show", "")
    if comment.is_hidden:
        messages.info(request, _("This comment is already hidden."))
        return redirect(_comments_url(assignment, comment, show))
    form = HideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.peer_comment_hide(
            comment=comment, actor=request.user, reason=form.cleaned_data["reason"], hidden=True
        )
        messages.success(
            request,
            _(
                "The comment was hidden: the teams no longer see it. You can show it again "
                "on this page."
            ),
        )
        return redirect(_comments_url(assignment, comment, show))
    return render(
        request,
        "deliverables/moderation/hide.html",
        {
            "assignment": assignment,
            "cohort": assignment.cohort,
            "comment": comment,
            "form": form,
            "show": show if show in ("visible", "hidden") else "",
        },
    )


@require_POST
@coordinator_required
def show(request, assignment_pk, comment_pk):
    """Undo a hiding: the teams see the comment again."""
    assignment, comment = _comment(assignment_pk, comment_pk)
    if comment.is_hidden:
        services.peer_comment_hide(comment=comment, actor=request.user, hidden=False)
        messages.success(request, _("The comment is visible to the teams again."))
    return redirect(_comments_url(assignment, comment, request.POST.get("show", "")))
