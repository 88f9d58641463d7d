"""The anonymous page cache: served from cache, never for signed-in readers, always fresh."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse

from resources.caching import bump_catalogue_version, catalogue_version
from resources.models import ReadingStatus, Resource, Topic
from tests.factories import (
    AuthorFactory,
    BookmarkFactory,
    ResourceFactory,
    ResourceLinkFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/resources/"


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(
    client, django_assert_num_queries
):
    ResourceFactory(title="Spectral bias")
    first = client.get(LIST)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(LIST)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Spectral bias" in second.content.decode()


def test_each_address_and_language_is_cached_apart(client):
    ResourceFactory(kind="paper", title="A paper")
    ResourceFactory(kind="book", title="A book")
    client.get(LIST)
    books = client.get(LIST, {"kind": "book"})
    assert books["X-Page-Cache"] == "miss"
    assert "A paper" not in books.content.decode()
    chinese = client.get(LIST, headers={"accept-language": "zh-hans"})
    assert chinese["X-Page-Cache"] == "miss"


def test_signed_in_readers_always_get_a_fresh_page(client):
    ResourceFactory()
    client.get(LIST)
    client.force_login(UserFactory())
    response = client.get(LIST)
    assert "X-Page-Cache" not in response


def test_a_request_carrying_messages_is_not_cached(client, rf):
    ResourceFactory()
    client.get(LIST)
    storage = CookieStorage(rf.get(LIST))
    storage.add(messages.SUCCESS, "Saved your note.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(LIST)
    assert "X-Page-Cache" not in response
    assert "Saved your note." in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: Resource.objects.filter(pk=r.pk).first().save(), id="resource save"),
        pytest.param(lambda r: r.tags.add("renamed-tag"), id="tag added"),
        pytest.param(lambda r: r.tags.clear(), id="tags cleared"),
        pytest.param(lambda r: ResourceLinkFactory(resource=r), id="link added"),
        pytest.param(lambda r: r.authors.add(AuthorFactory()), id="author added"),
        pytest.param(lambda r: AuthorFactory().save(), id="author saved"),
        pytest.param(lambda r: Topic.objects.get(pk=r.topic_id).save(), id="topic save"),
        pytest.param(lambda r: r.delete(), id="resource deleted"),
    ],
)
def test_every_catalogue_change_retires_the_cached_pages(client, change):
    resource = ResourceFactory(tags=["ntk"])
    before = catalogue_version()
    client.get(LIST)
    assert client.get(LIST)["X-Page-Cache"] == "hit"
    change(resource)
    assert catalogue_version() != before
    assert client.get(LIST)["X-Page-Cache"] == "miss"


def test_a_changed_title_shows_on_the_next_anonymous_visit(client):
    resource = ResourceFactory(title="Old title")
    assert "Old title" in client.get(resource.get_absolute_url()).content.decode()
    resource.title = "New title"
    resource.save()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "New title" in html and "Old title" not in html


def test_bulk_writes_can_retire_the_pages_by_hand(client):
    resource = ResourceFactory(title="Before")
    client.get(LIST)
    Resource.objects.filter(pk=resource.pk).update(title="After")  # sends no signal
    bump_catalogue_version()
    assert "After" in client.get(LIST).content.decode()


def test_a_write_in_a_transaction_retires_the_pages_again_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        resource = ResourceFactory()
        resource.save()
        resource.tags.add("ntk")
    assert callbacks == [bump_catalogue_version]


def test_error_pages_are_not_cached(client):
    assert client.get("/topics/nope/").status_code == 404
    assert client.get("/topics/nope/").status_code == 404
    assert "X-Page-Cache" not in client.get("/topics/nope/")


def test_the_api_is_cached_for_anonymous_readers_per_format(client):
    ResourceFactory(title="Spectral bias")
    first = client.get("/api/resources/", headers={"accept": "application/json"})
    second = client.get("/api/resources/", headers={"accept": "application/json"})
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    browsable = client.get("/api/resources/", headers={"accept": "text/html"})
    assert browsable["Content-Type"].startswith("text/html")


def without_csrf_tokens(html: str) -> str:
    """A signed-in page minus its CSRF tokens, which Django masks afresh on every response."""
    return re.sub(r'(csrf-token" content=|name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", html)


def test_a_signed_in_page_from_its_cached_rows_matches_a_fresh_one(
    client, settings, django_assert_max_num_queries
):
    topic = TopicFactory(slug="t")
    papers = [ResourceFactory(topic=topic, title=f"Paper {n}", tags=["ntk"]) for n in range(12)]
    reader = UserFactory()
    BookmarkFactory(user=reader, resource=papers[3], status=ReadingStatus.READING)
    BookmarkFactory(resource=papers[5])  # another reader's: a count, and nothing else
    client.force_login(reader)
    settings.PAGE_CACHE_SECONDS = 0
    uncached = client.get(LIST).content.decode()
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get(LIST).content.decode()
    # Warm: the page's keys and the reader's bookmarks of them are read, and nothing else of
    # the rows; those the reader has not bookmarked come whole from one cache entry.
    with django_assert_max_num_queries(5):
        second = client.get(LIST).content.decode()
    assert without_csrf_tokens(first) == without_csrf_tokens(uncached)
    assert without_csrf_tokens(second) == without_csrf_tokens(uncached)
    assert second.count('href="/tags/ntk/"') == 12
    assert second.count("In your library: Reading") == 1
    assert second.count('name="action" value="add"') == 11
    assert second.count("1 reader<") == 2


def test_signed_in_pages_reuse_cached_rows_but_stay_correct(client, django_assert_max_num_queries):
    resources = ResourceFactory.create_batch(3, tags=["ntk"])
    client.force_login(UserFactory())
    cold = without_csrf_tokens(client.get(LIST).content.decode())
    with django_assert_max_num_queries(10):
        warm = without_csrf_tokens(client.get(LIST).content.decode())
    assert warm == cold
    resources[0].title = "Renamed"
    resources[0].save()
    assert "Renamed" in client.get(LIST).content.decode()


EQUIVALENCE_URLS = [
    "/resources/",
    "/resources/?page=2",
    "/resources/?page=999999",  # the last page, as uncached
    "/resources/?page=abc",
    "/resources/?kind=book&tag=ntk",
    "/resources/?q=kernel&sort=-year",
    "/resources/?q=kernel&sort=-year&page=2",
    "/resources/?q=study",  # other terms, other marks: search rows are cached per set of terms
    "/resources/?year_min=abc&kind=poem",
    "/topics/optimization/?page=2",
    "/tags/ntk/",
]


def test_cached_pieces_render_exactly_what_a_fresh_render_does(client, settings):
    topic = TopicFactory(slug="optimization")
    for n in range(60):
        ResourceFactory(
            topic=topic,
            kind="book" if n % 3 else "paper",
            title=f"Kernel study {n}" if n % 2 else f"Other {n}",
            year=2000 + n % 7,
            tags=["ntk"] if n % 4 else ["sgd"],
        )
    reader = UserFactory()
    for n, resource in enumerate(Resource.objects.order_by("pk")[:12]):
        BookmarkFactory(resource=resource)  # reader counts 1 and 2, shown on every row
        if n % 2:
            BookmarkFactory(resource=resource, user=reader)  # and the reader's own status
    client.force_login(reader)
    settings.PAGE_CACHE_SECONDS = 0
    fresh = {url: without_csrf_tokens(client.get(url).content.decode()) for url in EQUIVALENCE_URLS}
    settings.PAGE_CACHE_SECONDS = 600
    for _ in range(3):  # cold, warm rows, then each page bundled in one entry
        for url in EQUIVALENCE_URLS:
            assert without_csrf_tokens(client.get(url).content.decode()) == fresh[url], url


def test_paging_a_cached_selection_sees_catalogue_changes(client):
    topic = TopicFactory(slug="optimization")
    ResourceFactory.create_batch(55, topic=topic)
    client.force_login(UserFactory())
    assert "Page 1 of 2" in client.get("/resources/").content.decode()
    ResourceFactory.create_batch(50, topic=topic)
    html = client.get("/resources/?page=3").content.decode()
    assert "Page 3 of 3" in html
    assert html.count('class="resource-row') == 5


def test_a_warm_signed_in_list_needs_few_queries(client, django_assert_max_num_queries):
    ResourceFactory.create_batch(30, tags=["ntk"])
    client.force_login(UserFactory())
    client.get("/resources/?tag=ntk")
    with django_assert_max_num_queries(10):  # the same whatever the page size
        response = client.get("/resources/?tag=ntk")
    assert response.content.decode().count('class="resource-row') == 30


def test_a_repeated_search_reuses_its_marked_rows(client, django_assert_max_num_queries):
    ResourceFactory.create_batch(30, title="Kernel regression", tags=["ntk"])
    ResourceFactory(title="Feature learning")
    client.force_login(UserFactory())
    first = without_csrf_tokens(client.get(LIST, {"q": "kernel"}).content.decode())
    assert first.count("<mark>Kernel</mark>") == 30
    with django_assert_max_num_queries(10):  # the same whatever the page size
        again = without_csrf_tokens(client.get(LIST, {"q": "kernel"}).content.decode())
    assert again == first
    other = client.get(LIST, {"q": "feature"}).content.decode()
    assert "<mark>Feature</mark> learning" in other
    assert "<mark>Kernel</mark>" not in other


@pytest.mark.parametrize("url", ["/", LIST, "/resources/?q=resource", "resource", "/tags/"])
def test_a_readers_own_render_is_kept_by_no_cache_and_a_visitors_may_be(client, url):
    resource = ResourceFactory(tags=["ntk"])
    url = resource.get_absolute_url() if url == "resource" else url
    visitor = client.get(url)
    assert "no-store" not in visitor.get("Cache-Control", "")
    client.force_login(UserFactory())
    # Back in the browser refetches it too, so a bookmark changed in place is not undone.
    cache_control = client.get(url)["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
