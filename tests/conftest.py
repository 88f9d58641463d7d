"""Shared test setup: fast hashing, an isolated cache, factories and the shipped library."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command

# Read before any test overrides them: REDIS_URL set in the environment gives Redis here.
PRODUCTION_CACHES = dict(django_settings.CACHES)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The production cache configuration is ON for every test (a test may turn it off with
    # `settings.PAGE_CACHE_SECONDS = 0`, never the other way round): the shared page cache is
    # the production file cache, in a folder of this test's own, so xdist workers and tests
    # never share entries; the default cache is this process's memory, emptied per test.
    settings.PAGE_CACHE_SECONDS = 600
    pages = dict(PRODUCTION_CACHES["pages"])
    if "Redis" in pages["BACKEND"]:
        pages["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    else:
        pages["LOCATION"] = str(tmp_path / "page-cache")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"default-{tmp_path}",
        },
        "pages": pages,
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db):
    """The shipped, curated library (fixtures/library.json) loaded into the test database."""
    call_command("load_library", verbosity=0)


# Readers' library: the four people every isolation test asks about ---------------------------


@pytest.fixture
def personas(db):
    """anonymous (None), the owner of the rows under test, another reader, and a curator."""
    from tests.factories import CuratorFactory, UserFactory

    return {
        "anonymous": None,
        "owner": UserFactory(username="owner"),
        "stranger": UserFactory(username="stranger"),
        "curator": CuratorFactory(username="curator"),
    }


@pytest.fixture
def client_as(client, personas):
    """`client_as("stranger")`: the test client logged in as that persona (or anonymous)."""

    def login(persona: str):
        user = personas[persona]
        if user is not None:
            client.force_login(user)
        return client

    return login
