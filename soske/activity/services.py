from django.contrib.contenttypes.models import ContentType

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
