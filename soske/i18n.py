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
