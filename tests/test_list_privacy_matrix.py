"""Every list, detail and API page, warmed by one reader, shows nothing of theirs to anyone else.

Black-box, with the production cache on (Redis, page cache 600 s): reader A ("owner") has
bookmarks with statuses and ratings, a private note, a public note, a suggestion and an API
token. Each page is fetched by A first (twice, so any cache is warm), then by another reader,
an anonymous visitor and a curator; and the other way round, A must still see their own data
on a page someone else warmed.
"""

import json
import re
from html import unescape

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from resources.models import ReadingStatus
from tests.factories import (
    AnnotationFactory,
    AuthorFactory,
    BookmarkFactory,
    ResourceFactory,
    SuggestionFactory,
    TopicFactory,
)
from tests.shared_cache import production_cache

pytestmark = pytest.mark.django_db

PRIVATE_NOTE = "PRIVATE-NOTE-9c41e"
PUBLIC_NOTE = "PUBLIC-NOTE-5b7d2"
OWN_SUGGESTION = "OWNERS-SUGGESTION-3e8f"
JSON = {"accept": "application/json"}
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def shared_cache(settings):
    with production_cache(settings) as prefix:
        yield prefix


@pytest.fixture
def world(personas):
    owner = personas["owner"]
    topic = TopicFactory(name="Kernel theory", slug="kernel-theory")
    author = AuthorFactory(name="Ada Matrix", slug="ada-matrix")
    shelved = [
        ResourceFactory(
            title=f"Learning dynamics shelved {n}", topic=topic, tags=["ntk"], authors=[author]
        )
        for n in range(3)
    ]
    ResourceFactory.create_batch(3, topic=topic, tags=["ntk"], authors=[author], kind="book")
    first = BookmarkFactory(user=owner, resource=shelved[0], status=ReadingStatus.READING, rating=4)
    BookmarkFactory(user=owner, resource=shelved[1], status=ReadingStatus.DONE, rating=5)
    BookmarkFactory(user=owner, resource=shelved[2], status=ReadingStatus.TO_READ)
    note = AnnotationFactory(user=owner, resource=shelved[0], body=f"{PRIVATE_NOTE} mine alone")
    AnnotationFactory(user=owner, resource=shelved[0], body=f"{PUBLIC_NOTE} all", is_public=True)
    suggestion = SuggestionFactory(user=owner, title=OWN_SUGGESTION, topic=topic)
    return {
        "owner": owner,
        "shelved": shelved,
        "token": Token.objects.create(user=owner).key,
        "ids": {
            "r0": shelved[0].pk,
            "r1": shelved[1].pk,
            "note": note.pk,
            "suggestion": suggestion.pk,
            "bookmark": first.pk,
        },
    }


# (address, request headers, whose page it is). "shelf": the rows are A's own shelf, so any
# of A's resources appearing there for someone else is a leak. "owner-only": an object of A's
# that anyone else must get as a 404 (or a log-in redirect when anonymous).
PAGES = [
    ("/", {}, "public"),
    ("/resources/", {}, "public"),
    ("/resources/?kind=paper", {}, "public"),
    ("/resources/?tag=ntk&sort=-year", {}, "public"),
    ("/resources/?q=learning", {}, "public"),
    ("/resources/?q=learning&page=1", {}, "public"),
    ("/resources/?tag=ntk", HTMX, "public"),
    ("/topics/kernel-theory/", {}, "public"),
    ("/tags/", {}, "public"),
    ("/tags/ntk/", {}, "public"),
    ("/authors/", {}, "public"),
    ("/authors/?q=ada", {}, "public"),
    ("/authors/ada-matrix/", {}, "public"),
    ("/resources/{r0}/", {}, "public"),
    ("/resources/{r1}/", {}, "public"),
    ("/library/", {}, "shelf"),
    ("/library/?status=reading", {}, "shelf"),
    ("/library/?q=learning", {}, "shelf"),
    ("/library/?tag=ntk&kind=paper", {}, "shelf"),
    ("/library/", HTMX, "shelf"),
    ("/suggestions/", {}, "shelf"),
    ("/suggest/", {}, "public"),
    ("/accounts/profile/", {}, "shelf"),
    ("/suggestions/{suggestion}/", {}, "owner-only"),
    ("/notes/{note}/edit/", {}, "owner-only"),
    ("/api/resources/", JSON, "public"),
    ("/api/resources/", {"accept": "text/html"}, "public"),
    ("/api/resources/?tag=ntk", JSON, "public"),
    ("/api/resources/{r0}/", JSON, "public"),
    ("/api/topics/", JSON, "public"),
    ("/api/bookmarks/", JSON, "shelf"),
    ("/api/bookmarks/?status=reading", JSON, "shelf"),
    # The browsable API's form lists every resource to choose from: only statuses leak there.
    ("/api/bookmarks/", {"accept": "text/html"}, "public"),
    ("/api/annotations/", JSON, "public"),
    ("/api/annotations/?resource={r0}", JSON, "public"),
    ("/api/annotations/{note}/", JSON, "owner-only"),
    ("/api/bookmarks/{bookmark}/", JSON, "owner-only"),
]
PAGE_IDS = [f"{url} {' '.join(headers.values())}".strip() for url, headers, _ in PAGES]
OTHERS = ["stranger", "anonymous", "curator"]


