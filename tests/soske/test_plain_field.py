"""soske_forms.plain_field writes crispy's field markup in Python for the common widgets
(issue 13). Every form here is rendered twice, with the fast path and with it switched off
(so that templates/bootstrap5/field.html renders every field), and the two must be the same
HTML: unbound, bound with errors, in Finnish and Swedish."""

import inspect
from pathlib import Path

import crispy_bootstrap5
import pytest
from django import forms
from django.template import engines
from django.test import SimpleTestCase
from django.utils import translation

from applications.forms import InviteForm, SubmitForm, TeamFormSet, TeamMemberForm
from applications.steps import STEPS
from soske.templatetags import soske_forms
from tests.factories import ApplicationFactory

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
FIELDS = engines["django"].from_string(
    "{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}"
)
html = SimpleTestCase()


class Everything(forms.Form):
    """A widget of each kind, with what changes the markup: help text with markup, no
    label, not required, shown as required although not required, a value to escape."""

    required_css_class = "is-required"
    error_css_class = "has-error"

    name = forms.CharField(label="Name <b>", help_text="Your <em>full</em> name")
    email = forms.EmailField(required=False)
    number = forms.IntegerField(min_value=0, label="")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    link = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}))
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", "Ö")])
    choices = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    maybe = forms.NullBooleanField(required=False)
    agree = forms.BooleanField(help_text="Read it <a href='#'>here</a>")
    optional_box = forms.BooleanField(required=False, label="")
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].show_required = True
        self.fields["text"].widget.attrs["aria-required"] = "true"

    def clean(self):
        cleaned = super().clean()
        if self.data:
            self.add_error("email", "Two <problems>")
            self.add_error("email", "and a second")
        return cleaned


BAD = {
    "name": '"><script>',
    "number": "-1",
    "day": "tomorrow",
    "text": "",
    "choice": "zzz",
    "maybe": "unknown",
    "link": "not a link",
    "radio": "z",
}


def _both(template, form):
    with_fast_path = template.render({"form": form})
    soske_forms.ENABLED = False
    try:
        without = template.render({"form": form})
    finally:
        soske_forms.ENABLED = True
    return with_fast_path, without


def _forms():
    application = ApplicationFactory(complete=True)
    yield Everything()
    yield Everything(BAD)
    yield Everything(auto_id=False)
    yield Everything(BAD, auto_id="f_%s")
    for step in STEPS:
        if step.form_class is None:
            formset = TeamFormSet(instance=application, prefix="team")
            yield from formset.forms
            bound = TeamFormSet(
                {"team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0", "team-0-email": "x"},
                instance=application,
                prefix="team",
                strict=True,
            )
            bound.is_valid()
            yield from bound.forms
            continue
        yield step.form_class(instance=application, strict=False)
        bad = step.form_class({"business_id": "123"}, instance=application, strict=True)
        bad.is_valid()
        yield bad
    yield TeamMemberForm()
    yield SubmitForm()
    yield SubmitForm({"submit_token": ""})
    yield InviteForm({"email": "not an address"})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_fast_path_writes_what_the_template_writes(language):
    rendered = fast = 0
    with translation.override(language):
        for form in _forms():
            form.is_bound and form.is_valid()
            for template in (CRISPY, FIELDS):
                with_fast_path, without = _both(template, form)
                html.assertHTMLEqual(with_fast_path, without)
                rendered += 1
            fast += sum(1 for field in form if soske_forms.plain_field({**_context()}, field) != "")
    assert rendered >= 50
    # Most fields of the project's forms take the fast path (else this compares nothing).
    assert fast >= 100


def _context():
    return {"form_show_labels": True, "form_show_errors": True}


