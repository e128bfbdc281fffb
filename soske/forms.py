"""Forms every app uses."""

from django import forms


class ConfirmForm(forms.Form):
    """An empty form: the confirmation page only needs a CSRF-protected POST."""
