"""The look of the service: dates and times as each language writes them, the layout's
wordmark and organisers, and wide tables that scroll in their own region."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from soske import dates
from tests.factories import CohortFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
# 10 December 2021 at four in the afternoon in Helsinki, seven seconds past.
DEADLINE = datetime(2021, 12, 10, 16, 0, 7, tzinfo=HELSINKI)
MORNING = datetime(2022, 2, 9, 9, 0, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("language", "day", "moment", "time_of_day"),
    (
        ("fi", "10.12.2021", "10.12.2021 klo 16.00", "16.00"),
        ("sv", "10.12.2021", "10.12.2021 kl. 16.00", "16.00"),
        ("en", "10 Dec 2021", "10 Dec 2021, 16:00", "16:00"),
    ),
)
def test_dates_and_times_follow_the_languages_conventions(language, day, moment, time_of_day):
    with translation.override(language):
        assert dates.day(DEADLINE) == day
        assert dates.moment(DEADLINE) == moment
        assert dates.clock_time(DEADLINE) == time_of_day
        # Templates reach the same formats through Django's named formats.
        rendered = Template(
            '{{ at|date:"SHORT_DATE_FORMAT" }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}|'
            '{{ at|time:"TIME_FORMAT" }}|{{ at|date }}'
        ).render(Context({"at": DEADLINE}))
    assert rendered == f"{day}|{moment}|{time_of_day}|{day}"


@pytest.mark.parametrize(
    ("language", "expected"),
    (
        ("fi", "ke 9.2.2022 klo 9.00–12.00"),
        ("sv", "ons 9.2.2022 kl. 9.00–12.00"),
        ("en", "Wed 9 Feb 2022, 09:00–12:00"),
    ),
)
def test_a_time_range_names_the_weekday_the_day_and_both_times(language, expected):
    with translation.override(language):
        assert dates.time_range(MORNING, MORNING.replace(hour=12), weekday="short") == expected


def test_utc_moments_are_shown_in_helsinki_time():
    utc = datetime(2021, 12, 10, 14, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("fi"):
        assert dates.moment(utc) == "10.12.2021 klo 16.00"
        assert dates.day(date(2022, 1, 20), weekday="long") == "torstai 20.1.2022"


def test_seconds_are_shown_where_a_receipt_needs_them():
    with translation.override("fi"):
        assert dates.moment(DEADLINE, seconds=True) == "10.12.2021 klo 16.00.07"
    with translation.override("en"):
        assert dates.moment(DEADLINE, seconds=True) == "10 Dec 2021, 16:00:07"
    with translation.override("fi"):
        rendered = Template("{% load soske_ui %}{{ at|moment_seconds }}|{{ at|weekday_date }}")
        assert rendered.render(Context({"at": DEADLINE})) == (
            "10.12.2021 klo 16.00.07|perjantai 10.12.2021"
        )


@pytest.mark.parametrize(
    ("language", "deadline", "opens"),
    (
        ("fi", "10.12.2021 klo 16.00", "10.11.2021"),
        ("sv", "10.12.2021 kl. 16.00", "10.11.2021"),
        ("en", "10 Dec 2021, 16:00", "10 Nov 2021"),
    ),
)
def test_the_call_page_shows_the_timeline_in_the_readers_format(db, language, deadline, opens):
    cohort = CohortFactory(
        call_opens_at=datetime(2021, 11, 10, 9, 0, tzinfo=HELSINKI), deadline=DEADLINE
    )
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("cohorts:call", args=[cohort.slug])).content.decode()
    assert f"<td>{deadline}</td>" in content
    assert f"<td>{opens}</td>" in content


@pytest.mark.parametrize(
    ("language", "name", "organisers"),
    (
        ("fi", "Soske-akatemia", "Järjestäjät: Motiva Oy ja Hansel Oy"),
        ("sv", "Soske-akademin", "Arrangörer: Motiva Oy och Hansel Oy"),
        ("en", "Soske academy", "Organisers: Motiva Oy and Hansel Oy"),
    ),
)
def test_every_page_has_the_wordmark_and_names_the_organisers(db, language, name, organisers):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("privacy")).content.decode()
    brand = re.search(r'<a class="navbar-brand wordmark" href="/">(.*?)</a>', content, re.S)
    # The mark is decoration; the link's accessible name is the service's name.
    assert 'aria-hidden="true"' in brand.group(1)
    assert f'<span class="wordmark-name">{name}</span>' in brand.group(1)
    footer = content[content.index('<footer class="site-footer">') :]
    assert f'<p class="footer-organisers">{organisers}</p>' in footer


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF or mail, never shown in a browser window.
NOT_ON_SCREEN = ("mail/", "deliverables/book/book.html")
REGION = re.compile(
    r'<div class="table-responsive[^"]*" tabindex="0" role="region" aria-label="[^"]+">\s*'
    r"(?:\{%[^%]*%\}\s*)?<table"
)


def test_every_table_on_screen_scrolls_in_its_own_named_region():
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(NOT_ON_SCREEN):
            continue
        text = path.read_text()
        tables = len(re.findall(r"<table\b", text))
        if tables != len(REGION.findall(text)):
            unwrapped.append(name)
    assert unwrapped == []


OLD_LANGUAGE_BUTTONS = (
    "{% load i18n %}{% get_current_language as LANGUAGE_CODE %}"
    "{% get_available_languages as LANGUAGES %}{% for code, name in LANGUAGES %}"
    "{% get_language_info for code as info %}"
    '<button type="submit" name="language" value="{{ code }}" lang="{{ code }}"'
    ' class="btn btn-sm{% if code == LANGUAGE_CODE %} active{% endif %}"'
    ' {% if code == LANGUAGE_CODE %}aria-current="true"{% endif %}>'
    "{{ info.name_local|capfirst }}</button>{% endfor %}"
)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_language_buttons_tag_writes_what_the_layouts_loop_wrote(language):
    """{% language_buttons %} replaced a template loop in base.html (issue 13)."""
    from django.template import engines
    from django.test import SimpleTestCase
    from django.utils import translation

    tag = engines["django"].from_string("{% load soske_ui %}{% language_buttons %}")
    old = engines["django"].from_string(OLD_LANGUAGE_BUTTONS)
    with translation.override(language):
        rendered = tag.render({})
        SimpleTestCase().assertHTMLEqual(rendered, old.render({}))
    assert rendered.count("<button") == 3 and rendered.count('aria-current="true"') == 1
    assert f'value="{language}" lang="{language}"\n' in rendered
