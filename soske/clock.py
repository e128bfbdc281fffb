"""The one place that reads the time.

Tests travel in time with `clock.travel(moment)`; everything else calls
`clock.now()`. `request_time(request)` is the moment the request arrived,
stamped by RequestArrivalMiddleware before any other work, and is what
deadlines are judged against.
"""

import contextlib
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

HELSINKI = ZoneInfo("Europe/Helsinki")

_frozen = threading.local()
_global_frozen: list[datetime] = []


def now() -> datetime:
    moment = getattr(_frozen, "moment", None)
    if moment is None and _global_frozen:
        moment = _global_frozen[-1]
    return moment if moment is not None else timezone.now()


@contextlib.contextmanager
def travel(moment: datetime, *, all_threads: bool = True):
    """Freeze now() at `moment` (aware) for the duration of the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel() needs an aware datetime")
    if all_threads:
        _global_frozen.append(moment)
        try:
            yield moment
        finally:
            _global_frozen.pop()
    else:
        previous = getattr(_frozen, "moment", None)
        _frozen.moment = moment
        try:
            yield moment
        finally:
            _frozen.moment = previous


def request_time(request) -> datetime:
    return getattr(request, "arrived_at", None) or now()


def helsinki(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def helsinki_datetime(day, moment) -> datetime:
    """The aware moment `moment` (a time) on `day` in Helsinki."""
    return datetime.combine(day, moment, tzinfo=HELSINKI)
