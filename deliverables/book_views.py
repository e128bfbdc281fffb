"""The results book (coordinators) and a team's one-page summary (its members).

Starting a build only writes a row and queues the Celery job: the request never renders.
The page polls a small JSON status while the job runs and announces it in a polite live
region; without JavaScript a reload shows the same state."""

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Team
from soske import clock
from soske.errors import refused
from soske.files import private_file_response
from soske.jobs import job_status
from soske.permissions import coordinator_required, permitted

from . import book_jobs
from .models import BookState, ResultsBook

LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class BookForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the book"), choices=LANGUAGES, widget=forms.RadioSelect
    )


def _status(row, download_url) -> dict:
    if row is None:
        return {"state": "none", "text": _("No book has been built yet."), "active": False}
    running = (
        _("Rendering team %(done)s of %(total)s…")
        % {"done": min(row.progress_done + 1, row.progress_total), "total": row.progress_total}
        if row.progress_total and row.progress_done < row.progress_total
        else _("Putting the PDF together…")
    )
    return job_status(
        row,
        running_text=running,
        url=download_url(row),
        done=row.progress_done,
        total=row.progress_total,
    )


# --- The cohort's book -----------------------------------------------------------------------


def _cohort_download(row):
    return reverse("results_book:download", args=[row.pk])


@coordinator_required
def cohort_book(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    books = list(
        ResultsBook.objects.filter(cohort=cohort, team__isnull=True).select_related("created_by")
    )
    current = books[0] if books else None
    form = BookForm(initial={"language": (get_language() or "fi")[:2]})
    return render(
        request,
        "deliverables/book/page.html",
        {
            "cohort": cohort,
            "form": form,
            "books": books,
            "status": _status(current, _cohort_download),
            "status_url": reverse("results_book:status", args=[cohort.pk]),
            "start_url": reverse("results_book:start", args=[cohort.pk]),
            "download": _cohort_download,
        },
    )


@coordinator_required
@require_POST
def cohort_book_start(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the book."))
        return redirect("results_book:cohort", cohort_pk=cohort.pk)
    with refused(request) as refusal:
        _row, started = book_jobs.book_start(
            cohort=cohort, actor=request.user, language=form.cleaned_data["language"]
        )
    if not refusal:
        if started:
            messages.success(request, _("The results book is being built."))
        else:
            messages.info(request, _("A results book is already being built; here it is."))
    return redirect("results_book:cohort", cohort_pk=cohort.pk)


@coordinator_required
def cohort_book_status(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    row = ResultsBook.objects.filter(cohort=cohort, team__isnull=True).first()
    return JsonResponse(_status(row, _cohort_download))


@coordinator_required
def cohort_book_download(request, book_pk):
    row = get_object_or_404(ResultsBook, pk=book_pk, team__isnull=True, state=BookState.DONE)
    return private_file_response(row.file, filename=row.filename)


# --- A team's summary ---------------------------------------------------------------------


def _team(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort", "organisation"), pk=pk
    )
    return permitted(request, "cohorts.view_team", team)


def _team_download(row):
    return reverse("team_summary:download", args=[row.team_id, row.pk])


def team_summary(request, pk):
    team = _team(request, pk)
    books = list(ResultsBook.objects.filter(team=team).select_related("created_by")[:10])
    current = books[0] if books else None
    return render(
        request,
        "deliverables/book/team_page.html",
        {
            "team": team,
            "form": BookForm(initial={"language": (get_language() or "fi")[:2]}),
            "books": books,
            "status": _status(current, _team_download),
            "status_url": reverse("team_summary:status", args=[team.pk]),
            "start_url": reverse("team_summary:start", args=[team.pk]),
            "download": _team_download,
            "now": clock.now(),
        },
    )


@require_POST
def team_summary_start(request, pk):
    team = _team(request, pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the summary."))
        return redirect("team_summary:page", pk=team.pk)
    with refused(request) as refusal:
        _row, started = book_jobs.book_start(
            cohort=team.cohort, team=team, actor=request.user,
            language=form.cleaned_data["language"],
        )  # fmt: skip
    if not refusal:
        if started:
            messages.success(request, _("The summary is being built."))
        else:
            messages.info(request, _("A summary is already being built; here it is."))
    return redirect("team_summary:page", pk=team.pk)


def team_summary_status(request, pk):
    team = _team(request, pk)
    return JsonResponse(_status(ResultsBook.objects.filter(team=team).first(), _team_download))


def team_summary_download(request, pk, book_pk):
    team = _team(request, pk)
    row = ResultsBook.objects.filter(team=team, pk=book_pk, state=BookState.DONE).first()
    if row is None:
        raise Http404
    return private_file_response(row.file, filename=row.filename)
