"""Small helpers of the site's layout."""

from django import template

from soske import dates

register = template.Library()


@register.filter
def in_section(path: str, prefix: str) -> bool:
    """Whether the page at `path` belongs to the navigation entry at `prefix`."""
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)


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
