from django import forms
from django.utils.translation import gettext_lazy as _

from soske import clock, dates
from soske.calendar.series import SlotSeriesForm as BaseSlotSeriesForm
from soske.forms import IdMultipleChoiceField, StaleChoiceField
from soske.users.models import STAFF_ROLES, User

from .interview_guide import CHECKLIST, QUESTIONS
from .models import AttendeeRole


def slot_label(slot) -> str:
    local = clock.helsinki(slot.starts_at)
    end = clock.helsinki(slot.ends_at)
    place = slot.location or (_("online") if slot.meeting_url else "")
    label = dates.time_range(local, end, weekday="short")
    return f"{label}, {place}" if place else label


class SlotField(StaleChoiceField):
    """The free slots on offer; any slot of the call is accepted, so the service can say
    why a stale choice is refused (taken, past, after the cut-off, outside the window)."""


class SlotDaysMixin:
    """The slot picker grouped by day: the template draws a fieldset per day."""

    def slot_days(self) -> list[dict]:
        days: dict = {}
        for choice in self["slot"]:
            instance = getattr(choice.data["value"], "instance", None)
            if instance is None:
                continue
            day = clock.helsinki(instance.starts_at).date()
            days.setdefault(day, []).append(choice)
        return [
            {"legend": dates.day(day, weekday="long"), "choices": choices}
            for day, choices in days.items()
        ]


class BookingForm(SlotDaysMixin, forms.Form):
    slot = SlotField(
        queryset=None,
        widget=forms.RadioSelect,
        label=_("Free interview times"),
        error_messages={"invalid_choice": _("That time is no longer free. Choose another one.")},
    )
    attendee_roles = forms.MultipleChoiceField(
        choices=AttendeeRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Who will attend"),
        help_text=_(
            "The interview is for the key people: management, procurement and the line of business."
        ),
    )
    attendee_names = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label=_("Names and roles of the attendees"),
    )

    def __init__(self, *args, slots, cohort_slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].lookup_queryset = cohort_slots
        self.fields["slot"].label_from_instance = slot_label


class MoveForm(SlotDaysMixin, forms.Form):
    slot = SlotField(
        queryset=None,
        widget=forms.RadioSelect,
        label=_("New time"),
        error_messages={"invalid_choice": _("That time is no longer free. Choose another one.")},
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Reason (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, slots, cohort_slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].lookup_queryset = cohort_slots
        self.fields["slot"].label_from_instance = slot_label


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        label=_("Why is the interview cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tell us why the interview is cancelled.")},
    )


class SlotSeriesForm(BaseSlotSeriesForm):
    interviewers = IdMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Interviewers"),
    )
    window_error = _("Choose a day inside the interview window %(first)s–%(last)s.")

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = (
            User.objects.filter(groups__name__in=[str(r) for r in STAFF_ROLES], is_active=True)
            .distinct()
            .order_by("last_name", "email")
        )
        self.fields["interviewers"].label_from_instance = lambda u: f"{u} ({u.email})"

    def window(self):
        return self.cohort.interviews_start, self.cohort.interviews_end


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    outcome = forms.CharField(
        label=_("Outcome in brief"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, interview, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for criterion in criteria:
            names = []
            for key, question in QUESTIONS.get(criterion.key, ()):
                name = f"answer_{key}"
                self.fields[name] = forms.CharField(
                    label=question,
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=interview.answers.get(key, ""),
                )
                names.append(name)
            self.groups.append((criterion, names))
        for key, label in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(
                label=label, required=False, initial=interview.checklist.get(key, False)
            )
        self.fields["notes"].initial = interview.notes
        self.fields["outcome"].initial = interview.outcome

    def answer_fields(self, names):
        return [self[name] for name in names]

    def checklist_fields(self):
        return [self[f"check_{key}"] for key, _label in CHECKLIST]

    def split(self):
        data = self.cleaned_data
        checklist = {key: data.get(f"check_{key}", False) for key, _label in CHECKLIST}
        answers = {
            name[len("answer_") :]: value
            for name, value in data.items()
            if name.startswith("answer_")
        }
        return checklist, answers, data.get("notes", ""), data.get("outcome", "")
