"""The application form, one ModelForm per step.

A step saves partial data as a draft: only the format of what was typed is
checked. `strict=True` (used when submitting and when the applicant asks to
see what is missing) also requires everything the call requires.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.models import Theme, Track
from cohorts.validators import normalize_business_id, validate_business_id
from soske.files import DOCUMENTS, accept_attribute, is_new_upload, validate_upload
from soske.forms import IdMultipleChoiceField, guard_single_line, validate_phone

from .models import Application, StrategicGoal, TeamMember, TeamRole


class StepForm(forms.ModelForm):
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args, strict=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        guard_single_line(self)
        for name, field in self.fields.items():
            field.required = strict and name in self.required_fields
            if name in self.required_fields:
                field.widget.attrs["aria-required"] = "true"
                field.label_suffix = ""
                field.show_required = True

    def clean_strict(self, cleaned):
        """Cross-field rules that only apply to a complete application."""

    def clean(self):
        cleaned = super().clean()
        if self.strict:
            self.clean_strict(cleaned)
        return cleaned


class OrganisationForm(StepForm):
    required_fields = ("org_name", "business_id", "org_type", "region")

    class Meta:
        model = Application
        fields = ["org_name", "business_id", "org_type", "region", "website"]
        help_texts = {
            "business_id": _("Finnish business ID (Y-tunnus), for example 0245437-2."),
            "website": _("Starting with https://"),
        }
        widgets = {"business_id": forms.TextInput(attrs={"autocomplete": "off", "size": 10})}

    def clean_business_id(self):
        value = self.cleaned_data.get("business_id", "")
        if not value:
            return ""
        validate_business_id(value)
        return normalize_business_id(value)


class ContactForm(StepForm):
    required_fields = ("contact_name", "contact_title", "contact_email")

    class Meta:
        model = Application
        fields = ["contact_name", "contact_title", "contact_email", "contact_phone"]
        widgets = {
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].validators.append(validate_phone)


class EligibilityForm(StepForm):
    class Meta:
        model = Application
        fields = ["took_keino_academy", "took_toimi_project", "readiness"]
        help_texts = {
            "readiness": _(
                "If you took part in neither, describe how your organisation has shown "
                "readiness and interest to promote and lead socially sustainable procurement."
            )
        }
        widgets = {"readiness": forms.Textarea(attrs={"rows": 5})}

    def clean_strict(self, cleaned):
        if not (
            cleaned.get("took_keino_academy")
            or cleaned.get("took_toimi_project")
            or (cleaned.get("readiness") or "").strip()
        ):
            self.add_error(
                "readiness",
                _("Tell us about your earlier participation or describe your readiness."),
            )


class ThemeChoiceField(IdMultipleChoiceField):
    """Refuses an id no integer column can hold before the database sees it: SQLite raises
    OverflowError (a 500) on such a value in the `__in` lookup Django makes here."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = abs(int(str(pk))) >= 2**63
            except ValueError:
                continue  # not a number: Django reports it as an invalid value
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class TrackForm(StepForm):
    required_fields = ("track",)

    class Meta:
        model = Application
        fields = ["track", "themes"]
        field_classes = {"themes": ThemeChoiceField}
        widgets = {
            "track": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {"themes": _("Optional: other themes your organisation wants to promote.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = Track.choices
        self.fields["themes"].queryset = Theme.objects.filter(cohort=self.instance.cohort_id)
        self.fields["themes"].label_from_instance = lambda theme: theme.name_html


class StrategyForm(StepForm):
    required_fields = ("strategic_goal",)

    class Meta:
        model = Application
        fields = ["strategic_goal", "strategy_text", "strategy_url", "strategy_file"]
        widgets = {
            "strategic_goal": forms.RadioSelect,
            "strategy_text": forms.Textarea(attrs={"rows": 4}),
            "strategy_file": forms.ClearableFileInput(
                attrs={"accept": accept_attribute(DOCUMENTS)}
            ),
        }
        help_texts = {
            "strategy_file": _("PDF, DOCX, ODT or XLSX, at most 10 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_goal"].choices = StrategicGoal.choices

    def clean_strategy_file(self):
        upload = self.cleaned_data.get("strategy_file")
        if is_new_upload(upload):  # not the stored file shown again
            validate_upload(upload, kinds=DOCUMENTS)
            if len(upload.name) > 200:
                upload.name = upload.name[-200:]
        return upload

    def clean_strict(self, cleaned):
        if cleaned.get("strategic_goal") in (StrategicGoal.YES, StrategicGoal.PARTLY) and not (
            (cleaned.get("strategy_text") or "").strip()
            or cleaned.get("strategy_url")
            or cleaned.get("strategy_file")
        ):
            self.add_error(
                "strategy_text",
                _("Name the policy or strategy, give a link to it or upload it."),
            )


class MotivationForm(StepForm):
    required_fields = ("motivation", "development_goals", "resources")

    class Meta:
        model = Application
        fields = ["motivation", "development_goals", "resources"]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 5}),
            "development_goals": forms.Textarea(attrs={"rows": 5}),
            "resources": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "resources": _(
                "Who takes part and how much time they can give to the workshops, the "
                "sparring and the development task."
            )
        }


class ManagementForm(StepForm):
    required_fields = ("manager_name", "manager_title", "manager_email")

    class Meta:
        model = Application
        fields = ["manager_name", "manager_title", "manager_email"]
        help_texts = {
            "manager_email": _(
                "When you submit, the manager gets a link by e-mail to confirm the commitment."
            )
        }


class PilotForm(StepForm):
    required_fields = ("pilot_subject", "pilot_timetable", "pilot_fit")

    class Meta:
        model = Application
        fields = ["pilot_subject", "pilot_value", "pilot_timetable", "pilot_fit"]
        widgets = {"pilot_fit": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"pilot_timetable": _("For example: tender in spring 2027.")}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "title", "email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The manager is named on the management step and joins the team from there.
        self.fields["role"].choices = [
            choice for choice in self.fields["role"].choices if choice[0] != TeamRole.MANAGEMENT
        ]
        guard_single_line(self)


class _LoadedMemberField(forms.ModelChoiceField):
    """The hidden `id` of a stored member, looked up among the members already loaded."""

    def __init__(self, members, *args, **kwargs):
        self.members = {str(m.pk): m for m in members}
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        member = self.members.get(str(getattr(value, "pk", value)))
        return member if member is not None else super().to_python(value)


class BaseTeamFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, strict=False, members=None, **kwargs):
        """`members`: the application's members as already loaded (the completeness check
        binds the stored members): neither the formset nor each form's `id` reads them
        again."""
        self.strict = strict
        self.members = members
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self.members is not None:
            return self.members
        return super().get_queryset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.members is not None:
            field = form.fields[self._pk_field.name]
            form.fields[self._pk_field.name] = _LoadedMemberField(
                self.members,
                field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )

    def clean(self):
        super().clean()
        if not self.strict or any(self.errors):
            return
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        missing = missing_required_roles(roles)
        if missing:
            raise ValidationError(
                _("The team needs at least: %(roles)s.")
                % {"roles": ", ".join(str(TeamRole(r).label) for r in missing)}
            )


