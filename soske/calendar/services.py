import secrets

from django.db import transaction

from soske import clock

from .models import CalendarFeed


def feed_create(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        return CalendarFeed.objects.create(
            user=user, token=secrets.token_urlsafe(32), created_at=clock.now()
        )


def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )


def feed_user(token: str):
    """The active person whose unrevoked address this is, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
