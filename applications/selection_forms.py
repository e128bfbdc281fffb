from django import forms
from django.utils.translation import gettext_lazy as _

from soske.forms import IdMultipleChoiceField
from soske.users.models import STAFF_ROLES, User

from .models import Mark


class ConflictForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    explanation = forms.CharField(
        label=_("Explanation (if you have a conflict)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") and not (data.get("explanation") or "").strip():
            self.add_error("explanation", _("Describe the conflict of interest briefly."))
        return data


NO_CRITERIA = _("This cohort has no selection criteria yet: there is nothing to score.")


class ScoreForm(forms.Form):
    """One score and one justification per criterion of the cohort."""

    def __init__(self, *args, cohort, criteria, review=None, scores=None, **kwargs):
        """`scores`: the review's scores as already read (else read from `review`)."""
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if scores is None:
            scores = review.scores.all() if review else []
        existing = {s.criterion_id: s for s in scores}
        choices = [("", _("No score yet"))] + [(str(v), label) for v, label in cohort.score_scale]
        for criterion in criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score: %(criterion)s") % {"criterion": criterion.name},
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                initial=score.value if score else "",
                widget=forms.Select(
                    attrs={"data-weight": str(criterion.weight), "class": "score-input"}
                ),
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification: %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=score.justification if score else "",
            )

    def clean(self):
        data = super().clean()
        if not self.criteria:
            raise forms.ValidationError(NO_CRITERIA, code="no_criteria")
        return data

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"justification_{c.pk}"]) for c in self.criteria]

    def values(self):
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def justifications(self):
        return {c.pk: self.cleaned_data.get(f"justification_{c.pk}", "") for c in self.criteria}


class SpreadForm(forms.Form):
    reviewers = IdMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Reviewers"),
    )
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=10, initial=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = staff_users()
        self.fields["reviewers"].label_from_instance = lambda u: f"{u} ({u.email})"


def staff_users():
    return (
        User.objects.filter(groups__name__in=[str(r) for r in STAFF_ROLES], is_active=True)
        .distinct()
        .order_by("last_name", "email")
    )


class MarkForm(forms.Form):
    # An empty first choice: an unmarked application must not look "selected".
    mark = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Not marked yet"))] + list(Mark.choices)
    )
    feedback = forms.CharField(
        label=_("Feedback to the applicant (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
