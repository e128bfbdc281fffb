from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cohorts.forms import DateInput
from soske import clock
from soske.users.models import STAFF_ROLES, User

from .interview_guide import CHECKLIST, QUESTIONS
from .models import AttendeeRole


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def slot_label(slot) -> str:
    local = clock.helsinki(slot.starts_at)
    end = clock.helsinki(slot.ends_at)
    place = slot.location or (_("online") if slot.meeting_url else "")
    label = "{} {}–{}".format(
        formats.date_format(local, "D j.n.Y"),
        formats.time_format(local, "H:i"),
        formats.time_format(end, "H:i"),
    )
    return f"{label}, {place}" if place else label


class SlotField(forms.ModelChoiceField):
    """Offers the free slots but accepts any slot of the call (`lookup_queryset`), so a
    choice that went stale while the page was open reaches the service, which says why
    it is refused (taken, past, after the cut-off, outside the window)."""

    lookup_queryset = None

    def to_python(self, value):
        if self.lookup_queryset is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.lookup_queryset.get(pk=value)
        except (ValueError, TypeError, ValidationError, self.queryset.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class BookingForm(forms.Form):
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


class MoveForm(forms.Form):
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


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SlotSeriesForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
        label=_("Weekdays"),
    )
    day_start = forms.TimeField(label=_("From"), initial=time(9), widget=TimeInput())
    day_end = forms.TimeField(label=_("Until"), initial=time(15), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), initial=60, min_value=15, max_value=480
    )
    gap_minutes = forms.IntegerField(
        label=_("Minutes between slots"), initial=15, min_value=0, max_value=240
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=300)
    meeting_url = forms.URLField(label=_("Online meeting link"), required=False, max_length=500)
    interviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Interviewers"),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["interviewers"].queryset = (
            User.objects.filter(groups__name__in=[str(r) for r in STAFF_ROLES], is_active=True)
            .distinct()
            .order_by("last_name", "email")
        )
        self.fields["interviewers"].label_from_instance = lambda u: f"{u} ({u.email})"
        if not self.is_bound:
            today = clock.helsinki(clock.now()).date()
            self.initial.setdefault("first_day", max(cohort.interviews_start, today))
            self.initial.setdefault("last_day", cohort.interviews_end)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        for name in ("first_day", "last_day"):
            day: date | None = data.get(name)
            if day and not (self.cohort.interviews_start <= day <= self.cohort.interviews_end):
                self.add_error(
                    name,
                    _("Choose a day inside the interview window %(first)s–%(last)s.")
                    % {
                        "first": formats.date_format(self.cohort.interviews_start),
                        "last": formats.date_format(self.cohort.interviews_end),
                    },
                )
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", _("The day must end after it starts."))
        if not data.get("location") and not data.get("meeting_url"):
            self.add_error("location", _("Give a place or an online meeting link."))
        return data


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
