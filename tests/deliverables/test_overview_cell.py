"""The overview's matrix cells are written by `{% overview_cell %}` (issue 13): the same bytes
the template's markup wrote, for each kind of cell, in each language."""

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import translation

from deliverables import selectors, services
from soske import clock
from tests.deliverables.test_staff_pages import seeded

# The markup the overview's template had for each cell before the tag.
TEMPLATE_CELL = engines["django"].from_string(
    "{% load i18n deliverables %}"
    '<td>{% if cell.status == "not_for_track" %}<span aria-hidden="true">–</span>'
    '<span class="visually-hidden">{{ cell.label }}</span>{% else %}<a href="{{ cell.url }}">'
    '{% progress_badge cell.status %}<span class="visually-hidden">: {{ name }}, '
    '{{ cell.title }}</span></a>{% if cell.reopening %}<br><span class="small">'
    '{% blocktranslate with when=cell.reopening.until|date:"SHORT_DATETIME_FORMAT" %}'
    "reopened until {{ when }}{% endblocktranslate %}</span>{% endif %}{% endif %}</td>"
)
TAG_CELL = engines["django"].from_string(
    "{% load deliverables %}<td>{% overview_cell cell name %}</td>"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_cell_is_written_as_the_template_wrote_it(teams, language):
    assignments = seeded(teams)
    pre = next(iter(assignments.values()))
    services.reopen_for_team(
        assignment=pre,
        team=teams.team,
        until=clock.now() + timedelta(days=3),
        actor=teams.coordinator,
    )
    data = selectors.overview(teams.cohort)
    statuses, reopened = set(), 0
    with translation.override(language):
        for row in data.rows:
            for cell in row.cells:
                cell.title = f'{cell.assignment.title} <&> "quoted"'
                cell.url = f"/x/{row.team.pk}/{cell.assignment.pk}/?a=1&b=2"
                context = {"cell": cell, "name": f"{row.team.organisation.name} & <Co>"}
                assert TAG_CELL.render(context) == TEMPLATE_CELL.render(context)
                statuses.add(cell.status)
                reopened += bool(cell.reopening)
    assert reopened == 1
    assert selectors.Progress.NOT_FOR_TRACK in statuses and len(statuses) >= 2
