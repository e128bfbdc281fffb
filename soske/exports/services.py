"""Spreadsheets built in the background, as the results book is (issue 13).

`export_start` writes a queued Export row, records who asked for what in the activity log
and hands the row's id to Celery after the commit; asking again for the same thing while it
is queued or running returns that one. `export_build` runs in the worker: it builds the file
in the language it was asked in, stores it in private storage and records how long it took;
a failure is written on the row. A job whose worker vanished is failed after STALE_AFTER;
a row and its file go EXPORT_KEEP_DAYS after they were asked for.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from soske import clock
from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.jobs import job_update

from .models import ACTIVE_EXPORT_STATES, Export, ExportState
from .registry import export_kind

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)


class ExportError(DomainError):
    pass


def _fail_stale(user) -> None:
    limit = clock.now() - STALE_AFTER
    Export.objects.filter(
        created_by=user, state__in=ACTIVE_EXPORT_STATES, created_at__lt=limit
    ).update(
        state=ExportState.FAILED,
        error=_("The job stopped without finishing. Start it again."),
        finished_at=clock.now(),
    )


def export_start(
    *, user, kind: str, params: dict, title: str, subject=("", ""), scope=None
) -> tuple[Export, bool]:
    """Queue a build of `kind` from `params` for `user`; returns (export, started).
    `started` is false when the same export was already queued or running. `subject`:
    (the name in `title` of what is exported, the language that name is in)."""
    if export_kind(kind) is None:
        raise ExportError(_("This export is not available."))
    _fail_stale(user)
    running = Export.objects.filter(
        created_by=user, kind=kind, params=params, state__in=ACTIVE_EXPORT_STATES
    ).first()
    if running is not None:
        return running, False
    with transaction.atomic():
        export = Export.objects.create(
            kind=kind,
            params=params,
            title=title[:300],
            subject=subject[0][:300],
            subject_language=subject[1],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            created_by=user,
            created_at=clock.now(),
        )
        activity_record(
            actor=user,
            action="export.started",
            target=export,
            scope=scope,
            subject=export.title,
            # The kind only: the parameters may hold a search term, a person's name say,
            # which the log would keep longer than the export itself.
            after={"kind": kind},
        )
        transaction.on_commit(lambda: _enqueue(export.pk), robust=True)
    return export, True


def _enqueue(export_id: int) -> None:
    from .tasks import build_export

    build_export.delay(export_id)


def export_build(export_id: int) -> Export | None:
    export = Export.objects.select_related("created_by").filter(pk=export_id).first()
    if export is None or export.state != ExportState.QUEUED:
        return export  # deleted meanwhile, or a repeated delivery of the task
    started = time.monotonic()
    job_update(export, state=ExportState.RUNNING, started_at=clock.now())
    try:
        kind = export_kind(export.kind)
        with translation.override(export.language):
            if kind is None:
                raise ExportError(_("This export is not available."))
            filename, content = kind.build(export)
        export.file.save(filename, ContentFile(content), save=False)
        job_update(
            export,
            file=export.file.name,
            filename=filename,
            size=len(content),
            state=ExportState.DONE,
            finished_at=clock.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except Exception as exc:  # the job's failure is the row's state, never lost
        if isinstance(exc, DomainError):  # said for its owner, in their language
            error = str(exc.message)
        else:
            logger.exception("export %s failed", export_id)
            error = f"{type(exc).__name__}: {exc}"
        job_update(
            export,
            state=ExportState.FAILED,
            error=error[:2000],
            finished_at=clock.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    return export


def _delete(exports) -> int:
    count = 0
    for export in exports:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count


def export_delete(export: Export) -> None:
    """The owner deletes a finished export and its file at once."""
    if export.is_active:
        raise ExportError(_("The export is still being built; delete it when it is ready."))
    _delete([export])


def purge_expired(moment=None) -> int:
    """Delete every export asked for more than EXPORT_KEEP_DAYS before `moment`, with its
    file: the spreadsheets hold personal data and are not kept as records."""
    limit = (moment or clock.now()) - timedelta(days=settings.EXPORT_KEEP_DAYS)
    return _delete(Export.objects.filter(created_at__lt=limit))
