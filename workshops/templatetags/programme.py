"""Times of the programme as people read them: 'ke 9.2.2022 klo 9.00–12.00'."""

from datetime import time, timedelta

from django import template
from django.utils.translation import gettext as _

from soske import clock, dates

register = template.Library()


def _day(moment) -> str:
    return dates.day(moment, weekday="short")


def _time(moment) -> str:
    return dates.clock_time(moment)


@register.filter
def span(start, end=None) -> str:
    """The day and the times of [start, end) in Helsinki time, in the active language.

    A span of whole days (a sparring round's window, midnight to midnight) reads as its
    first and last day."""
    if start is None:
        return ""
    local = clock.helsinki(start)
    if end is None:
        return _("%(day)s at %(start)s") % {"day": _day(local), "start": _time(local)}
    local_end = clock.helsinki(end)
    if local.time() == time(0) and local_end.time() == time(0):
        return f"{_day(local)}–{_day(local_end - timedelta(days=1))}"
    return _("%(day)s at %(start)s–%(end)s") % {
        "day": _day(local),
        "start": _time(local),
        "end": _time(local_end),
    }