def test_fields_it_leaves_to_the_template():
    form = Everything()
    taken = {f.name for f in form if soske_forms.plain_field(_context(), f)}
    assert taken == {
        "name", "email", "number", "day", "link", "secret", "text", "choice", "choices",
        "maybe", "agree", "optional_box",
    }  # fmt: skip
    # A layout option in the context (a FormHelper's) leaves every field to the template.
    for option in soske_forms.LAYOUT_OPTIONS:
        assert not any(soske_forms.plain_field({**_context(), option: "x"}, f) for f in form)
    assert not any(soske_forms.plain_field({"form_show_errors": True}, f) for f in form)


def argumentless_forms():
    """A form of each class in every app's forms modules that takes no arguments (the others
    are covered by their pages' tests)."""
    import applications.interview_forms
    import cohorts.forms
    import deliverables.followup_forms
    import deliverables.forms
    import deliverables.team_forms
    import workshops.forms

    modules = (
        cohorts.forms,
        workshops.forms,
        deliverables.forms,
        deliverables.team_forms,
        deliverables.followup_forms,
        applications.interview_forms,
    )
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            try:
                yield cls()
            except (TypeError, KeyError, AttributeError):
                continue  # needs arguments


@pytest.mark.django_db
def test_every_form_module_of_the_project_renders_the_same_both_ways():
    rendered = 0
    for form in argumentless_forms():
        for template in (CRISPY, FIELDS):
            with_fast_path, without = _both(template, form)
            html.assertHTMLEqual(with_fast_path, without)
            rendered += 1
    assert rendered >= 10


CRISPY_UNI_FORM = (
    Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5" / "uni_form.html"
)


@pytest.mark.django_db
@pytest.mark.parametrize("enabled", [True, False])
def test_our_uni_form_writes_byte_for_byte_what_crispys_writes(enabled):
    """templates/bootstrap5/uni_form.html skips the include of the field template for the
    fields plain_field writes; crispy's own uni_form.html, given the same context as its
    `|crispy` filter gives, must write the very same bytes."""
    original = engines["django"].from_string(CRISPY_UNI_FORM.read_text())
    context = {
        "field_class": "",
        "field_template": "bootstrap5/field.html",
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": "",
    }
    soske_forms.ENABLED = enabled
    compared = 0
    try:
        with translation.override("sv"):
            for form in _forms():
                form.is_bound and form.is_valid()
                assert CRISPY.render({"form": form}) == original.render({**context, "form": form})
                compared += 1
    finally:
        soske_forms.ENABLED = True
    assert compared >= 20


def test_a_field_template_of_another_kind_is_left_to_that_template():
    form = Everything()
    assert soske_forms.plain_field(_context(), form["name"])
    assert soske_forms.plain_field(_context(), form["name"], "bootstrap5/field.html")
    assert (
        soske_forms.plain_field(_context(), form["name"], "bootstrap5/table_inline_field.html")
        == ""
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_plain_crispy_field_writes_byte_for_byte_what_as_crispy_field_writes(language):
    """The project's templates write single fields with `|plain_crispy_field`; it must give
    what crispy's `|as_crispy_field` gives for every field of the project's forms."""
    from crispy_forms.helper import FormHelper
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    compared = written = 0
    with translation.override(language):
        for form in _forms():
            form.is_bound and form.is_valid()
            for field in form:
                assert soske_forms.plain_crispy_field(field) == as_crispy_field(field), field.name
                compared += 1
                written += bool(soske_forms.plain_field(soske_forms.CRISPY_FIELD_CONTEXT, field))
    assert compared >= 100 and written >= 80
    # A form with a FormHelper (its layout options) goes to crispy's filter.
    helped = Everything()
    helped.helper = FormHelper()
    helped.helper.label_class = "col-4"
    assert soske_forms.plain_crispy_field(helped["name"]) == as_crispy_field(helped["name"])
    # (rendered by the template: its whitespace, not the fast path's two line breaks)
    assert not str(soske_forms.plain_crispy_field(helped["name"])).startswith("\n\n<div")
    assert str(soske_forms.plain_crispy_field(Everything()["name"])).startswith("\n\n<div")
