"""The common case of crispy's field template, written in Python (issue 13).

Every form of this project is laid out by crispy-forms with `|crispy` or `|as_crispy_field`
in the default vertical layout: no FormHelper, no horizontal form, no wrapper or label
classes. For such a field of a single-input widget (text, e-mail, number, date, textarea,
select, checkbox), `templates/bootstrap5/field.html` asks `plain_field` first; it returns the
same markup the template's branches would (tests/soske/test_plain_field.py renders every
form of the project both ways and compares them), at a fraction of the cost: the template
evaluates about fifty variable lookups and thirty tags per field, which made the team step's
21 fields the slowest form page. Anything else (hidden, file, radio and checkbox groups,
multi-widgets, any layout option in the context) returns "" and the template renders it.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Context values that change crispy's markup; where any is set, the template renders.
LAYOUT_OPTIONS = (
    "form_class",
    "tag",
    "label_class",
    "field_class",
    "wrapper_class",
    "help_text_inline",
    "error_text_inline",
    "bootstrap_checkbox_offsets",
    "inline_class",
    "form_horizontal",
)

# Off: the template renders every field (the tests compare the two).
ENABLED = True

REQUIRED_MARKER = mark_safe(' <span class="required-marker" aria-hidden="true">*</span>')


def _plain_kind(widget) -> str | None:
    """'checkbox', 'select' or 'control' for a widget the fast path renders, else None.
    The same tests as crispy's is_checkbox, is_select, is_file … filters."""
    if widget.is_hidden or getattr(widget, "use_fieldset", False):
        return None
    if isinstance(widget, forms.FileInput | forms.MultiWidget | forms.RadioSelect):
        return None  # RadioSelect covers CheckboxSelectMultiple
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.widgets.Input | forms.Textarea):
        return "control"
    return None


def _add_classes(widget, classes: str) -> None:
    """What crispy's `{% crispy_field field 'class' classes %}` does to the widget's attrs:
    its lower-cased class name, then each of `classes` not there yet."""
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    class_name = widget.__class__.__name__.lower()
    class_name = converters.get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    widget.attrs["class"] = css_class
    present = widget.attrs["class"].split()
    for name in classes.split():
        if name not in present:
            widget.attrs["class"] += " " + name
            present.append(name)


def _errors_and_help(field, errors) -> list:
    parts = []
    if errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', errors.field_id))
        for counter, error in enumerate(errors, start=1):
            parts.append(
                format_html(
                    '<p id="error_{}_{}"><strong>{}</strong></p>', counter, field.auto_id, error
                )
            )
        parts.append("</div>")
    if field.help_text:
        if field.auto_id:
            parts.append(
                format_html(
                    '<div id="{}_helptext" class="form-text">{}</div>',
                    field.auto_id,
                    mark_safe(field.help_text),  # noqa: S308 - crispy's `|safe`, the form's own text
                )
            )
        else:
            parts.append(
                format_html('<div class="form-text">{}</div>', mark_safe(field.help_text))  # noqa: S308
            )
    return parts


FIELD_TEMPLATE = "bootstrap5/field.html"


@register.simple_tag(takes_context=True)
def plain_field(context, field, template=FIELD_TEMPLATE):
    """The field's markup as crispy's bootstrap5 field.html writes it, or "" where the
    template must render it (see the module's docstring). `template`: the field template
    the caller would include (templates/bootstrap5/uni_form.html asks before including it);
    any other than ours is left to render."""
    if not ENABLED or template != FIELD_TEMPLATE:
        return ""
    if not context.get("form_show_labels") or not context.get("form_show_errors"):
        return ""
    if any(context.get(name) for name in LAYOUT_OPTIONS):
        return ""
    widget = field.field.widget
    kind = _plain_kind(widget)
    if kind is None:
        return ""
    errors = field.errors
    required = field.field.required or getattr(field.field, "show_required", False)
    css = field.css_classes()
    css = f" {css}" if css else ""  # escaped by format_html
    label = conditional_escape(field.label) if field.label else ""
    marker = REQUIRED_MARKER if required else ""
    if kind == "checkbox":
        _add_classes(widget, "form-check-input is-invalid" if errors else "form-check-input")
        parts = [
            format_html(
                '<div class="mb-3"><div id="div_{}" class="form-check{}">',
                field.auto_id,
                css,
            ),
            str(field),
            format_html(
                '<label for="{}" class="form-check-label{}">{}{}</label>',
                field.id_for_label,
                " requiredField" if required else "",
                label,
                marker,
            ),
            *_errors_and_help(field, errors),
            "</div></div>",
        ]
        return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - built with format_html
    parts = [format_html('<div id="div_{}" class="mb-3{}">', field.auto_id, css)]
    if field.label:
        for_attr = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        parts.append(
            format_html(
                '<label{} class="form-label{}">{}{}</label>',
                for_attr,
                " requiredField" if required else "",
                label,
                marker,
            )
        )
    base = "form-select" if kind == "select" else "form-control"
    _add_classes(widget, f"{base} is-invalid" if errors else base)
    parts.append(str(field))
    parts += _errors_and_help(field, errors)
    parts.append("</div>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - built with format_html


# `|as_crispy_field` renders field.html by itself: around what plain_field writes, the
# template's own line breaks (tests/soske/test_plain_field.py compares the bytes).
FIELD_PREFIX, FIELD_SUFFIX = "\n\n", "\n"
CRISPY_FIELD_CONTEXT = {"form_show_errors": True, "form_show_labels": True}


@register.filter
def plain_crispy_field(field):
    """`|as_crispy_field` with its default options, written by plain_field where it can:
    the same bytes without rendering the field template through a context of its own for
    each field (issue 13). A form with a FormHelper, and any field plain_field leaves to the
    template, go to crispy's filter."""
    if getattr(field.form, "helper", None) is None:
        html = plain_field(CRISPY_FIELD_CONTEXT, field)
        if html:
            return mark_safe(FIELD_PREFIX + html + FIELD_SUFFIX)  # noqa: S308 - plain_field's
    return as_crispy_field(field)
