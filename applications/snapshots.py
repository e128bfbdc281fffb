"""An application's answers as a plain structure, and that structure read back.

A snapshot is stored with each submitted version (and mailed as a copy). Each row keeps
what was shown (`label`, `value`, in the submitter's language) and what it came from: the
`field` and, for everything the software words itself, the `raw` value (a choice key, theme
ids, a bool, a Decimal as a string, a team member's role key). `snapshot_for_reader` words
those again in the reader's language; what the applicant typed stays as typed. Snapshots
stored before the raw values were kept are shown as stored, marked with their language.
"""

from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.translation import gettext as _

from cohorts.models import TeamRole, Theme
from soske.i18n import current_language, in_its_language

from .models import Application
from .steps import STEP_BY_SLUG, STEPS

# What a row holds, and so how it is worded again.
TEXT = "text"  # typed by the applicant: shown as typed, in the applicant's language
PLAIN = "plain"  # typed but in no language (an address, a number, a file name)
CHOICE = "choice"  # a choice key of the model field
BOOL = "bool"
DECIMAL = "decimal"
THEMES = "themes"  # ids of the cohort's themes
ROLE = "role"  # a team member: the label is the role (raw), the value the person as typed

TEAM_FIELD = "team_member"


def _format_decimal(value: Decimal) -> str:
    return number_format(
        value, decimal_pos=0 if value == value.to_integral() else 2, force_grouping=True
    )


@cache
def _kind(name: str) -> str:
    if name == "themes":
        return THEMES
    if name == "strategy_file":
        return PLAIN
    field = Application._meta.get_field(name)
    if field.choices:
        return CHOICE
    if isinstance(field, models.BooleanField):
        return BOOL
    if isinstance(field, models.DecimalField):
        return DECIMAL
    if isinstance(field, (models.EmailField, models.URLField)) or name in (
        "business_id",
        "contact_phone",
    ):
        return PLAIN
    return TEXT


# The words a snapshot takes from the software (step titles, labels, choices, yes/no), per
# language: worked out once per process and language instead of once per submit (the
# catalogues do not change while the process runs).
_WORDINGS: dict = {}


def _wording() -> dict:
    language = translation.get_language()
    wording = _WORDINGS.get(language)
    if wording is None:
        choices = {
            field.name: {key: str(label) for key, label in field.flatchoices}
            for field in Application._meta.concrete_fields
            if field.choices
        }
        wording = {
            "steps": [
                (
                    step.slug,
                    str(step.title),
                    None
                    if step.form_class is None
                    # The class's fields: no step form adds, drops or relabels a field in
                    # __init__ (see steps.bound_step_form).
                    else [(name, str(f.label)) for name, f in step.form_class.base_fields.items()],
                )
                for step in STEPS
            ],
            "choices": choices,
            "roles": {key: str(label) for key, label in TeamRole.choices},
            True: _("Yes"),
            False: _("No"),
        }
        _WORDINGS[language] = wording
    return wording


def snapshot_steps() -> list:
    """(slug, title, [(field name, label)] or None for the team) of each step, worded in
    the active language."""
    return _wording()["steps"]


def answer_row(application: Application, name: str, label) -> dict:
    """One answer of a step's form: as shown now (current language) and what it came from."""
    kind = _kind(name)
    row = {"field": name, "kind": kind, "label": str(label)}
    if kind == THEMES:
        themes = list(application.themes.all())
        row["raw"] = [theme.pk for theme in themes]
        row["value"] = ", ".join(theme.name for theme in themes)
        return row
    if name == "strategy_file":
        row["value"] = application.strategy_file_name if application.strategy_file else ""
        return row
    value = getattr(application, name)
    if kind == CHOICE:
        row["raw"] = str(value or "")
        # As get_<name>_display() words it: the choice's label, or the value itself.
        row["value"] = _wording()["choices"][name].get(value, str(value)) if value else ""
    elif kind == BOOL:
        row["raw"] = bool(value)
        row["value"] = _wording()[bool(value)]
    elif kind == DECIMAL:
        row["raw"] = None if value is None else str(value)
        row["value"] = "" if value is None else _format_decimal(value)
    else:
        row["value"] = "" if value is None else str(value)
    return row


