from django import forms
from django.utils.translation import gettext_lazy as _


class PersonSearchForm(forms.Form):
    email = forms.EmailField(label=_("The person's e-mail address"), max_length=254)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
