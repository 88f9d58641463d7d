"""Shared test setup: fast hashing, an isolated cache, factories and the shipped library."""

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The anonymous page cache (resources/caching.py) is off unless a test turns it on, so
    # tests that change rows behind the signals' back still see fresh pages.
    settings.PAGE_CACHE_SECONDS = 0
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
    }
    cache.clear()
    caches["pages"].clear()
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
