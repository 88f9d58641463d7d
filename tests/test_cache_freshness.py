"""Every write shows on the next request, with the production cache (Redis, 600 s) on.

The issue's reproductions, through the real views, the admin's POSTs and the import command:
a reader's shelf is theirs alone and current; notes made private, deleted or hidden by a
curator leave the anonymous resource page; new public notes and reader counts appear; catalogue
edits, merges, imports and synonym edits change the pages and search results at once.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from resources.models import Resource, SearchSynonym
from tests.factories import (
    AnnotationFactory,
    BookmarkFactory,
    ResourceFactory,
    SuggestionFactory,
    TopicFactory,
    UserFactory,
)
from tests.shared_cache import production_cache

pytestmark = pytest.mark.django_db

ROW = 'class="resource-row'
JSON = {"accept": "application/json"}


@pytest.fixture(autouse=True)
def shared_cache(settings):
    with production_cache(settings) as prefix:
        yield prefix


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client: Client, *urls: str) -> None:
    """Fetch each page twice, so that whatever can be cached is."""
    for url in urls:
        for _ in range(2):
            page(client, url)


@pytest.fixture
def shelf():
    topic = TopicFactory(slug="dynamics")
    return [ResourceFactory(title=f"Shelf candidate {n}", topic=topic) for n in range(6)]


# My library --------------------------------------------------------------------------------


def bookmark(client: Client, resource: Resource, **fields) -> None:
    data = {"action": "add", **fields} if not fields else {"action": "save", **fields}
    response = client.post(reverse("resources:bookmark", args=[resource.pk]), data)
    assert response.status_code == 302


def test_bob_never_sees_alices_shelf_and_alice_sees_her_fourth_bookmark_at_once(personas, shelf):
    alice, bob = signed_in(personas["owner"]), signed_in(personas["stranger"])
    for resource in shelf[:3]:
        bookmark(alice, resource)
    assert page(alice, "/library/").count(ROW) == 3
    bobs = page(bob, "/library/")
    assert bobs.count(ROW) == 0
    assert "Shelf candidate" not in bobs
    bookmark(alice, shelf[3])
    api_count = alice.get("/api/bookmarks/", headers=JSON).json()["count"]
    assert api_count == 4
    assert page(alice, "/library/").count(ROW) == api_count
    assert page(bob, "/library/").count(ROW) == 0


def test_a_removed_bookmark_and_a_changed_status_show_in_my_library_at_once(personas, shelf):
    alice = signed_in(personas["owner"])
    for resource in shelf[:3]:
        bookmark(alice, resource)
    warm(alice, "/library/", "/library/?status=done")
    alice.post(reverse("resources:bookmark", args=[shelf[0].pk]), {"action": "remove"})
    assert page(alice, "/library/").count(ROW) == 2
    bookmark(alice, shelf[1], status="done", rating="4")
    done = page(alice, "/library/?status=done")
    assert done.count(ROW) == 1 and "Shelf candidate 1" in done


def test_two_readers_filtering_their_shelves_alike_each_get_their_own(personas, shelf):
    alice, bob = signed_in(personas["owner"]), signed_in(personas["stranger"])
    bookmark(alice, shelf[0], status="reading")
    bookmark(bob, shelf[1], status="reading")
    bobs = page(bob, "/library/?status=reading&sort=title")
    alices = page(alice, "/library/?status=reading&sort=title")
    assert "Shelf candidate 1" in bobs and "Shelf candidate 0" not in bobs
    assert "Shelf candidate 0" in alices and "Shelf candidate 1" not in alices


# Notes on the anonymous resource page ------------------------------------------------------

NOTE = "ANONYMOUS-SEES-THIS-4d2c"


def make_private_by_author(note, personas) -> None:
    url = reverse("resources:annotation-edit", args=[note.pk])
    assert signed_in(note.user).post(url, {"body": note.body}).status_code == 302


def delete_by_author(note, personas) -> None:
    url = reverse("resources:annotation-delete", args=[note.pk])
    assert signed_in(note.user).post(url).status_code == 302


def hide_by_curator(note, personas) -> None:
    data = {"action": "make_private", "_selected_action": [note.pk], "index": 0}
    curator = signed_in(personas["curator"])
    response = curator.post(reverse("admin:resources_annotation_changelist"), data)
    assert response.status_code == 302


@pytest.mark.parametrize("retire", [make_private_by_author, delete_by_author, hide_by_curator])
def test_a_note_taken_off_the_page_leaves_the_anonymous_page_at_once(personas, retire):
    note = AnnotationFactory(user=personas["owner"], body=f"{NOTE} a public note", is_public=True)
    url = note.resource.get_absolute_url()
    anonymous = Client()
    warm(anonymous, url, f"/api/annotations/?resource={note.resource_id}")
    assert NOTE in page(anonymous, url)
    retire(note, personas)
    assert NOTE not in page(anonymous, url)
    assert NOTE not in page(anonymous, f"/api/annotations/?resource={note.resource_id}")
    assert NOTE not in page(signed_in(personas["stranger"]), url)


def test_a_new_public_note_appears_on_the_anonymous_page_and_a_private_one_does_not(personas):
    resource = ResourceFactory()
    anonymous, author = Client(), signed_in(personas["owner"])
    warm(anonymous, resource.get_absolute_url())
    create = reverse("resources:annotation-create", args=[resource.pk])
    author.post(create, {"body": f"{NOTE} shared", "is_public": "on"})
    author.post(create, {"body": "PRIVATE-STAYS-HIDDEN-71ab"})
    html = page(anonymous, resource.get_absolute_url())
    assert f"{NOTE} shared" in html
    assert "PRIVATE-STAYS-HIDDEN-71ab" not in html


# Reader counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "signed in"])
@pytest.mark.parametrize("where", ["detail", "/resources/", "/topics/dynamics/"])
def test_reader_counts_follow_bookmarks_at_once(personas, shelf, where, viewer):
    resource = shelf[0]
    BookmarkFactory(resource=resource)  # one reader already
    url = resource.get_absolute_url() if where == "detail" else where
    # A signed-in reader's list rows come from an entry shared by every signed-in reader.
    looking = Client() if viewer == "anonymous" else signed_in(UserFactory())
    warm(looking, url)
    assert "1 reader" in page(looking, url)
    bookmark(signed_in(personas["stranger"]), resource)
    assert "2 readers" in page(looking, url)
    signed_in(personas["stranger"]).post(
        reverse("resources:bookmark", args=[resource.pk]), {"action": "remove"}
    )
    html = page(looking, url)
    assert "1 reader" in html and "2 readers" not in html


# Catalogue edits in the admin, merges, imports, synonyms -----------------------------------


def admin_form_data(client: Client, url: str) -> dict:
    """What a browser posts back for the admin change form as it stands (no inline rows)."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) if name == "tags" else list(value)
        data[name] = value
    for inline in ("authorships", "links"):
        data.update({f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0})
    return data


