"""Forms of the teams' submission pages and of the staff's feedback.

The worksheets themselves are `deliverables.worksheets`; these are the few plain forms
around them: a file upload, the annex's language and the staff's feedback."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from soske.files import PrivateFileField

from .models import Verdict
from .services import FILE_KINDS, MAX_FILE_BYTES


class FileUploadForm(forms.Form):
    file = PrivateFileField(
        label=_("Attach a file"),
        kinds=FILE_KINDS,
        max_bytes=MAX_FILE_BYTES,
        widget=forms.FileInput,
        error_messages={"required": _("Choose a file to attach.")},
    )


class AnnexLanguageForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language of the annex"), choices=settings.LANGUAGES)


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Feedback to the team"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": _("Write the feedback.")},
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the work is accepted or needs changes.")},
    )
    file = PrivateFileField(
        label=_("Attach a file (optional)"),
        kinds=FILE_KINDS,
        max_bytes=MAX_FILE_BYTES,
        required=False,
        widget=forms.FileInput,
    )
    # The version the reviewer read: feedback never lands on a newer one unseen.
    version = forms.IntegerField(widget=forms.HiddenInput)
