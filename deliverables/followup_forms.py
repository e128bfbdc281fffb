"""The follow-up questionnaire and the coordinators' filters of its table."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from soske.forms import guard_single_line

from .followup import ANSWER_FIELDS
from .models import FollowUp, FollowUpAnswer, FollowUpRound

CHOICE_FIELDS = ("published", "contract_signed", "model_in_use")


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = list(ANSWER_FIELDS)
        widgets = {
            "social_conditions": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CHOICE_FIELDS:
            field = self.fields[name]
            field.required = True
            field.choices = FollowUpAnswer.choices
            field.widget = forms.RadioSelect(choices=FollowUpAnswer.choices)
            field.error_messages["required"] = _("Choose one of the answers.")
        for name in ("social_conditions", "results"):
            self.fields[name].max_length = 5000
            self.fields[name].widget.attrs["maxlength"] = 5000


class FollowUpFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.order_by("-call_opens_at"), required=False,
        empty_label=_("All cohorts"),
    )  # fmt: skip
    round = forms.TypedChoiceField(
        label=_("Follow-up round"),
        choices=[("", _("Both rounds")), *FollowUpRound.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    answered = forms.ChoiceField(
        label=_("Answered"),
        choices=[("", _("All")), ("yes", _("Answered")), ("no", _("Not answered"))],
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Organisation or e-mail"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line(self)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("cohort"):
            queryset = queryset.filter(team__cohort=data["cohort"])
        if data.get("round"):
            queryset = queryset.filter(round=data["round"])
        if data.get("answered") == "yes":
            queryset = queryset.filter(answered_at__isnull=False)
        elif data.get("answered") == "no":
            queryset = queryset.filter(answered_at__isnull=True)
        if data.get("q"):
            q = data["q"].strip()
            queryset = queryset.filter(
                Q(team__organisation__name__icontains=q) | Q(email__icontains=q)
            )
        return queryset