def team_row(member) -> dict:
    return {
        "field": TEAM_FIELD,
        "kind": ROLE,
        "raw": member.role,
        "label": _wording()["roles"].get(member.role, str(member.role)),
        "value": ", ".join(v for v in (member.name, member.title, member.email) if v),
    }


def _labels() -> dict:
    """Each answer's label as the form words it now (in the active language)."""
    return {
        name: field.label
        for step in STEPS
        if step.form_class is not None
        for name, field in step.form_class.base_fields.items()
    }


def _theme_ids(snapshot) -> set:
    return {
        pk
        for section in snapshot.get("sections", ())
        for row in section.get("rows", ())
        if row.get("kind") == THEMES
        for pk in row.get("raw") or ()
    }


def is_readable_again(snapshot) -> bool:
    """A snapshot whose rows keep what they came from (every row has its `field`)."""
    rows = [row for s in snapshot.get("sections", ()) for row in s.get("rows", ())]
    return bool(rows) and all("field" in row for row in rows)


def snapshot_for_reader(snapshot: dict, *, html: bool = True) -> dict:
    """The snapshot worded in the active language: section titles, labels and every value
    the software words (choices, themes, yes/no, numbers, team roles).

    What the applicant typed stays as typed, marked with the language the snapshot was
    made in when that is not the reader's (WCAG 3.1.2); so is anything that can no longer
    be worded again (a theme since removed, an unknown key). With `html` the labels and
    values are safe HTML carrying those `lang` marks; without, plain text (mail).

    A snapshot stored before rows kept their field comes back as it is: the page marks the
    whole of it with its language."""
    if not snapshot or not is_readable_again(snapshot):
        return snapshot
    language = snapshot.get("language") or ""
    labels = _labels()
    theme_ids = _theme_ids(snapshot)
    themes = Theme.objects.in_bulk(theme_ids) if theme_ids else {}

    def as_stored(text):
        # Worded by whoever made the snapshot: in the snapshot's language.
        return in_its_language(text, language) if html else text

    def ours(text):
        return conditional_escape(text) if html else str(text)

    sections = []
    for section in snapshot.get("sections", ()):
        step = STEP_BY_SLUG.get(section.get("slug"))
        rows = [_reader_row(row, labels, themes, as_stored, ours, html) for row in section["rows"]]
        title = ours(step.title) if step else as_stored(section.get("title", ""))
        sections.append({"slug": section.get("slug"), "title": title, "rows": rows})
    # Everything is in the reader's language now, or marked where it is not.
    return {"sections": sections, "language": current_language()}


def _reader_row(row, labels, themes, as_stored, ours, html) -> dict:
    kind, raw, stored = row.get("kind"), row.get("raw"), row.get("value", "")
    if kind == ROLE:
        label = ours(TeamRole(raw).label) if raw in TeamRole.values else as_stored(row["label"])
        return {"label": label, "value": as_stored(stored) if stored else ""}
    field = row.get("field")
    label = ours(labels[field]) if field in labels else as_stored(row.get("label", ""))
    return {
        "label": label,
        "value": _reader_value(row, kind, raw, stored, themes, as_stored, ours, html),
        "field": field or "",
    }


def _reader_value(row, kind, raw, stored, themes, as_stored, ours, html):
    if kind == TEXT:
        return as_stored(stored) if stored else ""
    if kind == PLAIN:
        return ours(stored)
    if kind == CHOICE:
        if not raw:
            return ""
        try:
            choices = dict(Application._meta.get_field(row["field"]).flatchoices)
        except FieldDoesNotExist:
            choices = {}
        return ours(choices[raw]) if raw in choices else as_stored(stored)
    if kind == BOOL:
        return ours(_("Yes") if raw else _("No"))
    if kind == DECIMAL:
        if raw in (None, ""):
            return ""
        try:
            return ours(_format_decimal(Decimal(raw)))
        except (InvalidOperation, TypeError):
            return as_stored(stored)
    if kind == THEMES:
        if not raw:
            return ""
        if any(pk not in themes for pk in raw):
            return as_stored(stored)  # a theme since removed: as it was shown
        if html:
            return format_html_join(", ", "{}", ((themes[pk].name_html,) for pk in raw))
        return ", ".join(themes[pk].name for pk in raw)
    return as_stored(stored) if stored else ""
