"""Django's Redis cache, made to ride out a Redis outage (settings.py uses it for REDIS_URL).

Everything kept in Redis here can be rebuilt: cached pages and rows, the catalogue version,
running jobs' progress. While Redis cannot be reached the cache reads as empty and writes are
dropped, so pages are rendered afresh (slower) instead of failing; sessions and the job queue
live in the database and are not affected. A warning is logged at most every ten seconds.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _tolerant(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            global _last_warning
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                if time.monotonic() - _last_warning > 10:
                    _last_warning = time.monotonic()
                    logger.warning("Redis unreachable, cache bypassed: %s", error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


class TolerantRedisCache(RedisCache):
    get = _tolerant(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    add = _tolerant(False)(RedisCache.add)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant([])(RedisCache.set_many)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    clear = _tolerant(False)(RedisCache.clear)
