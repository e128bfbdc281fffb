"""Links to many objects on one page, resolved once.

`reverse()` walks the URL resolver every time; a page that links each of its rows (a
matrix of teams and assignments, a programme's events) asks it once per pattern here and
fills in the ids (issue 13). Only for patterns whose arguments are `<int:…>`."""

from django.urls import reverse

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
