"""The page cache's version tokens: read once per request, and a write seen at once."""

import pytest
from django.core.cache import caches

from resources.caching import (
    CATALOGUE,
    READERS,
    RequestVersionsMiddleware,
    _version_key,
    bump_version,
    versions,
)
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_reads(monkeypatch):
    """The version keys each get_many of the pages cache asked for, in order."""
    backend = type(caches["pages"])
    original = backend.get_many
    reads: list[list[str]] = []

    def get_many(self, keys, *args, **kwargs):
        asked = [key for key in keys if key.startswith("version:")]
        if asked:
            reads.append(asked)
        return original(self, keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)
    return reads


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_list_page_reads_each_version_token_once(client, version_reads, signed_in):
    ResourceFactory.create_batch(3, tags=["ntk"])
    if signed_in:
        client.force_login(UserFactory())
    client.get("/resources/?q=resource")  # tokens made, entries stored
    version_reads.clear()
    response = client.get("/resources/?q=resource")
    assert response.status_code == 200
    asked = [key for read in version_reads for key in read]
    assert sorted(set(asked)) == sorted(asked)  # no token read twice
    assert _version_key(CATALOGUE) in asked


def test_outside_a_request_every_read_goes_to_the_cache(version_reads):
    versions(CATALOGUE)
    versions(CATALOGUE)
    assert version_reads == [[_version_key(CATALOGUE)], [_version_key(CATALOGUE)]]


def test_a_bump_inside_a_request_is_what_the_rest_of_it_reads(rf, version_reads):
    seen = {}

    def view(request):
        seen["before"] = versions(CATALOGUE, READERS)
        seen["bumped"] = bump_version(CATALOGUE)
        seen["after"] = versions(CATALOGUE, READERS)
        return None

    RequestVersionsMiddleware(view)(rf.get("/"))
    assert seen["after"] == [seen["bumped"], seen["before"][1]]
    assert seen["after"][0] != seen["before"][0]
    assert len(version_reads) == 1  # the first read only
    # The next request reads the tokens afresh, and finds the bump.
    assert versions(CATALOGUE) == [seen["bumped"]]
