"""`get_<field>_display()` worked out once per field and language.

Django's version builds a dict of the field's choices on every call, and hashing each lazily
translated label translates it again: 40–75 µs a call, for six choices (issue 13). A list
of 100 applications printed three of them per row, a sixth of the page's time.

The labels are the code's own lazy strings and the catalogues do not change while the
process runs, so one table per field and language gives the same words. Choices given as a
callable may change from call to call and are left to Django.
"""

from django.utils import translation
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict = {}


def _table(field) -> dict:
    return {
        make_hashable(choice): force_str(label, strings_only=True)
        for choice, label in field.flatchoices
    }


def choice_label(field, value):
    """What Django's get_<field>_display() returns for `value`: the choice's label in the
    active language, or the value itself when it is not one of the choices."""
    key = (field, translation.get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _table(field)
        if not isinstance(field.choices, CallableChoiceIterator):
            _LABELS[key] = labels
    hashable = make_hashable(value)
    if hashable in labels:
        return labels[hashable]
    return force_str(value, strings_only=True)


class ChoiceLabels:
    """Mixin for models with choices: their get_<field>_display() reads choice_label.

    Listed before models.Model in a model's bases. Django binds each get_<field>_display
    to the class's `_get_FIELD_display` when the field joins the class, so this one is
    taken."""

    def _get_FIELD_display(self, field):
        return choice_label(field, getattr(self, field.attname))
