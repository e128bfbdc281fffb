"""Small helpers of the site's layout."""

from django import template

register = template.Library()


@register.filter
def in_section(path: str, prefix: str) -> bool:
    """Whether the page at `path` belongs to the navigation entry at `prefix`."""
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)
