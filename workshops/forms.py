from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from soske import clock
from soske.files import DOCUMENTS, IMAGES, PrivateFileField
from soske.forms import DateInput, IdMultipleChoiceField, TimeInput
from soske.users.models import STAFF_ROLES, User

from .models import Event, EventKind


def _combine(day, moment):
    return datetime.combine(day, moment, tzinfo=clock.HELSINKI)


class PatternForm(forms.Form):
    kickoff = forms.DateField(
        label=_("Kick-off day"),
        widget=DateInput(),
        help_text=_(
            "The standard programme: kick-off 9–11, workshop 1 on the Wednesday three weeks later "
            "9–12, sparring round 1, workshop 2 four weeks later 13–16, sparring round 2, "
            "closing event four weeks later 9–12. Every date stays editable."
        ),
    )


class EventForm(forms.ModelForm):
    """An event with its day and times in Helsinki time (a sparring round: its window)."""

    day = forms.DateField(label=_("Day"), widget=DateInput())
    # Required of a joint event only (see clean): a sparring round is given by its days.
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput(), required=False)
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)
    last_day = forms.DateField(
        label=_("Last day of the round"),
        widget=DateInput(),
        required=False,
        help_text=_("For a sparring round: the window runs from the day to this day."),
    )
    cutoff_hours = forms.IntegerField(
        label=_("Teams can book and move their sparring until (hours before it)"),
        min_value=0,
        max_value=14 * 24,
        initial=24,
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "audience",
            "title_fi",
            "title_sv",
            "title_en",
            "description_fi",
            "description_sv",
            "description_en",
            "location",
            "meeting_url",
        ]
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 4}),
            "description_sv": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            local = clock.helsinki(event.starts_at)
            local_end = clock.helsinki(event.ends_at)
            self.initial.setdefault("day", local.date())
            self.initial.setdefault("start", local.time())
            self.initial.setdefault("end", local_end.time())
            if event.is_sparring_round:
                self.initial.setdefault("last_day", (local_end - timedelta(days=1)).date())
            self.initial.setdefault(
                "cutoff_hours", int(event.change_cutoff.total_seconds() // 3600)
            )
            # A round stays a round and an event stays an event: the bookings depend on it.
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        day = data.get("day")
        if kind == EventKind.SPARRING_ROUND:
            last_day = data.get("last_day")
            if day and not last_day:
                self.add_error("last_day", _("Give the last day of the sparring round."))
            elif day and last_day and last_day < day:
                self.add_error("last_day", _("The round cannot end before it starts."))
            elif day and last_day:
                data["starts_at"] = _combine(day, datetime.min.time())
                data["ends_at"] = _combine(last_day + timedelta(days=1), datetime.min.time())
            if data.get("cutoff_hours") is None:
                data["cutoff_hours"] = 24
        else:
            start, end = data.get("start"), data.get("end")
            for name in ("start", "end"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
            if day and start and end:
                if end <= start:
                    self.add_error("end", _("The event must end after it starts."))
                else:
                    data["starts_at"] = _combine(day, start)
                    data["ends_at"] = _combine(day, end)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in data}
        if self.instance.pk:
            fields.pop("kind", None)
        fields["starts_at"] = data["starts_at"]
        fields["ends_at"] = data["ends_at"]
        kind = data.get("kind") or self.instance.kind
        if kind == EventKind.SPARRING_ROUND:
            fields["change_cutoff"] = timedelta(hours=data["cutoff_hours"])
        return fields


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    file = PrivateFileField(
        label=_("File"),
        kinds=DOCUMENTS + IMAGES,
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument text or an image."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file") and not self.errors:
            raise ValidationError(_("Give a link or choose a file."))
        if data.get("url") and data.get("file"):
            raise ValidationError(_("Give either a link or a file, not both."))
        return data


def staff_people():
    return User.objects.filter(groups__name__in=STAFF_ROLES, is_active=True).distinct()


class SparrersField(IdMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=staff_people().order_by("last_name", "first_name", "email"),
            widget=forms.CheckboxSelectMultiple,
            label=_("Sparrers"),
            error_messages={"required": _("Choose at least one sparrer.")},
            **kwargs,
        )  # each labelled by str(user): the full name, else the address


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes of the sparring"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The team sees these notes; other teams never do."),
    )
    next_steps = forms.CharField(
        label=_("Agreed next steps"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
