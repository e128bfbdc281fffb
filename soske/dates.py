"""Dates and times as people read them, in the active language and in Helsinki time.

One place for the formats (soske/formats/<language>/formats.py): Finnish 10.12.2021 and
klo 16.00, Finland Swedish 10.12.2021 and kl. 16.00, English 10 Dec 2021 and 16:00.
Templates use Django's named formats (|date:"SHORT_DATE_FORMAT", |time:"TIME_FORMAT") or
the filters of soske_ui built on these functions.
"""

from datetime import datetime

from django.utils import formats

from soske import clock


def _local(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return clock.helsinki(value)
    return value


def day(value, *, weekday: str = "") -> str:
    """The date; with weekday="short" or "long" the day's name before it ('ke 9.2.2022')."""
    if value in (None, ""):
        return ""
    value = _local(value)
    text = formats.date_format(value, "SHORT_DATE_FORMAT")
    if weekday:
        name = formats.date_format(value, "D" if weekday == "short" else "l")
        text = f"{name} {text}"
    return text


def clock_time(value, *, seconds: bool = False) -> str:
    """The time of day ('16.00'; with seconds '16.00.07')."""
    if value in (None, ""):
        return ""
    value = _local(value)
    pattern = formats.get_format("TIME_FORMAT")
    if seconds:
        pattern += "." if "." in pattern else ":"
        pattern += "s"
    return formats.time_format(value, pattern)


def moment(value, *, weekday: str = "", seconds: bool = False) -> str:
    """The date and time ('10.12.2021 klo 16.00')."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if not weekday and not seconds:
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    # The words between the date and the time as the language has them ('klo', 'kl.', ',').
    pattern = formats.get_format("SHORT_DATETIME_FORMAT")
    joiner = pattern.removeprefix(formats.get_format("SHORT_DATE_FORMAT"))
    joiner = joiner.removesuffix(formats.get_format("TIME_FORMAT"))
    between = formats.date_format(value, joiner) if joiner.strip() else joiner
    return f"{day(value, weekday=weekday)}{between}{clock_time(value, seconds=seconds)}"


def time_range(start, end, *, weekday: str = "") -> str:
    """A start and an end on one day ('9.2.2022 klo 9.00–12.00')."""
    return f"{moment(start, weekday=weekday)}–{clock_time(end)}"