TeamFormSet = forms.inlineformset_factory(
    Application,
    TeamMember,
    form=TeamMemberForm,
    formset=BaseTeamFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)

REQUIRED_ROLES = (TeamRole.LINE_OF_BUSINESS, TeamRole.PROCUREMENT)


def missing_required_roles(roles) -> list[str]:
    return [r for r in REQUIRED_ROLES if r not in roles]


def missing_recommended_roles(roles, track) -> list[str]:
    """Roles the programme recommends that the team does not name yet."""
    recommended = [
        TeamRole.LINE_OF_BUSINESS,
        TeamRole.PROCUREMENT,
        TeamRole.SUSTAINABILITY,
        TeamRole.FINANCE,
        TeamRole.LAWYER,
    ]
    if track == Track.EMPLOYMENT:
        recommended.append(TeamRole.EMPLOYMENT_SERVICES)
    return [r for r in recommended if r not in roles]


class SubmitForm(forms.Form):
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed as it says."),
        required=True,
        error_messages={"required": _("You must accept the privacy notice to submit.")},
    )
    submit_token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class InviteForm(forms.Form):
    # The invitation's column holds 254 characters (the longest address SMTP carries);
    # Django's EmailField alone lets 320 through.
    email = forms.EmailField(label=_("Colleague's e-mail"), max_length=254)
