"""Staff pages of the deliverables (being built: issue 9)."""

from django.http import Http404


def overview(request, cohort_pk):
    raise Http404
