"""The track's worksheets: forms whose content the results book reads.

Each worksheet has a key (stored in `Assignment.worksheets`) and keeps its content under
that key in a submission's JSON: `{"categories": {"rows": [...]}, "impact": {...}}`.
A draft may be partial, so every field is optional while typing; `missing()` says what a
submission still lacks. Values are stored JSON-safe: money as a string of a decimal,
dates as ISO strings, numbers as ints.

    sheet = WORKSHEETS["impact"]
    form = sheet.form(data=request.POST, stored=submission.draft.get("impact"))
    if form.is_valid():
        content = form.content()        # what goes under "impact"
    sheet.missing(content)              # ["Subject of the procurement", ...]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soske.forms import DateInput

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


def _json(value):
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    if value is None:
        return ""
    return value


def _blank(value) -> bool:
    return value in (None, "", [], False)


def _area(rows=4):
    return forms.Textarea(attrs={"rows": rows})


# --- Forms of the worksheets ------------------------------------------------------------


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your answer"), required=False, widget=_area(8))


class ImpactForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject of the procurement"), required=False, max_length=300
    )
    estimated_value = forms.DecimalField(
        label=gettext_lazy("Estimated value (€)"), required=False, **MONEY
    )
    timetable = forms.CharField(
        label=gettext_lazy("Timetable"), required=False, widget=_area(2), max_length=1000
    )
    target_group = forms.CharField(
        label=gettext_lazy("Target group"), required=False, widget=_area(2), max_length=2000
    )
    expected_impact = forms.CharField(
        label=gettext_lazy("Expected social impact"),
        required=False,
        widget=_area(),
        max_length=5000,
    )
    indicators = forms.CharField(
        label=gettext_lazy("Indicators"), required=False, widget=_area(3), max_length=3000
    )
    follow_up = forms.CharField(
        label=gettext_lazy("How the indicators will be followed"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )


EMPLOYMENT_CONDITIONS = [
    ("person_months", gettext_lazy("Person-months of employment")),
    ("apprenticeships", gettext_lazy("Apprenticeships")),
    ("traineeships", gettext_lazy("Work try-outs or traineeships")),
    ("reserved_contract", gettext_lazy("Contract reserved for social enterprises")),
    ("other", gettext_lazy("Other condition")),
]


class EmploymentForm(forms.Form):
    suitable_subjects = forms.CharField(
        label=gettext_lazy("Procurement subjects that suit an employment condition"),
        required=False,
        widget=_area(),
        max_length=5000,
    )
    condition = forms.ChoiceField(
        label=gettext_lazy("The employment condition chosen"),
        required=False,
        choices=[("", "–")] + EMPLOYMENT_CONDITIONS,
    )
    condition_detail = forms.CharField(
        label=gettext_lazy("The condition in detail (for example how many person-months)"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )
    cooperation = forms.CharField(
        label=gettext_lazy("Cooperation agreed with employment services"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )


class OperatingModelForm(forms.Form):
    goal = forms.CharField(
        label=gettext_lazy("Strategic goal the operating model serves"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )
    responsibilities = forms.CharField(
        label=gettext_lazy("Who is responsible for what"),
        required=False,
        widget=_area(),
        max_length=5000,
    )
    process = forms.CharField(
        label=gettext_lazy("How social sustainability enters each procurement"),
        required=False,
        widget=_area(),
        max_length=5000,
    )
    follow_up = forms.CharField(
        label=gettext_lazy("Follow-up and reporting"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )
    next_steps = forms.CharField(
        label=gettext_lazy("Next steps"), required=False, widget=_area(3), max_length=3000
    )


PILOT_STATUSES = [
    ("planning", gettext_lazy("Being planned")),
    ("market_dialogue", gettext_lazy("Market dialogue under way")),
    ("tendering", gettext_lazy("Call for tenders being prepared")),
    ("published", gettext_lazy("Call for tenders published")),
    ("contract_signed", gettext_lazy("Contract signed")),
    ("postponed", gettext_lazy("Postponed")),
]


class PilotPlanForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject of the pilot procurement"), required=False, max_length=300
    )
    estimated_value = forms.DecimalField(
        label=gettext_lazy("Estimated value (€)"), required=False, **MONEY
    )
    procedure = forms.CharField(
        label=gettext_lazy("Procedure and timetable"),
        required=False,
        widget=_area(3),
        max_length=3000,
    )
    social_conditions = forms.CharField(
        label=gettext_lazy("Social conditions and how they are verified"),
        required=False,
        widget=_area(),
        max_length=5000,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", "–")] + PILOT_STATUSES
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=_area(), max_length=5000
    )


MANAGEMENT_ROLES = [
    ("chief_executive", gettext_lazy("Chief executive or mayor")),
    ("director", gettext_lazy("Director of a line of business")),
    ("procurement_director", gettext_lazy("Head of procurement")),
    ("finance_director", gettext_lazy("Head of finance")),
    ("board", gettext_lazy("Board or committee")),
    ("management_team", gettext_lazy("Management team")),
    ("other", gettext_lazy("Other")),
]

MANAGEMENT_DECISIONS = [
    ("approved", gettext_lazy("Approved")),
    ("approved_with_changes", gettext_lazy("Approved with changes")),
    ("further_preparation", gettext_lazy("Sent back for further preparation")),
    ("noted", gettext_lazy("Noted, no decision")),
    ("rejected", gettext_lazy("Not approved")),
]


class ManagementForm(forms.Form):
    presented_on = forms.DateField(
        label=gettext_lazy("Presented to management on"), required=False, widget=DateInput()
    )
    attendees = forms.MultipleChoiceField(
        label=gettext_lazy("Who attended (roles)"),
        required=False,
        choices=MANAGEMENT_ROLES,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees_other = forms.CharField(
        label=gettext_lazy("Other attendees"), required=False, max_length=500
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), required=False, choices=[("", "–")] + MANAGEMENT_DECISIONS
    )
    comments = forms.CharField(
        label=gettext_lazy("The decision or the comments given"),
        required=False,
        widget=_area(),
        max_length=5000,
    )


# --- Rows: significant procurement categories and the risk matrix -----------------------


class CategoryRowForm(forms.Form):
    category = forms.CharField(
        label=gettext_lazy("Procurement category"), required=False, max_length=200
    )
    annual_spend = forms.DecimalField(
        label=gettext_lazy("Annual spend (€)"), required=False, **MONEY
    )
    risk = forms.CharField(
        label=gettext_lazy("Social-sustainability risk or opportunity"),
        required=False,
        widget=_area(2),
        max_length=2000,
    )
    chosen = forms.BooleanField(label=gettext_lazy("Chosen for action"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("category") and any(
            not _blank(data.get(name)) for name in ("annual_spend", "risk", "chosen")
        ):
            self.add_error("category", _("Name the category of this row."))
        return data


HUMAN_RIGHTS_RISKS = [
    ("forced_labour", gettext_lazy("Forced labour")),
    ("child_labour", gettext_lazy("Child labour")),
    ("wages", gettext_lazy("Wages")),
    ("working_hours", gettext_lazy("Working hours")),
    ("health_safety", gettext_lazy("Health and safety")),
    ("discrimination", gettext_lazy("Discrimination")),
    ("freedom_of_association", gettext_lazy("Freedom of association")),
    ("other", gettext_lazy("Other")),
]

SCALE = [(n, str(n)) for n in range(1, 6)]


class RiskRowForm(forms.Form):
    category = forms.CharField(
        label=gettext_lazy("Procurement category"), required=False, max_length=200
    )
    risk = forms.ChoiceField(
        label=gettext_lazy("Risk"), required=False, choices=[("", "–")] + HUMAN_RIGHTS_RISKS
    )
    likelihood = forms.TypedChoiceField(
        label=gettext_lazy("Likelihood (1–5)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + SCALE,
    )
    severity = forms.TypedChoiceField(
        label=gettext_lazy("Severity (1–5)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + SCALE,
    )
    measures = forms.CharField(
        label=gettext_lazy("Measures"), required=False, widget=_area(2), max_length=2000
    )

    def clean(self):
        data = super().clean()
        filled = [name for name in ("category", "risk", "likelihood", "severity", "measures")
                  if not _blank(data.get(name))]  # fmt: skip
        if filled:
            for name, message in (
                ("category", _("Name the category of this row.")),
                ("risk", _("Choose the risk.")),
                ("likelihood", _("Give the likelihood from 1 to 5.")),
                ("severity", _("Give the severity from 1 to 5.")),
            ):
                if _blank(data.get(name)) and name not in self.errors:
                    self.add_error(name, message)
        return data


@dataclass(frozen=True)
class RiskLevel:
    key: str
    label: str
    css: str  # a class of static/soske.css: colour plus a pattern, never colour alone


def risk_level(likelihood: int, severity: int) -> tuple[int, RiskLevel]:
    """Likelihood × severity (1–25) and its level: low 1–4, moderate 5–9, high 10–15,
    critical 16–25."""
    product = int(likelihood) * int(severity)
    if product >= 16:
        level = RiskLevel("critical", _("Critical"), "risk-critical")
    elif product >= 10:
        level = RiskLevel("high", _("High"), "risk-high")
    elif product >= 5:
        level = RiskLevel("moderate", _("Moderate"), "risk-moderate")
    else:
        level = RiskLevel("low", _("Low"), "risk-low")
    return product, level


RISK_LEVEL_KEYS = ("low", "moderate", "high", "critical")


class ConductAnnexForm(forms.Form):
    """The annex builder: the coordinator's list of obligations and terms, and own text."""

    procurement = forms.CharField(
        label=gettext_lazy("Procurement the annex is for"), required=False, max_length=300
    )
    obligations = forms.MultipleChoiceField(
        label=gettext_lazy("Minimum responsibility obligations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    terms = forms.MultipleChoiceField(
        label=gettext_lazy("Contract terms that enforce them"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_text = forms.CharField(
        label=gettext_lazy("Own text"), required=False, widget=_area(5), max_length=10000
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["obligations"].choices = [
            (str(item.pk), item.text) for item in items if item.kind == "obligation"
        ]
        self.fields["terms"].choices = [
            (str(item.pk), item.text) for item in items if item.kind == "term"
        ]


def conduct_snapshot(item) -> dict:
    """An item as a submission keeps it: its texts at the time, so that later edits of the
    coordinator's list never change what a team submitted."""
    return {"id": item.pk, "fi": item.text_fi, "sv": item.text_sv, "en": item.text_en}


def snapshot_text(snapshot: dict, language: str) -> str:
    for code in (language, "fi", "en", "sv"):
        if snapshot.get(code):
            return snapshot[code]
    return ""


# --- The worksheets -----------------------------------------------------------------------


class BoundWorksheet:
    """A worksheet's form (or formset) bound to the request or to the stored content."""

    def __init__(self, sheet, form):
        self.sheet = sheet
        self.form = form

    @property
    def key(self):
        return self.sheet.key

    @property
    def label(self):
        return self.sheet.label

    @property
    def is_rows(self) -> bool:
        return isinstance(self.form, forms.BaseFormSet)

    def is_valid(self) -> bool:
        return self.form.is_valid()

    def content(self) -> dict:
        return self.sheet.content(self.form)


class Worksheet:
    key = ""
    label = ""
    form_class = None
    # Field names a submission needs (a draft needs none).
    needed: tuple[str, ...] = ()

    def form(self, *, data=None, stored=None, cohort=None, extra_rows=0) -> BoundWorksheet:
        return BoundWorksheet(
            self,
            self.form_class(data=data, initial=self.initial(stored or {}), prefix=self.key),
        )

    def initial(self, stored: dict) -> dict:
        return dict(stored)

    def content(self, form) -> dict:
        return {name: _json(form.cleaned_data.get(name)) for name in form.fields}

    def missing(self, stored: dict | None) -> list[str]:
        stored = stored or {}
        fields = self.form_class.base_fields
        return [str(fields[name].label) for name in self.needed if _blank(stored.get(name))]


class Answer(Worksheet):
    key = "answer"
    label = gettext_lazy("Answer")
    form_class = AnswerForm


class Impact(Worksheet):
    key = "impact"
    label = gettext_lazy("Impact pre-assessment")
    form_class = ImpactForm
    needed = ("subject", "target_group", "expected_impact", "indicators")


class Employment(Worksheet):
    key = "employment"
    label = gettext_lazy("Employment conditions")
    form_class = EmploymentForm
    needed = ("suitable_subjects", "condition", "cooperation")


class OperatingModel(Worksheet):
    key = "operating_model"
    label = gettext_lazy("Operating-model plan")
    form_class = OperatingModelForm
    needed = ("goal", "responsibilities", "process")


class PilotPlan(Worksheet):
    key = "pilot_plan"
    label = gettext_lazy("Pilot-procurement plan")
    form_class = PilotPlanForm
    needed = ("subject", "social_conditions", "status")


class Management(Worksheet):
    key = "management"
    label = gettext_lazy("Management presentation")
    form_class = ManagementForm
    needed = ("presented_on", "attendees", "decision")


class RowsWorksheet(Worksheet):
    row_form = None
    row_fields: tuple[str, ...] = ()
    min_extra = 2

    def form(self, *, data=None, stored=None, cohort=None, extra_rows=0) -> BoundWorksheet:
        rows = (stored or {}).get("rows", [])
        formset_class = forms.formset_factory(
            self.row_form, extra=self.min_extra + max(0, int(extra_rows)), max_num=200,
            validate_max=True,
        )  # fmt: skip
        return BoundWorksheet(
            self, formset_class(data=data, initial=[dict(row) for row in rows], prefix=self.key)
        )

    def content(self, formset) -> dict:
        rows = []
        for form in formset.forms:
            values = {name: form.cleaned_data.get(name) for name in self.row_fields}
            if all(_blank(value) for value in values.values()):
                continue
            rows.append(self.row(values))
        return {"rows": rows}

    def row(self, values: dict) -> dict:
        return {name: _json(value) for name, value in values.items()}

    def missing(self, stored):
        if not (stored or {}).get("rows"):
            return [_("at least one row")]
        return []


class Categories(RowsWorksheet):
    key = "categories"
    label = gettext_lazy("Significant procurement categories")
    row_form = CategoryRowForm
    row_fields = ("category", "annual_spend", "risk", "chosen")

    def row(self, values):
        row = super().row(values)
        row["chosen"] = bool(values.get("chosen"))
        return row


class RiskMatrix(RowsWorksheet):
    key = "risk_matrix"
    label = gettext_lazy("Human-rights risk matrix")
    row_form = RiskRowForm
    row_fields = ("category", "risk", "likelihood", "severity", "measures")

    def row(self, values):
        row = super().row(values)
        row["likelihood"] = int(values["likelihood"])
        row["severity"] = int(values["severity"])
        return row


class ConductAnnex(Worksheet):
    key = "conduct_annex"
    label = gettext_lazy("Code-of-conduct annex")
    form_class = ConductAnnexForm

    def _items(self, cohort):
        if cohort is None:
            return []
        return list(cohort.conduct_items.filter(archived_at__isnull=True))

    def form(self, *, data=None, stored=None, cohort=None, extra_rows=0) -> BoundWorksheet:
        items = self._items(cohort)
        stored = stored or {}
        # An item the team chose and the coordinator archived since stays offered to them.
        known = {item.pk for item in items}
        from .models import ConductItem

        chosen_ids = [s["id"] for s in stored.get("obligations", []) + stored.get("terms", [])]
        kept = ConductItem.objects.filter(pk__in=[i for i in chosen_ids if i not in known])
        items = items + list(kept)
        initial = {
            "procurement": stored.get("procurement", ""),
            "own_text": stored.get("own_text", ""),
            "obligations": [str(s["id"]) for s in stored.get("obligations", [])],
            "terms": [str(s["id"]) for s in stored.get("terms", [])],
        }
        return BoundWorksheet(
            self, ConductAnnexForm(data=data, initial=initial, prefix=self.key, items=items)
        )

    def content(self, form) -> dict:
        data = form.cleaned_data
        return {
            "procurement": data.get("procurement", ""),
            "obligations": [conduct_snapshot(form.items[pk]) for pk in data.get("obligations", [])],
            "terms": [conduct_snapshot(form.items[pk]) for pk in data.get("terms", [])],
            "own_text": data.get("own_text", ""),
        }

    def missing(self, stored):
        stored = stored or {}
        missing = []
        if not stored.get("obligations"):
            missing.append(_("at least one obligation"))
        if not stored.get("terms"):
            missing.append(_("at least one contract term"))
        return missing


WORKSHEETS: dict[str, Worksheet] = {
    sheet.key: sheet
    for sheet in (
        Answer(),
        Categories(),
        Impact(),
        Employment(),
        RiskMatrix(),
        ConductAnnex(),
        OperatingModel(),
        PilotPlan(),
        Management(),
    )
}


def worksheet_choices():
    return [(key, sheet.label) for key, sheet in WORKSHEETS.items()]


# --- Reading stored content (pages, the XLSX, the results book) --------------------------


def categories_table(content: dict | None) -> tuple[list[dict], Decimal, Decimal]:
    """The rows with the chosen ones first (then by spend, largest first), the total spend
    and the spend of the chosen ones."""
    rows = list((content or {}).get("rows", []))

    def spend(row):
        try:
            return Decimal(row.get("annual_spend") or 0)
        except ArithmeticError:
            return Decimal(0)

    rows.sort(key=lambda row: (not row.get("chosen"), -spend(row)))
    total = sum((spend(row) for row in rows), Decimal(0))
    chosen = sum((spend(row) for row in rows if row.get("chosen")), Decimal(0))
    return rows, total, chosen


def risk_rows(content: dict | None) -> list[dict]:
    """The risk matrix's rows with their product and level, highest first."""
    labels = dict(HUMAN_RIGHTS_RISKS)
    rows = []
    for row in (content or {}).get("rows", []):
        product, level = risk_level(row["likelihood"], row["severity"])
        rows.append(
            {
                **row,
                "risk_label": str(labels.get(row.get("risk"), row.get("risk", ""))),
                "product": product,
                "level": level,
            }  # fmt: skip
        )
    rows.sort(key=lambda row: -row["product"])
    return rows


def choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))