def visitor(personas, persona: str) -> Client:
    """A client of its own per persona: one browser each, as in real life."""
    client = Client()
    if personas[persona] is not None:
        client.force_login(personas[persona])
    return client


def fetch(client: Client, url: str, headers: dict, world: dict):
    return client.get(url.format(**world["ids"]), headers=headers)


def leaks(response, world: dict, kind: str) -> list[str]:
    """What of A's private data the response shows (an empty list: nothing)."""
    text = response.content.decode()
    found = [
        sign
        for sign in (PRIVATE_NOTE, OWN_SUGGESTION, world["token"], "In your library")
        if sign in text
    ]
    found += re.findall(r'value="(?:reading|done|to-read|[1-5])" selected', text)
    found += re.findall(rf'title="[^"]*">{world["owner"].username}</a>', text)  # A's header
    # Bookmark fields, in JSON or in the browsable API's escaped JSON.
    found += re.findall(r'"(?:status|rating)":\s*"?(?:reading|done|to-read|4|5)\b', unescape(text))
    if kind != "public":
        # The end of each title: a search marks the words it matched at the start.
        found += [f"shelved {n}" for n in range(3) if f"shelved {n}" in text]
    return found


@pytest.mark.parametrize("persona", OTHERS)
@pytest.mark.parametrize(("url", "headers", "kind"), PAGES, ids=PAGE_IDS)
def test_a_page_warmed_by_a_reader_shows_nothing_of_theirs_to_others(
    personas, world, url, headers, kind, persona
):
    owner = visitor(personas, "owner")
    for _ in range(2):
        assert fetch(owner, url, headers, world).status_code == 200
    response = fetch(visitor(personas, persona), url, headers, world)
    assert response.status_code < 500
    assert leaks(response, world, kind) == []
    if kind == "owner-only":
        expected = {302, 401, 403, 404} if persona == "anonymous" else {404}
        assert response.status_code in expected


# What A must see of their own on a page someone else warmed first.
OWN_DATA = [
    ("/", {}, ['translate="no">owner</a>']),
    ("/resources/", {}, ["In your library: Reading", "In your library: Done"]),
    ("/resources/?q=learning", {}, ["In your library: Reading"]),
    ("/resources/?tag=ntk", HTMX, ["In your library: Reading"]),
    ("/topics/kernel-theory/", {}, ["In your library: Reading"]),
    ("/tags/ntk/", {}, ["In your library: Reading"]),
    ("/authors/ada-matrix/", {}, ["In your library: Reading"]),
    ("/tags/", {}, ['translate="no">owner</a>']),
    ("/authors/", {}, ['translate="no">owner</a>']),
    ("/resources/{r0}/", {}, [PRIVATE_NOTE, PUBLIC_NOTE, 'value="reading" selected']),
    ("/resources/{r1}/", {}, ['value="done" selected', 'value="5" selected']),
    ("/library/", {}, [f"dynamics shelved {n}" for n in range(3)]),
    ("/library/?status=reading", {}, ["dynamics shelved 0"]),
    ("/library/?q=learning", {}, [f"dynamics shelved {n}" for n in range(3)]),
    ("/suggestions/", {}, [OWN_SUGGESTION]),
    ("/api/bookmarks/", JSON, ['"count":3', '"status":"reading"']),
    ("/api/annotations/", JSON, [PRIVATE_NOTE, PUBLIC_NOTE]),
    ("/api/annotations/?resource={r0}", JSON, [PRIVATE_NOTE]),
]
OWN_IDS = [f"{url} {' '.join(headers.values())}".strip() for url, headers, _ in OWN_DATA]


@pytest.mark.parametrize("first", ["anonymous", "stranger", "curator"])
@pytest.mark.parametrize(("url", "headers", "expected"), OWN_DATA, ids=OWN_IDS)
def test_a_reader_sees_their_own_data_on_a_page_someone_else_warmed(
    personas, world, url, headers, expected, first
):
    other = visitor(personas, first)
    for _ in range(2):
        fetch(other, url, headers, world)
    response = fetch(visitor(personas, "owner"), url, headers, world)
    assert response.status_code == 200
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), separators=(",", ":"))
    assert [sign for sign in expected if sign not in text] == []


def test_my_library_lists_exactly_the_readers_own_shelf_whoever_came_first(personas, world):
    stranger, owner = visitor(personas, "stranger"), visitor(personas, "owner")
    assert stranger.get("/library/").content.decode().count('class="resource-row') == 0
    assert owner.get("/library/").content.decode().count('class="resource-row') == 3
    assert stranger.get("/library/").content.decode().count('class="resource-row') == 0


def test_the_bookmarks_api_counts_only_the_readers_own(personas, world):
    owner, curator = visitor(personas, "owner"), visitor(personas, "curator")
    assert owner.get("/api/bookmarks/", headers=JSON).json()["count"] == 3
    assert curator.get("/api/bookmarks/", headers=JSON).json()["count"] == 0
    assert owner.get("/api/bookmarks/", headers=JSON).json()["count"] == 3
