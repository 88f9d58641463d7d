"""Cached renders are per release (resources/release.py): a deploy or an edit never shows what
the previous templates and code rendered, while writes still retire every release's entries."""

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils.autoreload import file_changed

from resources import caching, listing
from resources.release import fingerprint
from resources.templatetags import layout_tags
from tests.factories import ResourceFactory


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "templates"


def test_a_fingerprint_follows_names_and_contents_and_not_where_the_tree_lies(tmp_path):
    files = {"a.html": "<p>a</p>", "sub/b.txt": "b"}
    here = tree(tmp_path / "here", files)
    there = tree(tmp_path / "there", files)
    assert fingerprint([here]) == fingerprint([there])
    (there / "sub" / "b.pyc").write_bytes(b"compiled")  # not a source of any render
    assert fingerprint([here]) == fingerprint([there])
    (there / "a.html").write_text("<p>A</p>")
    assert fingerprint([here]) != fingerprint([there])
    shutil.move(there / "sub" / "b.txt", there / "sub" / "c.txt")
    (there / "a.html").write_text("<p>a</p>")
    assert fingerprint([here]) != fingerprint([there])
    assert fingerprint([tmp_path / "missing"]) == fingerprint([])


@pytest.fixture
def release(monkeypatch):
    """Set the running release's fingerprint, as a deploy would."""

    def deploy(name: str) -> None:
        for module in (caching, listing, layout_tags):
            monkeypatch.setattr(module, "release", lambda: name)

    deploy("one")
    return deploy


@pytest.mark.django_db
def test_a_page_cached_by_one_release_is_not_served_by_the_next(release):
    ResourceFactory()
    client = Client()
    assert client.get("/resources/")["X-Page-Cache"] == "miss"
    assert client.get("/resources/")["X-Page-Cache"] == "hit"
    release("two")
    assert client.get("/resources/")["X-Page-Cache"] == "miss"
    # Back on the first release (a server not yet replaced), until a write retires it.
    release("one")
    assert client.get("/resources/")["X-Page-Cache"] == "hit"
    ResourceFactory()
    assert client.get("/resources/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_template_edit_under_the_development_server_retires_the_cached_pages():
    ResourceFactory()
    client = Client()
    client.get("/resources/")
    assert client.get("/resources/")["X-Page-Cache"] == "hit"
    file_changed.send(sender=None, file_path=Path("templates/resources/resource_list.html"))
    assert client.get("/resources/")["X-Page-Cache"] == "miss"
