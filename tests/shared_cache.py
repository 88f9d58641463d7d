"""The production cache set-up for a test: Redis behind the default and "pages" caches.

Each test gets key prefixes of its own on the test Redis database (slot 8 unless
TEST_REDIS_URL says otherwise), so parallel workers never see each other's entries, and only
those keys are removed afterwards: never `cache.clear()`, which flushes the whole database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.core.cache import caches

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def new_prefix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"dlt-test-{worker}-{uuid.uuid4().hex[:10]}"


def redis_caches(prefix: str, location: str = REDIS_URL) -> dict:
    """CACHES entries for the default and "pages" caches on Redis under `prefix`."""
    return {
        alias: {"BACKEND": REDIS_BACKEND, "LOCATION": location, "KEY_PREFIX": f"{prefix}-{alias}"}
        for alias in ("default", "pages")
    }


def keys_under(prefix: str) -> list[str]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return [key.decode() for key in client.scan_iter(match=f"{prefix}*", count=1000)]
    finally:
        client.close()


def forget_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@contextmanager
def production_cache(settings, *, location: str = REDIS_URL) -> Iterator[str]:
    """Page cache on, both caches on Redis under a fresh prefix; yields the prefix.

    The test settings' own caches are put back before the shared conftest's teardown runs,
    so its `cache.clear()` never reaches Redis.
    """
    before = settings.CACHES
    prefix = new_prefix()
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {**before, **redis_caches(prefix, location)}
    try:
        yield prefix
    finally:
        for alias in ("default", "pages"):
            caches[alias].close()
        if location == REDIS_URL:
            forget_keys(prefix)
        settings.CACHES = before
