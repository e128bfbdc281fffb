"""Series of bookable times ('weekdays 9–15, 60 minutes, 15 minutes between') and the
form that asks for one: interview slots and sparring slots are made the same way."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from soske import clock
from soske.forms import DateInput, TimeInput

MAX_STARTS = 1000

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def slot_series(
    *,
    first_day: date,
    last_day: date,
    weekdays: list[int],
    day_start: time,
    day_end: time,
    duration_minutes: int,
    gap_minutes: int,
) -> list[datetime]:
    """The start times of the series in Helsinki time (at most MAX_STARTS)."""
    starts = []
    step = timedelta(minutes=duration_minutes + gap_minutes)
    length = timedelta(minutes=duration_minutes)
    day = first_day
    while day <= last_day and len(starts) < MAX_STARTS:
        if day.weekday() in weekdays:
            start = datetime.combine(day, day_start, tzinfo=clock.HELSINKI)
            end_of_day = datetime.combine(day, day_end, tzinfo=clock.HELSINKI)
            while start + length <= end_of_day:
                starts.append(start)
                start += step
        day += timedelta(days=1)
    return starts


class SlotSeriesForm(forms.Form):
    """The days, hours and place of a series inside a window of days.

    A subclass adds who takes the slots (interviewers, sparrers) and says the window
    with `window() -> (first_day, last_day)` and its message with `window_error`."""

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

    window_error = _("Choose a day inside the window %(first)s–%(last)s.")

    def window(self) -> tuple[date, date]:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            first, last = self.window()
            today = clock.helsinki(clock.now()).date()
            self.initial.setdefault("first_day", max(first, today))
            self.initial.setdefault("last_day", last)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        window_first, window_last = self.window()
        for name in ("first_day", "last_day"):
            day = data.get(name)
            if day and not (window_first <= day <= window_last):
                self.add_error(
                    name,
                    self.window_error
                    % {
                        "first": formats.date_format(window_first),
                        "last": formats.date_format(window_last),
                    },
                )
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", _("The day must end after it starts."))
        if not data.get("location") and not data.get("meeting_url"):
            self.add_error("location", _("Give a place or an online meeting link."))
        return data

    def starts(self) -> list[datetime]:
        data = self.cleaned_data
        return slot_series(
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekdays=data["weekdays"],
            day_start=data["day_start"],
            day_end=data["day_end"],
            duration_minutes=data["duration_minutes"],
            gap_minutes=data["gap_minutes"],
        )
