"""The sources of the personal calendar feed: each app registers one in AppConfig.ready().

A source is a callable `source(user) -> iterable of CalendarEvent`; it returns the
events this person may see (an empty iterable when none). The kernel knows no app.
"""

_sources = []


def register_feed_source(source):
    """Add `source` to every person's feed (registering the same callable twice is harmless)."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_feed_source(source):
    if source in _sources:
        _sources.remove(source)


def feed_events(user) -> list:
    """Every registered source's events for `user`, in time order."""
    events = [event for source in _sources for event in source(user)]
    return sorted(events, key=lambda event: (event.starts_at, event.uid))
