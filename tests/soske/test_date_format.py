"""The date filter and soske.dates write what Django's own formatting writes, faster."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.template import defaultfilters as django_filters
from django.utils import dateformat, formats, timezone, translation

from soske import dates
from soske.templatetags import soske_dates

HELSINKI = ZoneInfo("Europe/Helsinki")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
NAMES = [
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
]
# Patterns the templates use, and some that reach every branch: numbers only, words only,
# escaped letters, both, the time zone's letters, and characters that are not formats.
PATTERNS = ["F Y", "D", "l", "j", "N j, Y, P", r"\k\l\o G.i", "c", "U", "e O T Z I", "jS F", "ä/ö"]
DATETIMES = [
    datetime.datetime(2026, 12, 4, 9, 5, 7, tzinfo=HELSINKI),
    datetime.datetime(2027, 1, 31, 0, 0, tzinfo=HELSINKI),
    datetime.datetime(2027, 3, 28, 3, 30, tzinfo=HELSINKI),  # the hour of the spring shift
    datetime.datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI),  # twice in the autumn
    datetime.datetime(2027, 10, 31, 3, 30, fold=1, tzinfo=HELSINKI),
    datetime.datetime(2027, 6, 15, 23, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(987, 5, 6, 12, 0),  # naive; a year of three digits
]
DATES = [datetime.date(2026, 12, 4), datetime.date(5, 1, 9), datetime.date(2028, 2, 29)]


def _django(value, pattern):
    try:
        return dateformat.format(value, pattern)
    except TypeError as exc:
        return TypeError, str(exc)


def _ours(value, pattern):
    try:
        return dates.format_date(value, pattern)
    except TypeError as exc:
        return TypeError, str(exc)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_format_of_every_language_writes_djangos_text(language):
    compared = 0
    with translation.override(language):
        patterns = [formats.get_format(name) for name in NAMES] + PATTERNS
        for value, pattern in itertools.product(DATETIMES + DATES, patterns):
            assert _ours(value, pattern) == _django(value, pattern), (value, pattern)
            compared += 1
    assert compared == len(DATETIMES + DATES) * (len(NAMES) + len(PATTERNS))


def test_a_date_refuses_a_time_format_as_django_does():
    with pytest.raises(TypeError, match="time-related format specifiers"):
        dates.format_date(datetime.date(2026, 12, 4), "j.n.Y G.i")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_templates_date_filter_is_ours_and_writes_djangos_text(language):
    engine = engines["django"].engine
    assert engine.template_builtins[-1].filters["date"] is soske_dates.date
    plain = Engine(builtins=[])  # Django's own date filter only
    ours, django = (e.from_string("{{ v|date:f }}") for e in (engine, plain))
    values = [*DATETIMES, *DATES, None, "", "not a date", datetime.time(9, 5)]
    compared = refused = 0
    with translation.override(language), timezone.override(HELSINKI):
        for value, name in itertools.product(values, [*NAMES, "F Y", "D", "l", "j", None]):
            context = {"v": value, "f": name}
            try:
                expected = django.render(Context(context))
            except TypeError:  # a date with a time format: refused alike
                with pytest.raises(TypeError):
                    ours.render(Context(context))
                refused += 1
                continue
            assert ours.render(Context(context)) == expected, (value, name)
            compared += 1
    assert compared > 100 and refused > 0


def test_things_that_are_not_dates_go_to_djangos_filter():
    assert soske_dates.date(None) == django_filters.date(None) == ""
    assert soske_dates.date("x", "j.n.Y") == django_filters.date("x", "j.n.Y")
    noon = datetime.time(12, 30)
    assert soske_dates.date(noon, "G.i") == django_filters.date(noon, "G.i") == "12.30"


def test_soske_dates_helpers_keep_their_words():
    moment = datetime.datetime(2027, 2, 9, 9, 0, 7, tzinfo=datetime.UTC)  # 11.00.07 in Helsinki
    with translation.override("fi"):
        assert dates.day(moment) == "9.2.2027"
        assert dates.moment(moment) == "9.2.2027 klo 11.00"
        assert dates.clock_time(moment, seconds=True) == "11.00.07"
        assert dates.day(moment, weekday="short") == "ti 9.2.2027"
    with translation.override("sv"):
        assert dates.moment(moment, weekday="long") == "tisdag 9.2.2027 kl. 11.00"
    with translation.override("en"):
        assert dates.moment(moment) == "9 Feb 2027, 11:00"
