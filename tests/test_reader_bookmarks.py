"""Bookmarks in HTML: who may do what, htmx and no-JS paths, list rows, query counts.

My library has its own module (test_my_library.py)."""

import re

import pytest
from django.urls import reverse

from resources.models import Bookmark, Kind, ReadingStatus
from tests.factories import AuthorFactory, BookmarkFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def bookmark_url(resource) -> str:
    return reverse("resources:bookmark", args=[resource.pk])


# Isolation: the bookmark form -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected_status", "owner_keeps", "persona_has_bookmark"),
    [
        ("anonymous", 302, "to-read", False),
        ("owner", 302, "done", True),
        ("stranger", 302, "to-read", True),
        ("curator", 302, "to-read", True),
    ],
)
def test_posting_a_bookmark_only_ever_touches_the_posters_own(
    client_as, personas, shelved, persona, expected_status, owner_keeps, persona_has_bookmark
):
    client = client_as(persona)
    response = client.post(bookmark_url(shelved.resource), {"status": "done", "rating": ""})
    assert response.status_code == expected_status
    shelved.refresh_from_db()
    assert shelved.status == owner_keeps
    user = personas[persona]
    mine = Bookmark.objects.filter(user=user, resource=shelved.resource) if user else None
    assert (mine is not None and mine.filter(status="done").exists()) == persona_has_bookmark
    assert Bookmark.objects.filter(resource=shelved.resource).count() == (
        2 if persona in ("stranger", "curator") else 1
    )
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "owner_bookmark_left"), [("owner", False), ("stranger", True), ("curator", True)]
)
def test_remove_deletes_only_the_posters_bookmark(client_as, shelved, persona, owner_bookmark_left):
    client_as(persona).post(bookmark_url(shelved.resource), {"action": "remove"})
    assert Bookmark.objects.filter(pk=shelved.pk).exists() == owner_bookmark_left


def test_the_bookmark_address_accepts_only_post(client_as, shelved):
    assert client_as("owner").get(bookmark_url(shelved.resource)).status_code == 405


def test_bookmarking_a_missing_resource_is_404(client_as):
    assert client_as("owner").post("/bookmarks/999999/", {"status": "done"}).status_code == 404


# htmx and plain posts ---------------------------------------------------------------------


