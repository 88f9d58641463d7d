"""List rows' bodies, kept in each server process's memory (resources/row_bodies.py).

A body is keyed on everything it is rendered from, so after any change the next page shows
the change, for visitors and readers alike, and redraws only the rows whose resource changed;
with caching off every body is drawn.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.autoreload import file_changed
from taggit.models import Tag

from resources.models import Author, Kind, Resource, Topic
from resources.row_bodies import loaded_state, row_bodies
from tests.factories import AuthorFactory, BookmarkFactory, ResourceFactory

pytestmark = pytest.mark.django_db

ROW_BODY = "resources/includes/_resource_row_body.html"


@contextmanager
def bodies_drawn() -> Iterator[list[str]]:
    """The titles of the row bodies rendered inside the block (the Jinja2 backend sends no
    template_rendered signal, so the body template's render is watched instead)."""
    drawn: list[str] = []
    template = get_template(ROW_BODY, using="jinja2").template
    render = type(template).render

    def record(self, *args, **kwargs):
        if self is template:
            drawn.append(args[0]["resource"].title)
        return render(self, *args, **kwargs)

    with mock.patch.object(type(template), "render", record):
        yield drawn


@pytest.fixture
def rows():
    author = AuthorFactory(name="Ada Lovelace", slug="ada-lovelace")
    return [
        ResourceFactory(
            title=f"Row body {n}",
            venue="NeurIPS",
            description="Margins of deep networks.",
            tags=["kernels"],
            authors=[author],
        )
        for n in range(5)
    ]


# A visitor and a signed-in reader (conftest's personas).
CLIENTS = pytest.mark.parametrize("persona", ["anonymous", "stranger"])


def listing(client: Client, url: str = "/resources/", **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


@CLIENTS
def test_a_first_render_after_an_edit_redraws_only_the_edited_row(rows, client_as, persona):
    client = client_as(persona)
    with bodies_drawn() as drawn:
        listing(client)
    assert sorted(drawn) == sorted(row.title for row in rows)

    rows[2].title = "Row body, retitled"
    rows[2].save()  # retires the cached page and the signed-in rows
    with bodies_drawn() as drawn:
        html = listing(client)
    assert drawn == ["Row body, retitled"]
    assert "Row body, retitled" in html and "Row body 2<" not in html
    assert all(row.title in html for row in rows if row.pk != rows[2].pk)


def test_with_caching_off_every_body_is_drawn(rows, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    listing(client)
    with bodies_drawn() as drawn:
        listing(client)
    assert len(drawn) == len(rows)


def rename_topic(resource):
    # Renamed without a signal: the row's own save is what retires the cached pages.
    Topic.objects.filter(pk=resource.topic_id).update(name="Renamed topic", slug="renamed-topic")
    resource.save()
    return ["Renamed topic", "/topics/renamed-topic/"]


def rename_author(resource):
    author = Author.objects.get(slug="ada-lovelace")
    author.name, author.slug = "Augusta Ada King", "augusta-ada-king"
    author.save()
    return ["Augusta Ada King", "/authors/augusta-ada-king/"]


def rename_tag(resource):
    tag = Tag.objects.get(name="kernels")
    tag.name, tag.slug = "kernel methods", "kernel-methods"
    tag.save()
    return ["kernel methods", "/tags/kernel-methods/"]


def feature(resource):
    resource.is_featured = True
    resource.save()
    return ['class="featured-mark"']


def move_venue(resource):
    resource.venue = "ICML"
    resource.save()
    return ["ICML"]


def change_kind_and_year(resource):
    resource.kind, resource.year = Kind.BOOK, 1999
    resource.save()
    return [">Book<", ">1999<"]


CHANGES = [rename_topic, rename_author, rename_tag, feature, move_venue, change_kind_and_year]


@pytest.mark.parametrize("change", CHANGES)
@CLIENTS
def test_whatever_a_body_shows_shows_changed_on_the_next_request(rows, client_as, persona, change):
    client = client_as(persona)
    for _ in range(2):
        listing(client)
    expected = change(rows[0])
    html = listing(client)
    for text in expected:
        assert text in html, text


def test_a_url_a_body_links_to_follows_a_slug_changed_alone(rows):
    """A slug is loaded with the tag but not in Tag's repr: the key must hold it all the same."""
    client = Client()
    listing(client)
    Tag.objects.filter(name="kernels").update(slug="kernels-renamed")
    rows[0].save()
    html = listing(client)
    assert "/tags/kernels-renamed/" in html and "/tags/kernels/" not in html


@CLIENTS
def test_a_search_snippet_follows_the_description(rows, client_as, persona):
    client = client_as(persona)
    assert "deep networks" in listing(client, "/resources/?q=margins")
    rows[0].description = "Margins and flat minima."
    rows[0].save()
    assert "flat minima" in listing(client, "/resources/?q=margins")


def loaded(rows) -> list[Resource]:
    return list(Resource.objects.for_rows().filter(pk__in=[row.pk for row in rows]))


def test_each_language_and_each_search_has_bodies_of_its_own(rows):
    with translation.override("en"):
        english = row_bodies(loaded(rows), [], keep=True)
    with translation.override("zh-hans"):
        chinese = row_bodies(loaded(rows), [], keep=True)
    assert all(">Paper<" in body for body in english)
    assert all(">论文<" in body and ">Paper<" not in body for body in chinese)
    with translation.override("en"):
        marked = row_bodies(loaded(rows), ["body"], keep=True)
        unmarked = row_bodies(loaded(rows), [], keep=True)
    assert all("<mark>" in body for body in marked)
    assert not any("<mark>" in body for body in unmarked)


def test_drawing_a_body_reads_nothing_the_row_did_not_load(rows, django_assert_num_queries):
    rows_loaded = loaded(rows)
    with django_assert_num_queries(0):
        bodies = row_bodies(rows_loaded, ["margins"], keep=True)
    assert all("search-snippet" in body for body in bodies)


def test_a_body_that_read_the_database_is_not_kept(rows, caplog):
    def loaded_without_venue():
        return list(Resource.objects.for_rows().defer("venue").filter(pk__in=[r.pk for r in rows]))

    row_bodies(loaded_without_venue(), [], keep=True)
    assert "bodies not kept" in caplog.text
    with bodies_drawn() as drawn:
        bodies = row_bodies(loaded_without_venue(), [], keep=True)
    assert len(drawn) == len(rows)
    assert all("NeurIPS" in body for body in bodies)


def test_a_template_change_in_development_empties_the_memory(rows):
    row_bodies(loaded(rows), [], keep=True)
    file_changed.send(sender=None, file_path=Path("templates/x.html"))
    with bodies_drawn() as drawn:
        row_bodies(loaded(rows), [], keep=True)
    assert len(drawn) == len(rows)


def test_a_row_loaded_twice_has_one_state_and_a_count_is_part_of_it(rows):
    def fetch():
        return Resource.objects.for_rows().get(pk=rows[0].pk)

    assert loaded_state(fetch()) == loaded_state(fetch())
    before = loaded_state(fetch())
    BookmarkFactory(resource=rows[0])
    assert loaded_state(fetch()) != before


def test_a_state_holds_the_objects_loaded_with_the_row(rows):
    resource = Resource.objects.for_rows().get(pk=rows[0].pk)
    state = repr(loaded_state(resource))
    for text in ("Ada Lovelace", "ada-lovelace", "kernels", resource.topic.slug, "NeurIPS"):
        assert text in state, text


def test_a_body_drawn_under_another_url_prefix_is_drawn_for_it(rows):
    plain = row_bodies(loaded(rows), [], keep=True)
    before = get_script_prefix()
    set_script_prefix("/dlt/")
    try:
        prefixed = row_bodies(loaded(rows), [], keep=True)
    finally:
        set_script_prefix(before)
    assert all('href="/resources/' in body for body in plain)
    assert all('href="/dlt/resources/' in body for body in prefixed)


@pytest.mark.parametrize(
    ("kept", "backend"),
    [("0", "django.core.cache.backends.dummy.DummyCache"), ("25", "locmem.LocMemCache 25")],
)
def test_row_bodies_kept_sets_how_many_each_process_keeps(kept, backend):
    show = (
        "from django.conf import settings; c = settings.CACHES['row-bodies']; "
        "print(c['BACKEND'].replace('django.core.cache.backends.', '') "
        "+ ''.join(f' {n}' for n in c.get('OPTIONS', {}).values()))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dlt_library.settings", "ROW_BODIES_KEPT": kept}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend.replace("django.core.cache.backends.", "")
