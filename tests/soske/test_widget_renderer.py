"""soske.widgets.WidgetRenderer writes Django's commonest widget templates in Python (issue 13).
Every widget of the project's forms, and one of each kind with values to escape, is rendered
with it and with Jinja2 alone: the strings must be identical, byte for byte."""

from decimal import Decimal
from pathlib import Path

import django.forms
import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from soske import widgets
from tests.soske.test_plain_field import _forms, argumentless_forms

DJANGO_WIDGETS = Path(django.forms.__file__).parent / "jinja2" / "django" / "forms" / "widgets"


class Tricky(forms.Form):
    """What changes a widget's markup: values and labels to escape, markup already safe,
    attributes that are True, False or None, groups of options, several selected."""

    text = forms.CharField(initial="\"quoted\" & <tagged> 'single'")
    safe = forms.CharField(initial=mark_safe("<b>already safe</b>"))
    flags = forms.CharField(
        widget=forms.TextInput(attrs={"autofocus": True, "disabled": False, "data-x": None})
    )
    amount = forms.DecimalField(initial=Decimal("12.50"))
    zero = forms.IntegerField(initial=0)
    empty_text = forms.CharField(widget=forms.Textarea, initial="")
    long_text = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2> & 'three'")
    zero_text = forms.CharField(widget=forms.Textarea, initial=0)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Nordic & <more>", [("fi", "Suomi"), ("sv", "Svenska")]), ("x", "X")],
        initial="sv",
    )
    several = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two & two"), (3, "Three")], initial=[1, 3]
    )
    yes_no = forms.NullBooleanField(initial=True)
    box = forms.BooleanField(initial=True)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p&ss")
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    upload = forms.FileField(required=False)
    split = forms.SplitDateTimeField(required=False)
    email = forms.EmailField(initial="a@b.example")
    link = forms.URLField(initial="https://example.org/?a=1&b=2")


def _both(field):
    fast = str(field)
    widgets.ENABLED = False
    try:
        jinja = str(field)
    finally:
        widgets.ENABLED = True
    return fast, jinja


def _project_forms():
    yield from _forms()
    yield Tricky()
    yield Tricky({"text": "<posted>", "several": ["2"], "grouped": "fi", "box": ""})
    yield Tricky(auto_id=False)
    yield from argumentless_forms()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_widget_renders_the_same_as_with_jinja2(language):
    compared, by_python = 0, set()
    with translation.override(language):
        for form in _project_forms():
            form.is_bound and form.is_valid()
            for field in form:
                fast, jinja = _both(field)
                assert fast == jinja, (type(form).__name__, field.name)
                compared += 1
                if field.field.widget.template_name in widgets.PYTHON_TEMPLATES:
                    by_python.add(field.field.widget.template_name)
    assert compared >= 150
    # Each template written in Python was compared at least once.
    assert by_python >= {
        widgets.WIDGETS + name
        for name in (
            "text.html",
            "email.html",
            "number.html",
            "url.html",
            "password.html",
            "hidden.html",
            "checkbox.html",
            "select.html",
            "textarea.html",
        )
    }


def test_the_python_copies_match_the_templates_django_ships():
    """A Django upgrade that changes one of these templates fails here: the Python copy
    must then be brought in line (or the template dropped from PYTHON_TEMPLATES)."""
    for name in widgets.INPUT_TEMPLATES:
        source = (DJANGO_WIDGETS / Path(name).name).read_text().strip()
        if name.endswith("/input.html"):
            assert source == (
                '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value '
                '!= None %} value="{{ widget.value }}"{% endif %}{% include '
                '"django/forms/widgets/attrs.html" %}>'
            )
        else:
            assert source == '{% include "django/forms/widgets/input.html" %}', name
    assert (DJANGO_WIDGETS / "attrs.html").read_text().strip() == (
        "{% for name, value in widget.attrs.items() %}{% if value is not sameas False %} "
        '{{ name }}{% if value is not sameas True %}="{{ value }}"{% endif %}{% endif %}'
        "{% endfor %}"
    )
    assert (DJANGO_WIDGETS / "select_option.html").read_text().strip() == (
        '<option value="{{ widget.value }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{{ widget.label }}</option>"
    )
    assert (DJANGO_WIDGETS / "select.html").read_text().strip() == (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for widget in group_choices %}\n  {% include widget.template_name %}{% endfor %}"
        "{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>"
    )
    assert (DJANGO_WIDGETS / "textarea.html").read_text().strip() == (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    )


def test_other_templates_and_other_option_templates_go_to_jinja2():
    renderer = widgets.WidgetRenderer()
    radio = forms.RadioSelect(choices=[("a", "A & B")])
    assert radio.template_name not in widgets.PYTHON_TEMPLATES
    assert 'type="radio"' in radio.render("r", "a", renderer=renderer)

    class OddSelect(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    odd = OddSelect(choices=[("a", "A")])
    context = odd.get_context("s", "a", {})
    assert widgets._select(context["widget"]) is None  # so Jinja2 renders it
    assert "<label><input" in odd.render("s", "a", renderer=renderer)  # its option template