def test_htmx_post_returns_only_the_updated_fragment(client_as, personas):
    resource = ResourceFactory()
    BookmarkFactory(resource=resource)  # someone else's
    response = client_as("owner").post(
        bookmark_url(resource),
        {"status": "reading", "rating": "4", "next": "/resources/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="bookmark"')
    assert "<html" not in html
    assert "In your library: Reading" in html
    assert "2 readers" in html
    assert '<option value="4" selected>' in html
    bookmark = Bookmark.objects.get(user=personas["owner"], resource=resource)
    assert (bookmark.status, bookmark.rating) == ("reading", 4)


def test_htmx_post_by_anonymous_redirects_the_page_to_log_in(client):
    resource = ResourceFactory()
    response = client.post(
        bookmark_url(resource), {"status": "done"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert not Bookmark.objects.exists()


def test_plain_post_redirects_back_to_a_local_next(client_as):
    resource = ResourceFactory()
    response = client_as("owner").post(
        bookmark_url(resource), {"status": "to-read", "next": "/resources/?kind=paper&page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/resources/?kind=paper&page=2"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_plain_post_ignores_a_foreign_next(client_as, next_url):
    resource = ResourceFactory()
    response = client_as("owner").post(
        bookmark_url(resource), {"status": "to-read", "next": next_url}
    )
    assert response["Location"] == resource.get_absolute_url()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "finished"}, "Select a valid choice"),
        ({"status": "done", "rating": "9"}, "Select a valid choice"),
        ({"status": "done", "rating": "lots"}, "Select a valid choice"),
        ({"status": "done", "action": "bogus"}, "unknown action &quot;bogus&quot;"),
    ],
)
def test_bad_input_is_reported_and_saves_nothing(client_as, data, message):
    resource = ResourceFactory()
    client = client_as("owner")
    response = client.post(bookmark_url(resource), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Bookmark.objects.exists()
    fragment = client.post(bookmark_url(resource), data, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert 'role="alert"' in fragment.content.decode()
    assert not Bookmark.objects.exists()


def test_bookmarking_twice_keeps_one_bookmark(client_as, personas):
    resource = ResourceFactory()
    client = client_as("owner")
    client.post(bookmark_url(resource), {"status": "to-read"})
    client.post(bookmark_url(resource), {"status": "done", "rating": "5"})
    bookmark = Bookmark.objects.get(user=personas["owner"])
    assert (bookmark.status, bookmark.rating) == ("done", 5)


# A catalogue row's one button --------------------------------------------------------------


def test_a_rows_button_bookmarks_to_read(client_as, personas):
    resource = ResourceFactory()
    response = client_as("owner").post(bookmark_url(resource), {"action": "add"}, follow=True)
    assert "Added to your library." in response.content.decode()
    bookmark = Bookmark.objects.get(user=personas["owner"], resource=resource)
    assert (bookmark.status, bookmark.rating) == (ReadingStatus.TO_READ, None)


def test_a_rows_button_keeps_a_bookmark_made_elsewhere_as_it_is(client_as, personas):
    """A stale row (the resource was shelved in another tab) must not reset status or rating."""
    bookmark = BookmarkFactory(user=personas["owner"], status=ReadingStatus.DONE, rating=4)
    response = client_as("owner").post(
        bookmark_url(bookmark.resource), {"action": "add"}, follow=True
    )
    assert "It is already in your library." in response.content.decode()
    bookmark.refresh_from_db()
    assert (bookmark.status, bookmark.rating) == (ReadingStatus.DONE, 4)
    assert Bookmark.objects.count() == 1


def test_htmx_post_from_a_row_returns_the_rows_control(client_as, personas):
    resource = ResourceFactory()
    BookmarkFactory(resource=resource)  # someone else's
    client = client_as("owner")
    headers = {"HX-Request": "true"}
    data = {"action": "add", "control": "row", "next": "/resources/?kind=paper"}
    html = client.post(bookmark_url(resource), data, headers=headers).content.decode()
    assert html.startswith(f'<div class="bookmark" data-resource="{resource.pk}">')
    assert '<span class="bookmark-count">2 readers</span>' in html
    assert "In your library: To read" in html
    assert f'href="{resource.get_absolute_url()}"' in html  # where status and rating are set
    assert 'name="action" value="remove"' in html
    # The row's buttons submit the page's one form (its token and return address), as before.
    assert f'formaction="{bookmark_url(resource)}"' in html
    assert 'form="row-bookmarks"' in html
    assert 'hx-include="#row-bookmarks"' in html
    assert "<form" not in html
    assert "<select" not in html

    removed = client.post(
        bookmark_url(resource), {**data, "action": "remove"}, headers=headers
    ).content.decode()
    assert '<span class="bookmark-count">1 reader</span>' in removed
    assert 'name="action" value="add"' in removed
    assert "In your library" not in removed
    assert not Bookmark.objects.filter(user=personas["owner"]).exists()


def test_catalogue_rows_have_one_button_and_my_library_the_full_form(client_as, shelved):
    ResourceFactory(topic=shelved.resource.topic)
    client = client_as("owner")
    catalogue = client.get(reverse("resources:resource-list")).content.decode()
    assert catalogue.count('form="row-bookmarks"') == 2
    assert catalogue.count('name="action" value="add"') == 1
    assert catalogue.count('name="action" value="remove"') == 1
    assert '<select name="status">' not in catalogue
    # The one form the rows submit: the token, the page to come back to, a row control wanted.
    form = re.search(r'<form id="row-bookmarks" method="post" hidden>(.*?)</form>', catalogue)
    assert catalogue.count('<form id="row-bookmarks"') == 1
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert '<input type="hidden" name="next" value="/resources/">' in form.group(1)
    assert '<input type="hidden" name="control" value="row">' in form.group(1)
    library = client.get(reverse("resources:my-library")).content.decode()
    assert library.count('<select name="status">') == 1
    assert library.count('<select name="rating">') == 1
    assert 'name="control"' not in library
    assert 'form="row-bookmarks"' not in library


def test_every_page_with_row_buttons_has_the_one_form_they_submit(client_as, personas):
    topic = TopicFactory(slug="kernels")
    author = AuthorFactory(name="Ada Row", slug="ada-row")
    ResourceFactory(
        topic=topic,
        title="Kernel regime",
        tags=["ntk"],
        authors=[author],
        is_featured=True,
        kind=Kind.PAPER,
    )
    client = client_as("stranger")
    pages = {
        "home": (reverse("resources:home"), {}),
        "catalogue": (reverse("resources:resource-list"), {}),
        "search": (reverse("resources:resource-list") + "?q=kernel", {}),
        "topic": (topic.get_absolute_url(), {}),
        "tag": (reverse("resources:tag-detail", args=["ntk"]), {}),
        "author": (author.get_absolute_url(), {}),
        "htmx results": (reverse("resources:resource-list") + "?kind=paper", {"HX-Request": "1"}),
    }
    for name, (url, headers) in pages.items():
        html = client.get(url, headers=headers).content.decode()
        assert 'form="row-bookmarks"' in html, name
        assert html.count('<form id="row-bookmarks"') == 1, name


def test_a_row_shows_a_stored_status_that_is_no_longer_a_choice(client_as, shelved):
    Bookmark.objects.filter(pk=shelved.pk).update(status="<abandoned>")
    html = client_as("owner").get(reverse("resources:resource-list")).content.decode()
    assert "In your library: &lt;abandoned&gt;" in html


@pytest.mark.parametrize("persona", ["anonymous", "owner"])
def test_row_controls_escape_the_address_they_return_to(client_as, persona):
    ResourceFactory(title="Kernel methods")
    html = (
        client_as(persona)
        .get(reverse("resources:resource-list"), {"ref": '"><script>alert(1)</script>'})
        .content.decode()
    )
    assert 'class="bookmark"' in html  # the row's control, with the page's address escaped
    assert "<script>alert(1)" not in html
    assert '"><script' not in html


# What the catalogue shows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shows_form", "shows_login_link", "shows_owner_status"),
    [
        ("anonymous", False, True, False),
        ("owner", True, False, True),
        ("stranger", True, False, False),
        ("curator", True, False, False),
    ],
)
def test_catalogue_rows_show_each_reader_their_own_bookmark(
    client_as, shelved, persona, shows_form, shows_login_link, shows_owner_status
):
    shelved.status = ReadingStatus.READING
    shelved.save()
    html = client_as(persona).get(reverse("resources:resource-list")).content.decode()
    assert ('form="row-bookmarks"' in html) == shows_form
    assert ("Log in to bookmark" in html) == shows_login_link
    assert ("In your library: Reading" in html) == shows_owner_status
    assert "1 reader" in html


def test_resource_page_has_the_bookmark_button_and_count(client_as, shelved):
    BookmarkFactory(resource=shelved.resource)
    html = client_as("owner").get(shelved.resource.get_absolute_url()).content.decode()
    assert f'action="{bookmark_url(shelved.resource)}"' in html
    assert 'hx-target="closest .bookmark"' in html
    assert "2 readers" in html


def test_catalogue_sorts_by_bookmark_count(client):
    topic = TopicFactory()
    quiet, popular, middling = ResourceFactory.create_batch(3, topic=topic)
    BookmarkFactory.create_batch(3, resource=popular)
    BookmarkFactory(resource=middling)
    response = client.get(reverse("resources:resource-list"), {"sort": "-bookmarks"})
    titles = [r.title for r in response.context["resources"]]
    assert titles == [popular.title, middling.title, quiet.title]
    api = client.get(reverse("api-resource-list"), {"sort": "-bookmarks"}).json()
    assert [r["id"] for r in api["results"]] == [popular.pk, middling.pk, quiet.pk]


def test_catalogue_query_count_is_bounded_for_a_reader_with_hundreds_of_bookmarks(
    client_as, personas, django_assert_max_num_queries
):
    resources = ResourceFactory.create_batch(300, topic=TopicFactory(), tags=["ntk"])
    Bookmark.objects.bulk_create(Bookmark(user=personas["owner"], resource=r) for r in resources)
    Bookmark.objects.bulk_create(
        Bookmark(user=personas["stranger"], resource=r) for r in resources[:100]
    )
    client = client_as("owner")
    with django_assert_max_num_queries(12):  # as for anyone: the shelf is a single query
        response = client.get(reverse("resources:resource-list"), {"sort": "-bookmarks"})
    assert response.status_code == 200
    assert response.content.decode().count("In your library: To read") == 50


@pytest.mark.parametrize("url", ["/resources/?kind=paper&page=1", "/"])
def test_a_visitors_log_in_link_on_a_row_returns_to_the_page(client, shelved, url):
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    links = re.findall(r'class="bookmark-login" href="([^"]*)"', html)
    assert links
    expected = "/resources/%3Fkind%3Dpaper" if "kind" in url else "/"
    assert set(links) == {f"{reverse('login')}?next={expected}"}
