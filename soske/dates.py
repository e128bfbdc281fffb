"""Dates and times as people read them, in the active language and in Helsinki time.

One place for the formats (soske/formats/<language>/formats.py): Finnish 10.12.2021 and
klo 16.00, Finland Swedish 10.12.2021 and kl. 16.00, English 10 Dec 2021 and 16:00.
Templates use Django's named formats (|date:"SHORT_DATE_FORMAT", |time:"TIME_FORMAT") or
the filters of soske_ui built on these functions.
"""

import functools
from datetime import date, datetime

from django.utils import dateformat, formats

from soske import clock

# --- Formatting, parsed once ---------------------------------------------------------------
#
# Django's dateformat reads the format string on every call: a regular-expression split and a
# substitution per literal piece, then a method per character. That is 60-90 µs a date on
# the bench machine, and a page of a hundred rows or a programme of thirty events formats
# that many (issue 13). Here the format is parsed once, with Django's own expressions, and
# the numbers are written directly; every other character is still DateFormat's method.

# What DateFormat writes for these characters, from the value's own numbers.
_NUMBERS = {
    "j": lambda v: str(v.day),
    "d": lambda v: f"{v.day:02d}",
    "n": lambda v: str(v.month),
    "m": lambda v: f"{v.month:02d}",
    "Y": lambda v: f"{v.year:04d}",
    "G": lambda v: str(v.hour),
    "H": lambda v: f"{v.hour:02d}",
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}


@functools.lru_cache(maxsize=256)
def _parsed(pattern: str) -> tuple:
    """((is_character, text), ...) as Formatter.format splits the pattern."""
    parts = []
    for i, piece in enumerate(dateformat.re_formatchars.split(pattern)):
        if i % 2:
            parts.append((True, piece))
        elif piece:
            parts.append((False, dateformat.re_escaped.sub(r"\1", piece)))
    return tuple(parts)


def format_date(value, pattern: str) -> str:
    """dateformat.format(value, pattern) for a date or datetime: the same text, faster."""
    parts = _parsed(str(pattern))
    if type(value) is date and any(
        is_char and hasattr(dateformat.TimeFormat, text) for is_char, text in parts
    ):
        return dateformat.format(value, pattern)  # Django's TypeError, as before
    out = []
    formatter = None
    for is_char, text in parts:
        if not is_char:
            out.append(text)
        elif text in _NUMBERS:
            out.append(_NUMBERS[text](value))
        else:
            if formatter is None:
                formatter = dateformat.DateFormat(value)
            out.append(str(getattr(formatter, text)()))
    return "".join(out)


def named_format(value, name: str) -> str:
    """formats.date_format(value, name): a named format of the active language (or a
    pattern), through format_date."""
    return format_date(value, formats.get_format(name))


def _local(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return clock.helsinki(value)
    return value


def day(value, *, weekday: str = "") -> str:
    """The date; with weekday="short" or "long" the day's name before it ('ke 9.2.2022')."""
    if value in (None, ""):
        return ""
    value = _local(value)
    text = named_format(value, "SHORT_DATE_FORMAT")
    if weekday:
        name = named_format(value, "D" if weekday == "short" else "l")
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
    if isinstance(value, datetime):
        return format_date(value, pattern)
    return formats.time_format(value, pattern)


def moment(value, *, weekday: str = "", seconds: bool = False) -> str:
    """The date and time ('10.12.2021 klo 16.00')."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if not weekday and not seconds:
        return named_format(value, "SHORT_DATETIME_FORMAT")
    # The words between the date and the time as the language has them ('klo', 'kl.', ',').
    pattern = formats.get_format("SHORT_DATETIME_FORMAT")
    joiner = pattern.removeprefix(formats.get_format("SHORT_DATE_FORMAT"))
    joiner = joiner.removesuffix(formats.get_format("TIME_FORMAT"))
    between = format_date(value, joiner) if joiner.strip() else joiner
    return f"{day(value, weekday=weekday)}{between}{clock_time(value, seconds=seconds)}"


def time_range(start, end, *, weekday: str = "") -> str:
    """A start and an end on one day ('9.2.2022 klo 9.00–12.00')."""
    return f"{moment(start, weekday=weekday)}–{clock_time(end)}"
