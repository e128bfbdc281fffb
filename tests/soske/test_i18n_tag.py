"""{% load i18n %} is Django's library with a quicker {% translate %}: the same text."""

import itertools

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from soske.templatetags import soske_i18n

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Strings of the catalogue (translated in fi and sv), one that is not in it, and the shapes a
# literal can take: percent signs, markup, quotes, an empty string.
TAGS = [
    '{% translate "Save draft" %}',
    "{% trans 'Save draft' %}",
    '{% translate "Save draft" as label %}[{{ label }}]',
    '{% translate "Save draft" as label %}[{{ label|upper }}]',
    '{% translate "Skip to main content" %}',
    '{% translate "not in any catalogue" %}',
    '{% translate "100% & <b>bold</b>" %}',
    '{% translate "%(n)s of %(total)s" %}',
    '{% translate "50 %% off" as off %}{{ off }}',
    '{% translate "100% & <b>bold</b>" as bold %}{{ bold }}',
    '{% translate "say \\"hi\\"" %}',
    '{% translate "" %}',
    '{% translate _("Save draft") %}',
    # Django's own node, unchanged: a filter, noop, a context, a variable.
    '{% translate "Save draft"|upper %}',
    '{% translate "Save draft" noop %}',
    '{% translate "May" context "month name" %}',
    "{% translate word %}",
    "{% translate word as copied %}{{ copied }}",
]
AUTOESCAPE = ["{}", "{{% autoescape off %}}{}{{% endautoescape %}}"]


def _render(engine, source, language):
    with translation.override(language):
        template = engine.from_string("{% load i18n %}" + source)
        return template.render(Context({"word": "Save draft <now>"}))


def test_the_projects_i18n_is_ours():
    engine = engines["django"].engine
    library = engine.template_libraries["i18n"]
    assert library is soske_i18n.register
    # Everything else of Django's library is still there.
    assert set(django_i18n.register.tags) <= set(library.tags)
    assert set(django_i18n.register.filters) <= set(library.filters)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shape_of_the_tag_renders_djangos_text(language):
    ours = engines["django"].engine
    django = Engine(libraries={"i18n": "django.templatetags.i18n"})
    for tag, wrapper in itertools.product(TAGS, AUTOESCAPE):
        source = wrapper.format(tag)
        assert _render(ours, source, language) == _render(django, source, language), source


def test_a_plain_literal_takes_the_quick_node_and_the_rest_djangos():
    engine = engines["django"].engine

    def nodes(source):
        template = engine.from_string("{% load i18n %}" + source)
        return [type(n) for n in template.nodelist if "Translate" in type(n).__name__]

    assert nodes('{% translate "Save draft" %}') == [soske_i18n.LiteralTranslateNode]
    assert nodes('{% translate "Save draft" as x %}') == [soske_i18n.LiteralTranslateNode]
    for source in (
        '{% translate "Save draft"|upper %}',
        '{% translate "Save draft" noop %}',
        '{% translate "May" context "month name" %}',
        "{% translate word %}",
    ):
        assert nodes(source) == [django_i18n.TranslateNode], source


def test_the_words_are_translated():
    engine = engines["django"].engine
    finnish = _render(engine, '{% translate "Save draft" %}', "fi")
    english = _render(engine, '{% translate "Save draft" %}', "en")
    assert english == "Save draft"
    assert finnish not in ("", english)
