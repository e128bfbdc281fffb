"""The team's next assignments for its team page (templates/cohorts/team.html), which the
cohorts app renders without importing deliverables: `{% load team_work %}`
`{% next_assignments team as upcoming %}`."""

from django import template

from deliverables.selectors import team_assignments
from soske import clock

register = template.Library()


@register.simple_tag
def next_assignments(team, count=3):
    """The team's assignments whose cut-off is still ahead, the nearest due first, and
    whether the cohort has any assignment for the team at all."""
    now = clock.now()
    cells = team_assignments(team)
    ahead = [cell for cell in cells if cell.assignment.cutoff_at >= now]
    return {"any": bool(cells), "cells": ahead[: int(count)]}
