"""A team's own work (being built: issue 9)."""

from django.http import Http404


def assignments(request, pk):
    raise Http404


def submission(request, pk, assignment_pk):
    raise Http404
