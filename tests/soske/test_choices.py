"""get_<field>_display() read from a table per field and language says what Django says."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from cohorts.models import Track
from soske.choices import ChoiceLabels, choice_label

OUR_APPS = {"users", "mail", "cohorts", "applications", "workshops", "deliverables"}


def _our_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_model_of_ours_with_choices_uses_the_table():
    fields = list(_our_fields())
    assert len(fields) >= 20  # the check looked at the models, not at nothing
    without = sorted({m.__name__ for m, _f in fields if not issubclass(m, ChoiceLabels)})
    assert without == []


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_label_is_djangos_own_in_each_language(language):
    compared = 0
    with translation.override(language):
        for model, field in _our_fields():
            values = [choice for choice, _label in field.flatchoices]
            for value in [*values, "not-a-choice", None, 987]:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                django = models.Model._get_FIELD_display(instance, field)
                assert ours == django, (model.__name__, field.name, value)
                assert type(ours) is type(django)
                compared += 1
    assert compared > 100


def test_the_table_follows_the_language():
    team_track = apps.get_model("cohorts", "Team")._meta.get_field("track")
    with translation.override("fi"):
        finnish = choice_label(team_track, Track.EMPLOYMENT)
    with translation.override("sv"):
        swedish = choice_label(team_track, Track.EMPLOYMENT)
    with translation.override("en"):
        english = choice_label(team_track, Track.EMPLOYMENT)
    assert len({finnish, swedish, english}) == 3
    with translation.override("fi"):
        assert choice_label(team_track, Track.EMPLOYMENT) == finnish


def test_callable_choices_are_asked_every_time():
    offered = [("a", "First")]
    field = models.CharField(max_length=5, choices=lambda: list(offered))
    field.set_attributes_from_name("letter")
    assert choice_label(field, "a") == "First"
    assert choice_label(field, "b") == "b"
    offered.append(("b", "Second"))
    assert choice_label(field, "b") == "Second"
