"""Content stored in three languages (fi, sv, en) on one row."""

from django.utils import translation
from django.utils.html import conditional_escape, format_html

CONTENT_LANGUAGES = ("fi", "sv", "en")


def _localized(obj, field: str, language: str | None) -> tuple[str, str]:
    language = (language or translation.get_language() or "fi")[:2]
    for code in (language, "fi", "en", "sv"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value, code
    return "", ""


def localized(obj, field: str, language: str | None = None) -> str:
    """The field in `language` (the active one), else in Finnish, English or Swedish."""
    return _localized(obj, field, language)[0]


def localized_language(obj, field: str, language: str | None = None) -> str:
    """The language `localized` found the value in ("" when there is none): a page shows
    a value that fell back to another language inside an element with that `lang`."""
    return _localized(obj, field, language)[1]


def current_language() -> str:
    return (translation.get_language() or "fi")[:2]


def in_its_language(value, language: str):
    """`value` escaped, wrapped in <span lang> when its language is not the page's."""
    if not language or language == current_language():
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)


def _django_strings_missing_from_its_catalogues():  # pragma: no cover - for makemessages
    """Django's own fi/sv catalogues lack these; listing them here puts them in ours."""
    from django.utils.translation import ngettext

    ngettext(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        0,
    )
    # Django 5.2's wording of the same (MinimumLengthValidator.get_error_message).
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    )
