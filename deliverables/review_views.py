"""Staff's view of a team's work (being built: issue 9)."""

from django.http import Http404


def submission(request, team_pk, assignment_pk):
    raise Http404
