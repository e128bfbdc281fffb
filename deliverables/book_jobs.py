"""Building results books in the background.

`book_start` writes a queued ResultsBook row and hands its id to Celery after the commit;
a second start while one is queued or running returns that one (a partial unique index
decides between two clicks at once). `book_build` runs in the worker: it reports "team 3
of 6" on the row as it renders, stores the PDF in private storage and records how long it
took; a failure is written on the row (the previous book stays downloadable) and can be
retried with a new start. A job whose worker vanished is failed after STALE_AFTER.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from soske import clock
from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.i18n import CONTENT_LANGUAGES
from soske.jobs import job_update

from . import book
from .models import ACTIVE_BOOK_STATES, BookState, ResultsBook

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)


class BookError(DomainError):
    pass


def _active(cohort, team):
    books = ResultsBook.objects.filter(cohort=cohort, state__in=ACTIVE_BOOK_STATES)
    return books.filter(team=team) if team is not None else books.filter(team__isnull=True)


def _fail_stale(cohort, team) -> None:
    limit = clock.now() - STALE_AFTER
    for stale in _active(cohort, team).filter(created_at__lt=limit):
        stale.state = BookState.FAILED
        stale.error = _("The job stopped without finishing. Start it again.")
        stale.finished_at = clock.now()
        stale.save(update_fields=["state", "error", "finished_at"])


def book_start(*, cohort, actor, language: str, team=None) -> tuple[ResultsBook, bool]:
    """Queue a build; returns (book, started). `started` is false when one was running."""
    if language not in CONTENT_LANGUAGES:
        raise BookError(_("Choose the language of the book."))
    if team is not None and team.cohort_id != cohort.pk:
        raise BookError(_("The team belongs to another cohort."))
    _fail_stale(cohort, team)
    try:
        with transaction.atomic():
            created = ResultsBook.objects.create(
                cohort=cohort, team=team, language=language, created_by=actor,
                created_at=clock.now(),
            )  # fmt: skip
            activity_record(
                actor=actor,
                action="results_book.started" if team is None else "team_summary.started",
                target=created,
                scope=team if team is not None else cohort,
                subject=str(cohort),
                after={"language": language},
                context={"cohort": cohort.pk},
            )
            transaction.on_commit(lambda: _enqueue(created.pk), robust=True)
    except IntegrityError:
        running = _active(cohort, team).first()
        if running is None:  # finished in between: start again
            return book_start(cohort=cohort, actor=actor, language=language, team=team)
        return running, False
    return created, True


def _enqueue(book_id: int) -> None:
    from .tasks import build_results_book

    build_results_book.delay(book_id)


def book_build(book_id: int) -> ResultsBook:
    book_row = ResultsBook.objects.select_related("cohort", "team__organisation").get(pk=book_id)
    if book_row.state != BookState.QUEUED:
        return book_row  # a repeated delivery of the task: nothing to do
    started = time.monotonic()
    job_update(book_row, state=BookState.RUNNING, started_at=clock.now())
    try:
        if book_row.team_id:
            data = book.team_summary(book_row.team)
            job_update(book_row, progress_total=1)
            html = book.summary_html(data, language=book_row.language)
            job_update(book_row, progress_done=1)
        else:
            data = book.cohort_book(book_row.cohort)
            job_update(book_row, progress_total=len(data.chapters))
            html = book.render_html(
                data,
                language=book_row.language,
                template="deliverables/book/book.html",
                progress=lambda done, total: job_update(book_row, progress_done=done),
            )
        pdf = book.html_to_pdf(html)
        filename = book.book_filename(
            book_row.cohort, language=book_row.language, team=book_row.team
        )
        book_row.file.save(filename, ContentFile(pdf), save=False)
        job_update(
            book_row,
            file=book_row.file.name,
            filename=filename,
            size=len(pdf),
            source=data.source,
            state=BookState.DONE,
            finished_at=clock.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except Exception as exc:  # the job's failure is the row's state, never lost
        logger.exception("results book %s failed", book_id)
        job_update(
            book_row,
            state=BookState.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=clock.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    return book_row


def latest_done(cohort, *, team=None, language=None):
    books = ResultsBook.objects.filter(cohort=cohort, state=BookState.DONE)
    books = books.filter(team=team) if team is not None else books.filter(team__isnull=True)
    if language:
        books = books.filter(language=language)
    return books.order_by("-finished_at", "-pk").first()
