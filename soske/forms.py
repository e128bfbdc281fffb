"""Forms and widgets every app uses."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


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


# The largest id a database column holds (bigint): a longer number typed into a form
# would make the query itself fail (OverflowError on SQLite, an error on PostgreSQL).
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one row by its id: anything that is not an id in range is "not one of
    the choices" before the database is asked."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, models.Model):
            if not is_id(value):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by their ids, with the same check as IdChoiceField."""

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, models.Model) and not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:30]},
                )
        return super()._check_values(value)


class StaleChoiceField(IdChoiceField):
    """Offers what is free now (`queryset`) but accepts anything of `lookup_queryset`, so a
    choice that went stale while the page was open (a slot booked by someone else a moment
    ago) reaches the service, which says why it is refused."""

    lookup_queryset = None

    def to_python(self, value):
        if self.lookup_queryset is None or value in self.empty_values:
            return super().to_python(value)
        if not isinstance(value, models.Model) and not is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:30]},
            )
        try:
            return self.lookup_queryset.get(pk=value)
        except (ValueError, TypeError, ValidationError, self.queryset.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None
