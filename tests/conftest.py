"""Shared test setup: fast hashing, an isolated cache, factories and the shipped library."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.management import call_command

# Read before any test overrides them: REDIS_URL set in the environment gives Redis here.
PRODUCTION_CACHES = dict(django_settings.CACHES)


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The Chinese catalogue compiled from the committed .po, as `make install` does, when the
    .mo is missing or older (a run of pytest straight after a checkout or an edit of the .po)."""
    po = django_settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if shutil.which("msgfmt") and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        # Written aside and moved into place: xdist workers may do this at the same moment.
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        subprocess.run(["msgfmt", "--check", "-o", str(partial), str(po)], check=True)
        os.replace(partial, mo)
        import gettext

        from django.utils.translation import trans_real

        # Catalogues read before the .mo existed are forgotten, so the new one is read: Django's
        # and the gettext module's own cache, which keeps the old file by its path.
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The production cache configuration is ON for every test, as in production (a single test
    # may switch the page cache off for itself, never the other way round): the shared page cache is
    # the production file cache, in a folder of this test's own, so xdist workers and tests
    # never share entries; the default cache is this process's memory, emptied per test.
    settings.PAGE_CACHE_SECONDS = 600
    pages = dict(PRODUCTION_CACHES["pages"])
    if "Redis" in pages["BACKEND"]:
        pages["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    else:
        pages["LOCATION"] = str(tmp_path / "page-cache")
    # The site is Chinese first, but most tests read the English source strings: a client that
    # sends no Accept-Language gets English here. tests/test_i18n.py checks the real default.
    settings.LANGUAGE_CODE = "en"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"default-{tmp_path}",
        },
        "pages": pages,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
    }
    # Row bodies live in this process's memory under keys made of what they show; emptied per
    # test all the same, so that no test's outcome depends on which tests ran before it.
    caches["row-bodies"].clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_worker(monkeypatch):
    """`run_worker()` runs the background worker in this process until the queue is empty.

    The worker closes stale connections between jobs, as a long-lived process must; here that
    would close the connection holding the test's transaction, so it is left open.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        call_command("run_worker", "--batch", verbosity=0)

    return run


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
def shelved(personas):
    """The owner has bookmarked one resource, to read."""
    from resources.models import ReadingStatus
    from tests.factories import BookmarkFactory

    return BookmarkFactory(user=personas["owner"], status=ReadingStatus.TO_READ)


@pytest.fixture
def client_as(client, personas):
    """`client_as("stranger")`: the test client logged in as that persona (or anonymous)."""

    def login(persona: str):
        user = personas[persona]
        if user is not None:
            client.force_login(user)
        return client

    return login
