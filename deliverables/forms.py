"""Forms of the coordinators' deliverables pages: an assignment, a reopening for one team
and a line of the code-of-conduct annex builder. The teams' forms live with the teams'
views; these only validate input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Team
from soske import clock
from soske.forms import DateTimeInput, IdChoiceField
from workshops.models import Event

from .models import Assignment, ConductItem, ConductItemKind
from .services import ASSIGNMENT_FIELDS
from .worksheets import worksheet_choices


class AssignmentForm(forms.ModelForm):
    """Every field a coordinator edits of an assignment; dates in Finnish time."""

    worksheets = forms.MultipleChoiceField(
        label=_("Worksheets"),
        choices=worksheet_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The forms the team fills in, in this order. Without any, the team writes a "
            "free answer and may attach files."
        ),
    )

    class Meta:
        model = Assignment
        fields = list(ASSIGNMENT_FIELDS)
        widgets = {
            "opens_at": DateTimeInput(),
            "due_at": DateTimeInput(),
            "cutoff_at": DateTimeInput(),
            "instructions_fi": forms.Textarea(attrs={"rows": 4}),
            "instructions_sv": forms.Textarea(attrs={"rows": 4}),
            "instructions_en": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"position": _("Order among assignments due at the same time")}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        for name in ("opens_at", "due_at", "cutoff_at"):
            self.fields[name].widget = DateTimeInput()
        event = self.fields["event"]
        event.queryset = Event.objects.live().filter(cohort=cohort).order_by("starts_at", "pk")
        event.label_from_instance = _event_label
        event.empty_label = _("No related event")
        if self.instance.pk:
            self.initial["worksheets"] = list(self.instance.worksheets or [])

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _event_label(event) -> str:
    return f"{event.title} ({clock.helsinki(event.starts_at):%d.%m.%Y})"


class ReopenForm(forms.Form):
    team = IdChoiceField(queryset=Team.objects.none(), label=_("Team"))
    until = forms.DateTimeField(
        label=_("Open for this team until"),
        widget=DateTimeInput(),
        help_text=_("Finnish time. The team can save and submit until then."),
    )

    def __init__(self, *args, teams, suggested_until=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if suggested_until is not None:
            self.fields["until"].initial = suggested_until
        self.fields["team"].label_from_instance = lambda team: team.organisation.name


class ConductItemForm(forms.ModelForm):
    class Meta:
        model = ConductItem
        fields = ["kind", "text_fi", "text_sv", "text_en", "position"]
        widgets = {
            "kind": forms.RadioSelect,
            "text_fi": forms.Textarea(attrs={"rows": 3}),
            "text_sv": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"position": _("Order in the list")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ConductItemKind.choices
