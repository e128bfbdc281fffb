"""Content stored in three languages (fi, sv, en) on one row."""

from django.utils import translation

CONTENT_LANGUAGES = ("fi", "sv", "en")


def localized(obj, field: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or "fi")[:2]
    for code in (language, "fi", "en", "sv"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


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
