"""What the cohorts hold about a person (team memberships), for soske.privacy."""

from django.db.models import Q

from soske.privacy.registry import ExportPart
from soske.privacy.services import pseudonym_email

from .models import TeamMembership


def _memberships(user, email):
    return TeamMembership.objects.filter(Q(user=user) | Q(email__iexact=email))


def export(user) -> ExportPart:
    rows = _memberships(user, user.email).select_related("team__organisation", "team__cohort")
    return ExportPart(
        records=[
            {
                "organisation": m.team.organisation.name,
                "cohort": m.team.cohort.name,
                "track": m.team.track,
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "invited_at": m.invited_at,
                "joined_at": m.joined_at,
            }
            for m in rows.order_by("pk")
        ]
    )


def erase(*, user, pseudonym, email, names) -> int:
    return _memberships(user, email).update(name=pseudonym, email=pseudonym_email(pseudonym))


def names(*, user, email) -> set:
    return set(_memberships(user, email).values_list("name", flat=True))


def holders(users) -> set:
    """People who are (or are invited as) a member of a team."""
    by_user = TeamMembership.objects.filter(user__in=users).values_list("user_id", flat=True)
    pk_by_email = {u.email.lower(): u.pk for u in users}
    invited = TeamMembership.objects.filter(email__in=list(pk_by_email)).values_list(
        "email", flat=True
    )
    invited = {pk_by_email[e.lower()] for e in invited if e.lower() in pk_by_email}
    return set(by_user) | invited
