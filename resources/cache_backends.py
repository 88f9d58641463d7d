"""Cache backends for the shared page cache: Redis the site survives losing, and files.

The page cache is an optimisation: when Redis is down or unreachable, every read is a miss and
every write is dropped, so pages render uncached instead of failing. The outage is logged at
most once a minute per process, not once per request.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

LOG_INTERVAL_SECONDS = 60


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering a miss (or doing nothing) while Redis cannot be reached."""

    _last_logged = 0.0

    def _unavailable(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_INTERVAL_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("cache unavailable (%s), serving uncached: %s", operation, error)

    def is_available(self) -> bool:
        """True when Redis answers a ping (for /readyz)."""
        try:
            return bool(self._cache.get_client().ping())
        except _redis_errors() as error:
            self._unavailable("ping", error)
            return False


def _resilient(name: str, fallback):
    method = getattr(RedisCache, name)

    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _redis_errors() as error:
            self._unavailable(name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    return call


def _default(key, default=None, *args, **kwargs):
    return default


for _name, _fallback in {
    "add": False,
    "get": _default,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": lambda *args, **kwargs: {},
    "has_key": False,
    "set_many": lambda data, *args, **kwargs: list(data),
    "delete_many": None,
    "clear": None,
}.items():
    setattr(ResilientRedisCache, _name, _resilient(_name, _fallback))


def cache_is_available(cache) -> bool:
    """Whether `cache` works: a ping for Redis, a write and read back for the others."""
    check = getattr(cache, "is_available", None)
    if check is not None:
        return check()
    try:
        cache.set("readyz-probe", "1", 10)
        return cache.get("readyz-probe") == "1"
    except Exception:  # noqa: BLE001 - any failure of the backend means unavailable
        return False


class FileCache(FileBasedCache):
    """Django's file cache, culling on one write in `CULL_EVERY` rather than on every write:
    each cull lists the whole cache folder."""

    CULL_EVERY = 100
    _writes = 0

    def _cull(self) -> None:
        FileCache._writes += 1
        if FileCache._writes % self.CULL_EVERY == 0:
            super()._cull()
