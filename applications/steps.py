"""The steps of the application form, in order."""

from dataclasses import dataclass

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None  # None: the team step, a formset


STEPS = (
    Step("organisation", _("Organisation"), forms.OrganisationForm),
    Step("contact", _("Contact person"), forms.ContactForm),
    Step("eligibility", _("Eligibility"), forms.EligibilityForm),
    Step("track", _("Track and themes"), forms.TrackForm),
    Step("strategy", _("Strategic anchoring"), forms.StrategyForm),
    Step("motivation", _("Motivation and resources"), forms.MotivationForm),
    Step("management", _("Management commitment"), forms.ManagementForm),
    Step("team", _("Team"), None),
    Step("pilot", _("Pilot procurement"), forms.PilotForm),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def step_index(slug: str) -> int:
    return [s.slug for s in STEPS].index(slug)


def next_step(slug: str) -> Step | None:
    index = step_index(slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(slug: str) -> Step | None:
    index = step_index(slug)
    return STEPS[index - 1] if index > 0 else None


def bound_step_form(step: Step, application, *, strict: bool):
    """The step's form bound to what is stored, to check completeness."""
    if step.form_class is None:
        data = {"team-TOTAL_FORMS": "0", "team-INITIAL_FORMS": "0"}
        members = list(application.team.all())
        data["team-TOTAL_FORMS"] = str(len(members))
        data["team-INITIAL_FORMS"] = str(len(members))
        for i, member in enumerate(members):
            for field in ("name", "title", "email", "role"):
                data[f"team-{i}-{field}"] = getattr(member, field)
            data[f"team-{i}-id"] = str(member.pk)
        return forms.TeamFormSet(
            data, instance=application, prefix="team", strict=strict, members=members
        )
    # The stored values as the form would show them, without building the form twice: no
    # step form adds, drops or pre-fills a field in __init__, so the class's fields and
    # model_to_dict are what an unbound form's fields and initial would be.
    fields = step.form_class.base_fields
    initial = model_to_dict(application, fields=[n for n in fields if n != "themes"])
    data = {}
    for name, field in fields.items():
        value = initial.get(name)
        if name == "themes":
            data[name] = [t.pk for t in application.themes.all()]
        elif isinstance(field, forms.forms.FileField):
            continue  # an unbound file field falls back to the stored file
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return step.form_class(data, {}, instance=application, strict=strict)


def step_problems(step: Step, application) -> list[dict]:
    """What one step still lacks for a complete application, field by field."""
    problems = []
    form = bound_step_form(step, application, strict=True)
    if step.form_class is None:
        if not form.is_valid():
            for message in form.non_form_errors():
                problems.append(
                    {"step": step, "field": None, "label": step.title, "message": message}
                )
            for i, errors in enumerate(form.errors):
                for field, messages in errors.items():
                    label = (
                        form.forms[i].fields[field].label
                        if field in form.forms[i].fields
                        else step.title
                    )
                    for message in messages:
                        problems.append(
                            {
                                "step": step,
                                "field": f"team-{i}-{field}",
                                "label": step.title,
                                "field_label": label,
                                "message": message,
                            }
                        )
        return problems
    if not form.is_valid():
        for field, messages in form.errors.items():
            label = form.fields[field].label if field in form.fields else step.title
            for message in messages:
                problems.append({"step": step, "field": field, "label": label, "message": message})
    return problems


def completeness_errors(application) -> list[dict]:
    """Everything a complete application still lacks, step by step, field by field."""
    return [problem for step in STEPS for problem in step_problems(step, application)]
