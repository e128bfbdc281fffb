"""The peer phase (being built: issue 9)."""

from django.http import Http404


def assignment(request, pk, assignment_pk):
    raise Http404
