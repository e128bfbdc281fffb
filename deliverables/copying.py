"""The deliverables' part of copying a cohort (registered in DeliverablesConfig.ready()):
the assignments, moved to the new kick-off and pointing at the copies of their events, and
the code-of-conduct annex builder's list. Submissions, feedback and books stay behind."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soske import clock

from .models import Assignment, ConductItem

ASSIGNMENT_FIELDS = (
    "kind", "audience", "title_fi", "title_sv", "title_en", "instructions_fi",
    "instructions_sv", "instructions_en", "worksheets", "accepts_files", "position",
)  # fmt: skip
CONDUCT_FIELDS = ("kind", "text_fi", "text_sv", "text_en", "position")

LABEL = pgettext_lazy("deliverables", "Assignments")


def _assignments(cohort):
    return Assignment.objects.filter(cohort=cohort).order_by("due_at", "position", "pk")


def assignments_preview(plan) -> list:
    from cohorts.copying import PreviewLine

    lines = [
        PreviewLine(a.title, a.due_at, plan.shift(a.due_at)) for a in _assignments(plan.source)
    ]
    items = ConductItem.objects.filter(cohort=plan.source, archived_at__isnull=True).count()
    if items:
        lines.append(PreviewLine(str(_("Code-of-conduct items: %(n)s")) % {"n": items}))
    return lines


def assignments_copy(plan) -> int:
    moment = clock.now()
    count = 0
    for assignment in _assignments(plan.source):
        event = plan.made.get(("workshops.Event", assignment.event_id))
        Assignment.objects.create(
            cohort=plan.target,
            opens_at=plan.shift(assignment.opens_at),
            due_at=plan.shift(assignment.due_at),
            cutoff_at=plan.shift(assignment.cutoff_at),
            event=event,
            created_at=moment,
            updated_at=moment,
            **{name: getattr(assignment, name) for name in ASSIGNMENT_FIELDS},
        )
        count += 1
    ConductItem.objects.bulk_create(
        ConductItem(cohort=plan.target, **{f: getattr(item, f) for f in CONDUCT_FIELDS})
        for item in ConductItem.objects.filter(cohort=plan.source, archived_at__isnull=True)
    )
    return count
