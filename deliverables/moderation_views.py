"""Moderation of the peer comments (being built: issue 9)."""

from django.http import Http404


def comments(request, assignment_pk):
    raise Http404
