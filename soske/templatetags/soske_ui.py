"""Small helpers of the site's layout."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

from soske import dates
from soske.links import fixed_url as _fixed_url

register = template.Library()


@register.filter
def in_section(path: str, prefix: str) -> bool:
    """Whether the page at `path` belongs to the navigation entry at `prefix`."""
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label) -> str:
    """One entry of the main navigation, marked as the current page in its section.
    A tag rather than an include: the navigation is on every page."""
    href = _fixed_url(url_name)
    current = ' aria-current="page"' if in_section(context["request"].path, href) else ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}"{}>{}</a></li>',
        href,
        mark_safe(current),  # noqa: S308 - a constant
        label,
    )


@register.simple_tag
def language_buttons() -> str:
    """The language switcher's buttons, each language named in itself, the current one
    marked. A tag: it is on every page (issue 13); it writes what the layout's loop wrote."""
    current = get_language()
    buttons = []
    for code, _name in settings.LANGUAGES:
        active = code == current
        buttons.append(
            format_html(
                '<button type="submit" name="language" value="{}" lang="{}"\n'
                '                    class="btn btn-sm{}"\n'
                "                    {}>{}</button>",
                code,
                code,
                " active" if active else "",
                mark_safe('aria-current="true"') if active else "",  # noqa: S308 - constant
                capfirst(get_language_info(code)["name_local"]),
            )
        )
    return mark_safe("\n          ".join(buttons))  # noqa: S308 - built with format_html


@register.simple_tag
def fixed_url(url_name: str) -> str:
    """{% url %} for a pattern without arguments, resolved once per process (the layout's
    links, on every page; issue 13)."""
    return _fixed_url(url_name)


@register.filter
def weekday_date(value, length: str = "long") -> str:
    """'keskiviikko 9.2.2022' ("long") or 'ke 9.2.2022' ("short")."""
    return dates.day(value, weekday=length)


@register.filter
def weekday_moment(value, length: str = "long") -> str:
    """'keskiviikko 9.2.2022 klo 9.00'."""
    return dates.moment(value, weekday=length)


@register.filter
def moment_seconds(value) -> str:
    """'2.12.2026 klo 13.00.07': a receipt's or a log's exact time."""
    return dates.moment(value, seconds=True)
