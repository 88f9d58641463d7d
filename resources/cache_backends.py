"""The shared cache's failures, and a file cache that culls less often.

The page cache is an optimisation: when its backend (Redis) is down or unreachable, every read
is a miss and every write is dropped, so pages render uncached instead of failing
(`resources.caching.page_cache`). The outage is logged at most once a minute per process.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)

LOG_INTERVAL_SECONDS = 60


def _cache_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, OSError)
    try:
        import redis
    except ImportError:  # pragma: no cover - redis is a dependency; this keeps tooling light
        return errors
    return (*errors, redis.exceptions.RedisError)


CACHE_ERRORS = _cache_errors()
_last_logged = [0.0]


def report_unavailable(operation: str, error: BaseException) -> None:
    """Log that the cache failed, at most once a minute in this process."""
    now = time.monotonic()
    if now - _last_logged[0] >= LOG_INTERVAL_SECONDS:
        _last_logged[0] = now
        logger.warning("cache unavailable (%s), serving uncached: %s", operation, error)


def cache_is_available(cache) -> bool:
    """Whether `cache` works: a write and a read back (for /readyz)."""
    try:
        cache.set("readyz-probe", "1", 10)
        return cache.get("readyz-probe") == "1"
    except CACHE_ERRORS as error:
        report_unavailable("probe", error)
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
