"""A mail's template context as JSON, so that the send task renders it, not the request.

Model instances become references `{"model": "app_label.Model", "pk": n}` and are loaded
again when the message is rendered (after the commit that wrote them, so they hold what the
transaction saved); lists, tuples and dicts are walked; dates, times, Decimals and UUIDs are
tagged so they come back as the same type. Anything else (a lazy translation, an unsaved
instance, an arbitrary object) cannot be stored: `context_dump` raises `Unstorable` and the
caller renders in the request as before.
"""

import datetime
import uuid
from decimal import Decimal

from django.apps import apps
from django.db import models


class Unstorable(TypeError):
    """The context holds a value that cannot be stored and loaded back faithfully."""


class MissingObject(LookupError):
    """A referenced row is gone (deleted or erased) by the time the mail is rendered."""


_TAGS = {
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$time": datetime.time.fromisoformat,
    "$decimal": Decimal,
    "$uuid": uuid.UUID,
    "$timedelta": lambda seconds: datetime.timedelta(seconds=seconds),
}


def context_dump(value):
    """`value` as JSON-ready data; raises Unstorable for what cannot come back the same."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        if value.pk is None:
            raise Unstorable(f"unsaved {value._meta.label} instance")
        pk = value.pk if isinstance(value.pk, (int, str)) else str(value.pk)
        return {"model": value._meta.label, "pk": pk}
    # datetime is a date: test it first.
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, (list, tuple)):
        return [context_dump(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise Unstorable("a dict with keys that are not strings")
        dumped = {key: context_dump(item) for key, item in value.items()}
        # A plain dict shaped like a reference or a tag is wrapped, so it loads as itself.
        if _is_reference(dumped) or _tag_of(dumped) or set(dumped) == {"$dict"}:
            return {"$dict": dumped}
        return dumped
    raise Unstorable(f"{type(value).__name__} cannot be stored in a mail's context")


def context_load(data):
    """The inverse of context_dump; each referenced row is read once per (model, pk)."""
    return _load(data, {})


# A reference looked for in context_load_many and not found.
_GONE = object()


def context_load_many(contexts: list) -> list:
    """context_load for each of `contexts` with a query per model, not per row: the rows
    they refer to are read together, with their non-null foreign keys joined
    (`select_related()`), so that what a subject reads through them (`team.organisation`)
    costs no query either. Each item of the result is the loaded context, or the
    MissingObject that context_load would have raised for it."""
    wanted = {}
    for data in contexts:
        _references(data, wanted)
    cache = {}
    for label, pks in wanted.items():
        model = apps.get_model(label)
        found = model._default_manager.select_related().in_bulk(pks)
        by_text = {str(pk): row for pk, row in found.items()}
        for pk in pks:
            cache[(label, pk)] = by_text.get(str(pk), _GONE)
    loaded = []
    for data in contexts:
        try:
            loaded.append(_load(data, cache))
        except MissingObject as exc:
            loaded.append(exc)
    return loaded


def _references(data, wanted: dict) -> None:
    """Collect the references in `data`: {model label: set of pks}."""
    if isinstance(data, list):
        for item in data:
            _references(item, wanted)
    elif isinstance(data, dict):
        if _is_reference(data):
            wanted.setdefault(data["model"], set()).add(data["pk"])
        elif set(data) == {"$dict"}:
            # A plain dict, wrapped: its items are walked, never the dict itself.
            for item in data["$dict"].values():
                _references(item, wanted)
        elif not _tag_of(data):
            for item in data.values():
                _references(item, wanted)


def _load(data, cache):
    if isinstance(data, list):
        return [_load(item, cache) for item in data]
    if not isinstance(data, dict):
        return data
    if _is_reference(data):
        key = (data["model"], data["pk"])
        if key not in cache:
            model = apps.get_model(data["model"])
            try:
                cache[key] = model._default_manager.get(pk=data["pk"])
            except model.DoesNotExist:
                cache[key] = _GONE
        if cache[key] is _GONE:
            raise MissingObject(f"{data['model']} {data['pk']} no longer exists")
        return cache[key]
    tag = _tag_of(data)
    if tag:
        return _TAGS[tag](data[tag])
    if set(data) == {"$dict"}:
        return {key: _load(item, cache) for key, item in data["$dict"].items()}
    return {key: _load(item, cache) for key, item in data.items()}


def _is_reference(data: dict) -> bool:
    return set(data) == {"model", "pk"} and isinstance(data["model"], str)


def _tag_of(data: dict) -> str | None:
    if len(data) == 1:
        (key,) = data
        if key in _TAGS:
            return key
    return None
