"""Forms and widgets every app uses."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
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


# --- single-line text and phone numbers --------------------------------------------------

# Line and paragraph separators besides \n and \r: a "line break" in any of its spellings.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def validate_single_line(value):
    """A name, a title or an address is one line of visible text: no line break, and no
    invisible control or format character (a right-to-left override U+202E makes
    "https://example.org/\u202egro.live" read as another address; zero-width spaces and
    bidi isolates hide text the same way)."""
    if not isinstance(value, str):
        return
    if any(ch in _LINE_BREAKS for ch in value):
        raise ValidationError(_("Write this on one line, without line breaks."), code="single_line")
    if any(ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValidationError(
            _(
                "Remove the invisible formatting character (such as a right-to-left mark) "
                "from this text."
            ),
            code="format_control",
        )


def guard_single_line(form):
    """Give every single-line text field of `form` (not a textarea, hidden or password
    input) the single-line check."""
    for field in form.fields.values():
        if (
            isinstance(field, forms.CharField)
            and not isinstance(field.widget, (forms.Textarea, forms.HiddenInput))
            and not isinstance(field.widget, forms.PasswordInput)
            and validate_single_line not in field.validators
        ):
            field.validators.append(validate_single_line)


_PHONE = re.compile(r"[0-9 +\-()]+")


def validate_phone(value):
    """Digits, spaces, +, - and parentheses, with 6 to 20 digits."""
    if not value:
        return
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.fullmatch(value) or not 6 <= digits <= 20:
        raise ValidationError(
            _(
                "Enter a phone number of 6 to 20 digits; besides the digits only spaces, +, - "
                "and parentheses are allowed."
            ),
            code="phone",
        )
