"""The programme in a person's one calendar feed (registered in WorkshopsConfig.ready)."""

from django.db.models import Q

from .models import Event, SparringBooking
from .programme import calendar_event as event_entry
from .sparring import calendar_event as sparring_entry


def programme_feed(user):
    """The events of the person's teams (their track) and those teams' sparring, and the
    sparring sessions the person spars in."""
    teams = list(
        user.team_memberships.filter(team__active=True)
        .select_related("team")
        .values_list("team__pk", "team__cohort_id", "team__track")
    )
    entries = []
    language = user.language or "fi"
    if teams:
        scope = Q()
        for _pk, cohort_id, track in teams:
            scope |= Q(cohort_id=cohort_id, audience__in=["both", track])
        events = (
            Event.objects.live()
            .filter(scope)
            .exclude(kind="sparring_round")
            .select_related("cohort")
        )
        entries += [event_entry(event, language=language) for event in events]
    bookings = (
        SparringBooking.objects.filter(state=SparringBooking.State.BOOKED)
        .filter(Q(team__in=[pk for pk, _c, _t in teams]) | Q(slot__sparrers=user))
        .select_related("slot", "round__cohort", "team__organisation")
        .distinct()
    )
    entries += [sparring_entry(booking) for booking in bookings]
    return entries
