import re

from django.contrib.contenttypes.models import ContentType
from django.db import models

from soske import clock

from .models import ActivityEntry


def activity_record(
    *, actor, action: str, target, scope=None, subject="", before=None, after=None, context=None
) -> ActivityEntry:
    """Log one state change; call it inside the service's transaction.

    `action` is a dotted code ("interview.moved"); `scope` is the object whose history
    lists the entry (default: the target itself); `context` holds ids a page may filter
    by, e.g. {"cohort": 3}.
    """
    scope = target if scope is None else scope
    get_type = ContentType.objects.get_for_model
    return ActivityEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=clock.now(),
        action=action,
        target_type=get_type(target),
        target_id=target.pk,
        scope_type=get_type(scope),
        scope_id=scope.pk,
        subject=(subject or "")[:200],
        before=before,
        after=after,
        context=context or {},
    )


def replace_strings(value, replacements):
    """`value` (text, or JSON-ready lists and dicts of it) with each (old, new) pair replaced,
    ignoring case."""
    if isinstance(value, str):
        for old, new in replacements:
            if old.lower() in value.lower():
                value = re.sub(re.escape(old), new, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [replace_strings(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: replace_strings(v, replacements) for k, v in value.items()}
    return value


def activity_pseudonymise(*, replacements: dict) -> int:
    """The one change the log allows: a person erased on request keeps their entries, with
    a pseudonym in place of their name and address ({"Maija Mallikas": "P-1A2B3C4D"}).

    Returns how many entries changed. Entries are otherwise never updated (the queryset
    refuses); this goes around it on purpose, for this alone.
    """
    pairs = [(old, new) for old, new in replacements.items() if old]
    if not pairs:
        return 0
    changed = 0
    fields = ("subject", "before", "after", "context")
    for entry in ActivityEntry.objects.only("pk", *fields).iterator(chunk_size=500):
        values = {name: replace_strings(getattr(entry, name), pairs) for name in fields}
        if any(values[name] != getattr(entry, name) for name in fields):
            models.QuerySet.update(ActivityEntry.objects.filter(pk=entry.pk), **values)
            changed += 1
    return changed
