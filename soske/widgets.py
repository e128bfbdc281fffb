"""The form renderer: Django's Jinja2 renderer, with the commonest widget templates written in
Python (issue 13).

Every field of every form goes through a widget template: an `<input>`, a `<select>` with
one included template per option, a `<textarea>`. Rendered by Jinja2 they were the largest
part of a form page's time (a select of 8 options is some 120 template calls). `render`
writes the same markup for Django's own templates listed in `PYTHON_TEMPLATES`, from the
same context (the widget's `get_context`, unchanged), escaping as Jinja2 does (markupsafe);
any other template, or one an app overrides, is left to Jinja2.
`tests/soske/test_widget_renderer.py` renders the project's forms both ways and compares.
"""

from django.forms.renderers import Jinja2
from markupsafe import escape

# Off: Jinja2 renders every widget (the tests compare the two).
ENABLED = True


def _attrs(attrs: dict) -> str:
    # attrs.html: a name alone for True, nothing for False, else name="value".
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {escape(name)}")
        else:
            parts.append(f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    value = f' value="{escape(value)}"' if value != None else ""  # noqa: E711 - as the template
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None  # an option template of another widget: Jinja2 renders it all
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{escape(value) if value else ''}</textarea>"
    )


WIDGETS = "django/forms/widgets/"
SELECT_OPTION = WIDGETS + "select_option.html"
# Django's templates that are `{% include "django/forms/widgets/input.html" %}` and nothing
# else (the test checks each against Django's source).
INPUT_TEMPLATES = tuple(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
PYTHON_TEMPLATES = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    WIDGETS + "select.html": _select,
    WIDGETS + "textarea.html": _textarea,
}


class WidgetRenderer(Jinja2):
    def render(self, template_name, context, request=None):
        write = PYTHON_TEMPLATES.get(template_name) if ENABLED else None
        if write is not None:
            html = write(context["widget"])
            if html is not None:
                return html  # marked safe by the widget, as the template's output
        return super().render(template_name, context, request=request)
