"""The programme's part of copying a cohort (registered in WorkshopsConfig.ready()): its
events, moved to the new kick-off, never invited or cancelled, with their links. Sparring
slots, bookings and attendance belong to the teams of the old cohort and stay there."""

from django.utils.translation import gettext_lazy as _

from soske import clock

from .models import Event, Material

EVENT_FIELDS = (
    "kind", "audience", "title_fi", "title_sv", "title_en", "description_fi",
    "description_sv", "description_en", "location", "meeting_url", "change_cutoff",
)  # fmt: skip


def _events(cohort):
    return Event.objects.filter(cohort=cohort).live().order_by("starts_at", "pk")


def events_preview(plan) -> list:
    from cohorts.copying import PreviewLine

    return [
        PreviewLine(e.title, e.starts_at, plan.shift(e.starts_at)) for e in _events(plan.source)
    ]


def events_copy(plan) -> int:
    moment = clock.now()
    count = 0
    for event in _events(plan.source).prefetch_related("materials"):
        copy = Event.objects.create(
            cohort=plan.target,
            starts_at=plan.shift(event.starts_at),
            ends_at=plan.shift(event.ends_at),
            created_at=moment,
            updated_at=moment,
            **{name: getattr(event, name) for name in EVENT_FIELDS},
        )
        plan.made[("workshops.Event", event.pk)] = copy
        for material in event.materials.all():
            if material.url and not material.file:
                Material.objects.create(
                    event=copy,
                    title=material.title,
                    url=material.url,
                    added_by=plan.actor or material.added_by,
                    added_at=moment,
                )
        count += 1
    return count


LABEL = _("Programme events")