PUBLIC_PAGES = ["/", "/resources/", "/topics/dynamics/", "/api/resources/"]


def test_a_title_and_tags_edited_in_the_admin_show_everywhere_at_once(personas, shelf):
    resource = shelf[0]
    resource.is_featured = True  # on the front page too
    resource.save()
    anonymous, reader = Client(), signed_in(personas["stranger"])
    detail = resource.get_absolute_url()
    searches = ["/resources/?q=candidate", "/resources/?q=zetetic"]
    for client in (anonymous, reader):
        warm(client, detail, *PUBLIC_PAGES, *searches, "/tags/", "/resources/?tag=fresh-tag")
    curator = signed_in(personas["curator"])
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    data = admin_form_data(curator, url)
    data.update({"title": "Renamed zetetic entry", "tags": "fresh-tag"})
    assert curator.post(url, data).status_code == 302
    for client in (anonymous, reader):
        for address in (detail, *PUBLIC_PAGES):
            html = page(client, address)
            assert "Renamed zetetic entry" in html, address
            assert "Shelf candidate 0" not in html, address
        assert page(client, "/resources/?q=candidate").count(ROW) == len(shelf) - 1
        assert page(client, "/resources/?q=zetetic").count(ROW) == 1
        assert "fresh-tag" in page(client, "/tags/")
        assert page(client, "/resources/?tag=fresh-tag").count(ROW) == 1
        assert "Renamed zetetic entry" in page(client, "/tags/fresh-tag/")


def test_tags_added_with_the_admin_action_show_at_once(personas, shelf):
    anonymous = Client()
    warm(anonymous, "/tags/", "/resources/?tag=bulk-added")
    curator = signed_in(personas["curator"])
    data = {
        "action": "add_tags",
        "_selected_action": [r.pk for r in shelf[:2]],
        "apply": "1",
        "tags": "bulk-added",
    }
    curator.post(reverse("admin:resources_resource_changelist"), data)
    assert "bulk-added" in page(anonymous, "/tags/")
    assert page(anonymous, "/resources/?tag=bulk-added").count(ROW) == 2


