from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from soske.forms import DateInput, DateTimeInput, guard_single_line, validate_single_line
from soske.privacy.registry import DEFAULT_RETENTION_MONTHS

from .models import Cohort, Criterion, Theme, default_score_labels
from .rules import FROZEN_COHORT_FIELDS, frozen

SCORE_LABEL_LANGUAGES = (
    ("fi", _("Score %(value)s in words (Finnish)")),
    ("sv", _("Score %(value)s in words (Swedish)")),
    ("en", _("Score %(value)s in words (English)")),
)


def score_label_field(value, language) -> str:
    return f"score_label_{value}_{language}"


class KeptWhenEmptyIntegerField(forms.IntegerField):
    """Left empty, the value stays what it was (so an empty field is no change)."""

    def has_changed(self, initial, data):
        return data not in self.empty_values and super().has_changed(initial, data)


class CohortForm(forms.ModelForm):
    retention_months = KeptWhenEmptyIntegerField(
        label=capfirst(Cohort._meta.get_field("retention_months").verbose_name),
        help_text=Cohort._meta.get_field("retention_months").help_text,
        min_value=1,
        max_value=120,
        required=False,
        initial=DEFAULT_RETENTION_MONTHS,
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"),
        min_value=0,
        max_value=7 * 24 * 60,
        initial=0,
        help_text=_("Applications are still accepted for this long after the deadline."),
    )

    interview_cutoff_hours = forms.IntegerField(
        label=_("Applicants can change their interview until (hours before it)"),
        min_value=0,
        max_value=14 * 24,
        initial=24,
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "name_sv",
            "name_en",
            "slug",
            "call_opens_at",
            "deadline",
            "interviews_start",
            "interviews_end",
            "selection_date",
            "kickoff_date",
            "closing_date",
            "max_selected",
            "score_min",
            "score_max",
            "pre_assignment_text",
            "pre_assignment_due",
            "retention_months",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"lang": "fi"}),
            "name_sv": forms.TextInput(attrs={"lang": "sv"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "call_opens_at": DateTimeInput(),
            "deadline": DateTimeInput(),
            "interviews_start": DateInput(),
            "interviews_end": DateInput(),
            "selection_date": DateInput(),
            "kickoff_date": DateInput(),
            "closing_date": DateInput(),
            "pre_assignment_due": DateInput(),
            "pre_assignment_text": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "deadline": _("Finnish time (Europe/Helsinki)."),
            "call_opens_at": _("Finnish time (Europe/Helsinki)."),
        }

    def clean_retention_months(self):
        value = self.cleaned_data.get("retention_months")
        if value is None:
            return self.instance.retention_months if self.instance.pk else DEFAULT_RETENTION_MONTHS
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line(self)
        for name, language in (("name", "fi"), ("name_sv", "sv"), ("name_en", "en")):
            self.fields[name].widget.attrs["lang"] = language
        for name in ("call_opens_at", "deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self._add_score_label_fields()
        if self.instance.pk:
            self.fields["grace_minutes"].initial = int(self.instance.grace.total_seconds() // 60)
            self.fields["interview_cutoff_hours"].initial = int(
                self.instance.interview_change_cutoff.total_seconds() // 3600
            )
            if frozen(self.instance):
                for name in FROZEN_COHORT_FIELDS | set(self.score_label_names):
                    self.fields[name].disabled = True

    def _add_score_label_fields(self):
        """One text per point of the cohort's scale and language: its label, e.g.
        "3 – kohtalainen". The points are those of the stored scale; a new scale gets the
        default words, to be edited after saving it."""
        low, high = self.instance.score_min, self.instance.score_max
        stored = self.instance.score_labels or {}
        defaults = default_score_labels(low, high)
        self.score_label_names = []
        for value in range(low, high + 1):
            for language, label in SCORE_LABEL_LANGUAGES:
                name = score_label_field(value, language)
                self.fields[name] = forms.CharField(
                    label=label % {"value": value},
                    required=False,
                    max_length=60,
                    initial=(stored.get(str(value)) or {}).get(language)
                    or defaults[str(value)][language],
                    widget=forms.TextInput(attrs={"lang": language}),
                    validators=[validate_single_line],
                )
                if self.is_bound and name not in self.data:
                    # Not posted (a client that does not know the words): unchanged.
                    self.fields[name].disabled = True
                self.score_label_names.append(name)

    def save(self, commit=True):
        from datetime import timedelta

        self.instance.grace = timedelta(minutes=self.cleaned_data["grace_minutes"])
        self.instance.interview_change_cutoff = timedelta(
            hours=self.cleaned_data["interview_cutoff_hours"]
        )
        low, high = self.cleaned_data["score_min"], self.cleaned_data["score_max"]
        if {"score_min", "score_max"} & set(self.changed_data):
            self.instance.score_labels = default_score_labels(low, high)
        else:
            self.instance.score_labels = {
                str(value): {
                    language: self.cleaned_data.get(score_label_field(value, language), "")
                    for language, _label in SCORE_LABEL_LANGUAGES
                }
                for value in range(low, high + 1)
            }
        return super().save(commit=commit)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "order",
            "key",
            "name_fi",
            "name_sv",
            "name_en",
            "description_fi",
            "description_sv",
            "description_en",
            "weight",
        ]
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 2}),
            "description_sv": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line(self)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["order", "name_fi", "name_sv", "name_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line(self)


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """A cohort is scored on its criteria: with none, a review would be "complete" with no
    score at all. At least one stays."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        if not kept:
            raise forms.ValidationError(
                _("A cohort needs at least one selection criterion."), code="no_criteria"
            )


CriterionFormSet = forms.inlineformset_factory(
    Cohort,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=0,
    can_delete=True,
)
ThemeFormSet = forms.inlineformset_factory(Cohort, Theme, form=ThemeForm, extra=1, can_delete=True)


class CohortCopyForm(forms.Form):
    """The next cohort from an earlier one: its name and address, and the kick-off every
    date moves with; the call's opening and deadline may be set apart."""

    name = forms.CharField(label=_("Name (Finnish)"), max_length=200)
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=60,
        help_text=_("Letters, digits, hyphens and underscores, e.g. soske-2027."),
    )
    kickoff_date = forms.DateField(
        label=_("Kick-off of the new cohort"),
        widget=DateInput(),
        help_text=_(
            "Every date of the copy moves by the same number of days, at the same time of day."
        ),
    )
    call_opens_at = forms.DateTimeField(
        label=_("Call opens (if not moved with the kick-off)"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Finnish time (Europe/Helsinki)."),
    )
    deadline = forms.DateTimeField(
        label=_("Application deadline (if not moved with the kick-off)"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Finnish time (Europe/Helsinki)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line(self)
        for name in ("call_opens_at", "deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Cohort.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another cohort has this short name already."), code="unique"
            )
        return slug
