"""Forms and widgets every app uses."""

from django import forms
from django.core.exceptions import ValidationError


class ConfirmForm(forms.Form):
    """An empty form: the confirmation page only needs a CSRF-protected POST."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class StaleChoiceField(forms.ModelChoiceField):
    """Offers what is free now (`queryset`) but accepts anything of `lookup_queryset`, so a
    choice that went stale while the page was open (a slot booked by someone else a moment
    ago) reaches the service, which says why it is refused."""

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
