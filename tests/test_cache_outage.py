"""A dead cache slows the site down; it never takes it down.

Both caches point at a loopback port checked to be closed (nothing listens there): every page
must still answer 200 from the database, writes must still be saved, `/readyz` stays 200 and
says in its body that the cache is unavailable, and the failure is not logged per request.
"""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    AnnotationFactory,
    AuthorFactory,
    BookmarkFactory,
    ResourceFactory,
    TopicFactory,
)
from tests.ports import unused_port
from tests.shared_cache import production_cache

pytestmark = pytest.mark.django_db

TITLE = "Outage-proof theory paper"


@pytest.fixture
def dead_cache(settings):
    with production_cache(settings, location=f"redis://127.0.0.1:{unused_port()}/0"):
        yield


@pytest.fixture
def catalogue(db):
    topic = TopicFactory(slug="outage")
    author = AuthorFactory(name="Olga Outage", slug="olga-outage")
    resource = ResourceFactory(title=TITLE, topic=topic, tags=["ntk"], authors=[author])
    AnnotationFactory(resource=resource, body="A public note survives", is_public=True)
    BookmarkFactory(resource=resource)
    return resource


PAGES = [
    "/",
    "/resources/",
    "/resources/?q=outage",
    "/resources/?kind=paper&tag=ntk",
    "/resources/{pk}/",
    "/topics/outage/",
    "/tags/",
    "/tags/ntk/",
    "/authors/",
    "/authors/olga-outage/",
    "/api/resources/",
    "/api/resources/{pk}/",
    "/api/topics/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_answers_from_the_database_when_the_cache_is_down(
    catalogue, dead_cache, url
):
    client = Client()
    for _ in range(2):  # a miss, then what would have been a hit
        response = client.get(url.format(pk=catalogue.pk))
        assert response.status_code == 200
    # A search marks its terms in the title (<mark>Outage</mark>-proof …); the lists of tags,
    # authors and topics name no resource.
    text = re.sub(r"</?mark>", "", response.content.decode())
    assert TITLE in text or url in ("/tags/", "/authors/", "/api/topics/")


@pytest.mark.parametrize("url", ["/library/", "/resources/", "/resources/{pk}/", "/tags/ntk/"])
def test_signed_in_pages_answer_when_the_cache_is_down(personas, catalogue, dead_cache, url):
    BookmarkFactory(user=personas["owner"], resource=catalogue, status="reading")
    client = Client()
    client.force_login(personas["owner"])
    response = client.get(url.format(pk=catalogue.pk))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_a_reader_can_bookmark_and_write_a_note_when_the_cache_is_down(
    personas, catalogue, dead_cache
):
    client = Client()
    client.force_login(personas["stranger"])
    url = reverse("resources:bookmark", args=[catalogue.pk])
    assert client.post(url, {"action": "add"}).status_code == 302
    create = reverse("resources:annotation-create", args=[catalogue.pk])
    response = client.post(create, {"body": "Written during the outage", "is_public": "on"})
    assert response.status_code == 302
    assert TITLE in client.get("/library/").content.decode()
    assert (
        "Written during the outage" in Client().get(catalogue.get_absolute_url()).content.decode()
    )


def test_a_curator_can_edit_the_catalogue_when_the_cache_is_down(personas, catalogue, dead_cache):
    client = Client()
    client.force_login(personas["curator"])
    data = {
        "action": "add_tags",
        "_selected_action": [catalogue.pk],
        "apply": "1",
        "tags": "added-in-outage",
    }
    assert client.post(reverse("admin:resources_resource_changelist"), data).status_code == 302
    assert "added-in-outage" in Client().get("/tags/").content.decode()


def test_readyz_stays_ready_and_reports_the_cache_unavailable(catalogue, dead_cache):
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.content.decode().lower()
    assert re.search(r"cache\W{0,6}(unavailable|down|unreachable)", body), body


def test_readyz_reports_a_working_cache_as_available(catalogue, settings):
    with production_cache(settings):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert "unavailable" not in response.content.decode().lower()


def test_the_outage_is_logged_once_not_per_request(catalogue, dead_cache, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            assert client.get("/resources/").status_code == 200
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 1


def test_the_file_cache_reads_back_what_it_wrote_and_what_django_wrote(tmp_path):
    """Entries are written at zlib's fastest level; ones written by Django's own file cache
    (level 6) still read back."""
    from django.core.cache.backends.filebased import FileBasedCache

    from resources.cache_backends import FileCache

    ours = FileCache(str(tmp_path), {})
    djangos = FileBasedCache(str(tmp_path), {})
    page = ("<p>深度学习</p>" * 2000, {"Content-Type": "text/html; charset=utf-8"})
    ours.set("ours", page, 60)
    djangos.set("django's", page, 60)
    assert ours.get("ours") == page
    assert ours.get("django's") == page
    assert djangos.get("ours") == page
