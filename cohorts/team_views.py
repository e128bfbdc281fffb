from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from soske.errors import refused
from soske.forms import ConfirmForm
from soske.permissions import permitted

from .models import Team, TeamMembership, TeamRole
from .services import team_join


def role_label(role: str) -> str:
    if role == "contact":
        return _("Contact person")
    return TeamRole(role).label if role in TeamRole.values else role


def home(request):
    teams = list(Team.objects.visible_to(request.user).select_related("cohort", "organisation"))
    if len(teams) == 1:
        return redirect("team:detail", pk=teams[0].pk)
    return render(request, "cohorts/team_list.html", {"teams": teams})


def detail(request, pk):
    team = permitted(
        request,
        "cohorts.view_team",
        get_object_or_404(
            Team.objects.visible_to(request.user).select_related("cohort", "organisation"), pk=pk
        ),
    )
    members = list(team.memberships.select_related("user"))
    for member in members:
        member.role_label = role_label(member.role)
    return render(request, "cohorts/team.html", {"team": team, "members": members})


def join(request, token):
    membership = get_object_or_404(
        TeamMembership.objects.select_related("team__organisation"), token=token
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        with refused(request) as refusal:
            team = team_join(token=token, user=request.user)
        if not refusal:
            messages.success(request, _("Welcome to the team."))
            return redirect("team:detail", pk=team.pk)
    return render(request, "cohorts/team_join.html", {"membership": membership, "form": form})
