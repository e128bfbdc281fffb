"""The programme as a team sees it. (Placeholders until the team pages are built.)"""

from django.http import Http404


def calendar(request, pk):
    raise Http404


def sparring(request, pk, round_pk):
    raise Http404