def test_a_merge_in_the_admin_shows_at_once_and_moves_the_readers_bookmarks(personas, shelf):
    keep, duplicate = shelf[0], shelf[1]
    BookmarkFactory(user=personas["owner"], resource=duplicate)
    anonymous, alice = Client(), signed_in(personas["owner"])
    warm(anonymous, "/resources/", duplicate.get_absolute_url(), keep.get_absolute_url())
    warm(alice, "/resources/", "/library/")
    curator = signed_in(personas["curator"])
    merge = reverse("admin:resources_resource_merge")
    response = curator.post(merge, {"ids": f"{keep.pk},{duplicate.pk}", "keep": keep.pk})
    assert response.status_code == 302
    assert anonymous.get(duplicate.get_absolute_url()).status_code == 404
    assert page(anonymous, "/resources/").count(ROW) == len(shelf) - 1
    assert "1 reader" in page(anonymous, keep.get_absolute_url())
    library = page(alice, "/library/")
    assert library.count(ROW) == 1 and "Shelf candidate 0" in library


def test_an_import_shows_its_new_entries_at_once(personas, tmp_path):
    anonymous, reader = Client(), signed_in(personas["stranger"])
    for client in (anonymous, reader):
        warm(client, "/", "/resources/", "/resources/?q=imported")
    source = tmp_path / "list.md"
    source.write_text(
        "# Imported list\n## Imported topic\n"
        "1. [Freshly imported theory paper](https://example.org/fresh-import)(2024)\n",
        encoding="utf-8",
    )
    call_command("import_markdown", str(source), verbosity=0)
    for client in (anonymous, reader):
        assert "Freshly imported theory paper" in page(client, "/resources/")
        assert page(client, "/resources/?q=imported").count(ROW) == 1


def test_a_suggestion_accepted_in_the_admin_appears_in_the_catalogue_at_once(personas, shelf):
    suggestion = SuggestionFactory(title="Suggested and accepted paper", topic=shelf[0].topic)
    anonymous, reader = Client(), signed_in(personas["stranger"])
    for client in (anonymous, reader):
        warm(client, "/resources/", "/topics/dynamics/")
    curator = signed_in(personas["curator"])
    data = {"action": "accept_suggestions", "_selected_action": [suggestion.pk], "index": 0}
    curator.post(reverse("admin:resources_suggestion_changelist"), data)
    for client in (anonymous, reader):
        for url in ("/resources/", "/topics/dynamics/"):
            assert "Suggested and accepted paper" in page(client, url), url


SYNONYMS = reverse("admin:resources_searchsynonym_add")


def test_a_synonym_added_in_the_admin_changes_search_results_at_once(personas, shelf):
    anonymous, reader = Client(), signed_in(personas["stranger"])
    search = "/resources/?q=zorblaxian"
    for client in (anonymous, reader):
        warm(client, search, "/api/resources/?q=zorblaxian")
        assert page(client, search).count(ROW) == 0
    curator = signed_in(personas["curator"])
    response = curator.post(SYNONYMS, {"terms": "zorblaxian, shelf candidate", "note": ""})
    assert response.status_code == 302
    for client in (anonymous, reader):
        assert page(client, search).count(ROW) == len(shelf)
        assert client.get("/api/resources/?q=zorblaxian", headers=JSON).json()["count"] == 6


def test_a_synonym_deleted_in_the_admin_stops_matching_at_once(personas, shelf):
    curator = signed_in(personas["curator"])
    curator.post(SYNONYMS, {"terms": "quuxotic, shelf candidate", "note": ""})
    anonymous = Client()
    warm(anonymous, "/resources/?q=quuxotic")
    assert page(anonymous, "/resources/?q=quuxotic").count(ROW) == len(shelf)
    synonym = SearchSynonym.objects.get(terms__startswith="quuxotic")
    delete = reverse("admin:resources_searchsynonym_delete", args=[synonym.pk])
    assert curator.post(delete, {"post": "yes"}).status_code == 302
    assert page(anonymous, "/resources/?q=quuxotic").count(ROW) == 0


def test_a_signed_in_readers_own_row_status_follows_their_bookmark(personas, shelf):
    reader = signed_in(UserFactory())
    warm(reader, "/resources/", "/topics/dynamics/")
    bookmark(reader, shelf[0], status="reading")
    for url in ("/resources/", "/topics/dynamics/"):
        assert "In your library: Reading" in page(reader, url)
