from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from applications.forms import ConfirmForm
from applications.selection import team_join
from soske.errors import refused

from .models import Team, TeamMembership


def role_label(role: str) -> str:
    from applications.models import TeamRole

    if role == "contact":
        return _("Contact person")
    return TeamRole(role).label if role in TeamRole.values else role


def _my_teams(user):
    return Team.objects.filter(memberships__user=user, active=True).select_related(
        "cohort", "organisation"
    )


def home(request):
    teams = list(_my_teams(request.user))
    if len(teams) == 1:
        return redirect("team:detail", pk=teams[0].pk)
    return render(request, "cohorts/team_list.html", {"teams": teams})


def detail(request, pk):
    team = get_object_or_404(_my_teams(request.user), pk=pk)
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
