"""Links resolved once.

`reverse()` walks the URL resolver every time; a page that links each of its rows (a
matrix of teams and assignments, a programme's events) asks it once per pattern here and
fills in the ids (`url_maker`, only for patterns whose arguments are `<int:…>`), and the
layout's links, which take no arguments, are resolved once per process (`fixed_url`;
issue 13)."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = 987654320  # an id no row has: its digits mark where each argument goes


def url_maker(name: str, arity: int = 1):
    """A function (*ids) -> the same string as reverse(name, args=ids)."""
    markers = [str(_MARKER + i) for i in range(1, arity + 1)]
    template = reverse(name, args=[int(m) for m in markers]).replace("{", "{{").replace("}", "}}")
    for i, marker in enumerate(markers):
        if template.count(marker) != 1:
            raise ValueError(f"{name}: argument {i} does not appear once in the URL")
        template = template.replace(marker, f"{{{i}}}")
    return template.format


@functools.lru_cache(maxsize=512)
def _fixed(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """reverse(name) of a pattern without arguments, remembered per script prefix and URL
    configuration (each page's layout links a dozen of them)."""
    return _fixed(name, get_script_prefix(), get_urlconf())


@receiver(setting_changed, dispatch_uid="soske_links_fixed_url")
def _forget_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # as Django's own URL caches (tests override it)
        _fixed.cache_clear()
