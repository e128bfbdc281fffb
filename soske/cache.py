"""The cache on Redis, degrading instead of failing when Redis is down.

The cache holds nothing that must survive (allauth's rate-limit counters): with Redis
unreachable a read answers "not cached", a write is dropped (add() reports success, so
a lock taken with it is granted) and a warning is logged: signing in keeps working,
with rate limits off until Redis is back.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One warning per this many seconds: a dead Redis must not flood the log.
WARN_EVERY = 60.0


class ResilientRedisCache(RedisCache):
    _last_warning = float("-inf")

    def _degraded(self, operation, exc, fallback):
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY:
            ResilientRedisCache._last_warning = now
            logger.warning(
                "Cache (Redis) unavailable, %s skipped; rate limits are off until it is back: %r",
                operation,
                exc,
            )
        return fallback

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            return self._degraded("get", exc, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            return self._degraded("get_many", exc, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            return self._degraded("has_key", exc, False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            # True, as if stored: allauth takes its rate-limit lock with add() and, told
            # False, waits for the lock and then refuses the request (429).
            return self._degraded("add", exc, True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as exc:
            return self._degraded("set", exc, None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            return self._degraded("set_many", exc, list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            return self._degraded("touch", exc, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            return self._degraded("delete", exc, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as exc:
            return self._degraded("delete_many", exc, None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            # Django's contract: a missing key raises ValueError; callers handle that.
            self._degraded("incr", exc, None)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from exc

    def clear(self):
        try:
            return super().clear()
        except RedisError as exc:
            return self._degraded("clear", exc, False)
