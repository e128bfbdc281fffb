from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutgoingEmail


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Queued and failed")),
            (OutgoingEmail.Status.QUEUED, _("Queued")),
            (OutgoingEmail.Status.FAILED, _("Failed")),
        ],
    )
    q = forms.CharField(
        label=_("Search (recipient or subject)"), required=False, max_length=200, strip=True
    )
