"""With Redis unreachable the library keeps serving, uncached; nothing queued is lost."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from resources import jobs
from resources.models import Job, JobKind
from tests.factories import ResourceFactory
from tests.ports import unused_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    unreachable = {
        "BACKEND": "resources.cache_backends.TolerantRedisCache",
        "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {name: {**unreachable, "KEY_PREFIX": name} for name in caches}
    settings.PAGE_CACHE_SECONDS = 600


def test_an_unreachable_redis_reads_as_an_empty_cache(redis_down):
    cache = caches["default"]
    cache.set("k", "v")
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    assert cache.delete("k") is False


def test_pages_are_served_fresh_while_redis_is_down(client, redis_down):
    ResourceFactory(title="Served without Redis")
    response = client.get(reverse("resources:resource-list"))
    assert response.status_code == 200
    assert "Served without Redis" in response.content.decode()
    ResourceFactory(title="Added during the outage")
    assert (
        "Added during the outage" in client.get(reverse("resources:resource-list")).content.decode()
    )


def test_jobs_are_queued_and_report_progress_while_redis_is_down(redis_down):
    job = jobs.enqueue_job(kind=JobKind.LINK_CHECK, label="Every address")
    jobs.Progress(job).start(10)
    assert Job.objects.get(pk=job.pk).task_id
    assert jobs.progress_of([job]) == {}
