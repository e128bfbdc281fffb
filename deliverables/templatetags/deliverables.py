"""Reading a submission's content on a page: `{% work_content assignment data %}` shows
every worksheet of the assignment read-only (the team's versions, staff, the peer phase);
`{% progress_badge status %}` shows where a team stands in words and a symbol, never in
colour alone."""

import itertools
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms, template
from django.template.defaultfilters import date as date_filter
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from deliverables.selectors import Progress
from deliverables.worksheets import (
    RISK_LEVEL_KEYS,
    WORKSHEETS,
    RowsWorksheet,
    categories_table,
    risk_level,
    risk_rows,
    snapshot_text,
)
from soske import dates

register = template.Library()

# Headings get ids unique in the process, so a page (or the book) that shows several
# teams' work never repeats one.
_ids = itertools.count(1)


@register.filter
def euros(value) -> str:
    """1234567.5 → "1 234 567,50 €" in Finnish (the locale's own separators)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True) + " €"


def _display(field, value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DecimalField):
        return euros(value)
    if isinstance(field, forms.DateField):
        try:
            return dates.day(date.fromisoformat(value))
        except ValueError:
            return str(value)
    return str(value)


def sheet_context(key: str, content: dict | None) -> dict:
    sheet = WORKSHEETS[key]
    content = content or {}
    context = {"sheet": sheet, "content": content, "key": key}
    if key == "categories":
        rows, total, chosen = categories_table(content)
        context.update(rows=rows, total=total, chosen_total=chosen)
    elif key == "risk_matrix":
        context["rows"] = risk_rows(content)
    elif key == "conduct_annex":
        language = translation.get_language() or "fi"
        context.update(
            procurement=content.get("procurement", ""),
            obligations=[snapshot_text(s, language) for s in content.get("obligations", [])],
            terms=[snapshot_text(s, language) for s in content.get("terms", [])],
            own_text=content.get("own_text", ""),
        )
    elif not isinstance(sheet, RowsWorksheet):
        fields = sheet.form_class.base_fields
        context["items"] = [
            (str(field.label), _display(field, content.get(name))) for name, field in fields.items()
        ]
    return context


@register.inclusion_tag("deliverables/includes/content.html")
def work_content(assignment, data, heading_level=3):
    """Every worksheet of the assignment (the free answer too, if the team wrote one)."""
    data = data or {}
    keys = list(assignment.worksheets)
    if "answer" not in keys and (data.get("answer") or {}).get("text"):
        keys.insert(0, "answer")
    sheets = [
        {**sheet_context(key, data.get(key)), "template": f"deliverables/content/{key}.html"}
        for key in keys
    ]
    return {"sheets": sheets, "h": int(heading_level), "uid": next(_ids)}


@register.inclusion_tag("deliverables/includes/content.html")
def work_sheet(key, content, heading_level=3):
    """One worksheet's content on its own (the results book orders them by sheet)."""
    if key not in WORKSHEETS:
        return {"sheets": [], "h": int(heading_level), "uid": next(_ids)}
    sheet = {**sheet_context(key, content), "template": f"deliverables/content/{key}.html"}
    return {"sheets": [sheet], "h": int(heading_level), "uid": next(_ids)}


PROGRESS_SYMBOLS = {
    Progress.NOT_STARTED: "○",
    Progress.DRAFT: "◔",
    Progress.SUBMITTED: "●",
    Progress.LATE: "●",
    Progress.NEEDS_CHANGES: "↺",
    Progress.ACCEPTED: "✓",
    Progress.NOT_FOR_TRACK: "–",
}


@register.simple_tag
def progress_badge(status):
    """The badge of one state. A tag writing its markup, not an include: the overview shows
    one per team and assignment (issue 13)."""
    progress = Progress(status)
    return format_html(
        '<span class="progress-badge progress-{}"><span aria-hidden="true">{}</span> {}</span>\n',
        status,
        PROGRESS_SYMBOLS[progress],
        progress.label,
    )


@register.simple_tag
def overview_cell(cell, name):
    """One cell of the overview's matrix of teams and assignments: a tag writing what the
    template wrote for each of its cells (issue 13; tests/deliverables/test_overview_cell.py
    compares the two)."""
    if cell.status == Progress.NOT_FOR_TRACK:
        return format_html(
            '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>', cell.label
        )
    html = format_html(
        '<a href="{}">{}<span class="visually-hidden">: {}, {}</span></a>',
        cell.url,
        progress_badge(cell.status),
        name,
        cell.title,
    )
    if cell.reopening:
        # As {% blocktranslate with when=…|date:"SHORT_DATETIME_FORMAT" %}: the moment in
        # local time, escaped, in the translated sentence.
        when = date_filter(template_localtime(cell.reopening.until), "SHORT_DATETIME_FORMAT")
        sentence = gettext("reopened until %(when)s") % {"when": conditional_escape(when)}
        html += format_html('<br><span class="small">{}</span>', mark_safe(sentence))  # noqa: S308
    return html


@register.simple_tag
def risk_legend():
    """The four levels with their products, for a legend beside the matrix."""
    bounds = {"low": (1, 4), "moderate": (5, 9), "high": (10, 15), "critical": (16, 25)}
    legend = []
    for key in RISK_LEVEL_KEYS:
        low, high = bounds[key]
        legend.append({"level": _level_of(low), "from": low, "to": high})
    return legend


def _level_of(product):
    for likelihood in range(1, 6):
        for severity in range(1, 6):
            if likelihood * severity == product:
                return risk_level(likelihood, severity)[1]
    return risk_level(5, 5)[1]


# --- The results book ------------------------------------------------------------------------


@register.filter
def book_role(role) -> str:
    from deliverables.book import role_label

    return role_label(role)


@register.filter
def book_sheets(sheets: dict) -> list:
    """The team's worksheets in the order of a chapter."""
    from deliverables.book import CHAPTER_SHEETS

    return [(key, sheets[key]) for key in CHAPTER_SHEETS if key in (sheets or {})]


@register.filter
def chosen_categories(content) -> list:
    rows, _total, _chosen = categories_table(content)
    return [row for row in rows if row.get("chosen")]


@register.filter
def top_risks(content, count=3) -> list:
    return risk_rows(content)[: int(count)]


@register.filter
def pilot_status(value) -> str:
    from deliverables.worksheets import PILOT_STATUSES, choice_label

    return choice_label(PILOT_STATUSES, value)


@register.filter
def management_decision(value) -> str:
    from deliverables.worksheets import MANAGEMENT_DECISIONS, choice_label

    return choice_label(MANAGEMENT_DECISIONS, value)


@register.filter
def iso_date(value) -> str:
    try:
        return dates.day(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")
