"""The readers' API: /api/bookmarks/ and /api/annotations/ — contract and isolation."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from resources.models import Annotation, Bookmark
from tests.factories import AnnotationFactory, BookmarkFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

BOOKMARKS = reverse("api-bookmark-list")
NOTES = reverse("api-annotation-list")


@pytest.fixture
def api_as(personas):
    """`api_as("owner")`: an APIClient authenticated with that persona's token."""

    def make(persona: str) -> APIClient:
        client = APIClient()
        user = personas[persona]
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def bookmark_url(bookmark) -> str:
    return reverse("api-bookmark-detail", args=[bookmark.pk])


def note_url(note) -> str:
    return reverse("api-annotation-detail", args=[note.pk])


# Bookmarks: contract ---------------------------------------------------------------------


def test_bookmark_fields_follow_the_contract(api_as):
    resource = ResourceFactory()
    response = api_as("owner").post(
        BOOKMARKS, {"resource": resource.pk, "status": "reading", "rating": 4}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "resource",
        "status",
        "rating",
        "created",
        "withdrawn",
        "withdrawn_title",
    }
    assert (body["withdrawn"], body["withdrawn_title"]) == (False, "")
    assert (body["resource"], body["status"], body["rating"]) == (resource.pk, "reading", 4)
    listed = api_as("owner").get(BOOKMARKS).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_posting_the_same_resource_twice_leaves_one_bookmark(api_as, personas):
    resource = ResourceFactory()
    client = api_as("owner")
    first = client.post(BOOKMARKS, {"resource": resource.pk, "rating": 3}, format="json")
    second = client.post(BOOKMARKS, {"resource": resource.pk, "status": "done"}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["status"] == "done"
    assert second.json()["rating"] == 3  # not named, so kept
    assert Bookmark.objects.filter(user=personas["owner"], resource=resource).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "five"}, "rating"),
        ({"resource": 999999}, "resource"),
    ],
)
def test_bad_bookmark_input_is_a_400_naming_the_field(api_as, payload, field):
    resource = ResourceFactory()
    response = api_as("owner").post(BOOKMARKS, {"resource": resource.pk, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Bookmark.objects.exists()


def test_patch_changes_status_and_rating_and_null_clears_the_rating(api_as, personas):
    bookmark = BookmarkFactory(user=personas["owner"], rating=2)
    client = api_as("owner")
    response = client.patch(bookmark_url(bookmark), {"status": "done"}, format="json")
    assert response.json()["status"] == "done"
    response = client.patch(bookmark_url(bookmark), {"rating": None}, format="json")
    assert response.status_code == 200
    bookmark.refresh_from_db()
    assert (bookmark.status, bookmark.rating) == ("done", None)


def test_a_bookmark_cannot_move_to_another_resource(api_as, personas):
    bookmark = BookmarkFactory(user=personas["owner"])
    other = ResourceFactory()
    response = api_as("owner").patch(bookmark_url(bookmark), {"resource": other.pk}, format="json")
    assert response.status_code == 400
    bookmark.refresh_from_db()
    assert bookmark.resource_id != other.pk


def test_bookmarks_filter_by_status(api_as, personas):
    BookmarkFactory(user=personas["owner"], status="done")
    reading = BookmarkFactory(user=personas["owner"], status="reading")
    body = api_as("owner").get(BOOKMARKS, {"status": "reading"}).json()
    assert [row["id"] for row in body["results"]] == [reading.pk]


# Bookmarks: isolation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "list_status", "sees_owner_row", "detail", "patch", "delete"),
    [
        ("anonymous", 401, False, 401, 401, 401),
        ("owner", 200, True, 200, 200, 204),
        ("stranger", 200, False, 404, 404, 404),
        ("curator", 200, False, 404, 404, 404),
    ],
)
def test_bookmarks_belong_to_their_reader_alone(
    api_as, personas, persona, list_status, sees_owner_row, detail, patch, delete
):
    bookmark = BookmarkFactory(user=personas["owner"], status="to-read")
    client = api_as(persona)
    listed = client.get(BOOKMARKS)
    assert listed.status_code == list_status
    if persona == "anonymous":
        assert listed["WWW-Authenticate"] == "Token"
    if list_status == 200:
        ids = [row["id"] for row in listed.json()["results"]]
        assert (bookmark.pk in ids) == sees_owner_row
    assert client.get(bookmark_url(bookmark)).status_code == detail
    assert client.patch(bookmark_url(bookmark), {"status": "done"}, format="json").status_code == (
        patch
    )
    bookmark.refresh_from_db()
    assert (bookmark.status == "done") == (persona == "owner")
    assert client.delete(bookmark_url(bookmark)).status_code == delete
    assert Bookmark.objects.filter(pk=bookmark.pk).exists() == (persona != "owner")


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 401), ("stranger", 201), ("curator", 201)],
)
def test_posting_a_bookmark_makes_the_posters_own(api_as, personas, persona, status_code):
    owners = BookmarkFactory(user=personas["owner"], status="to-read")
    response = api_as(persona).post(
        BOOKMARKS, {"resource": owners.resource_id, "status": "done"}, format="json"
    )
    assert response.status_code == status_code
    owners.refresh_from_db()
    assert owners.status == "to-read"
    if status_code == 201:
        assert Bookmark.objects.get(pk=response.json()["id"]).user == personas[persona]


def test_session_authentication_works_too(client_as):
    resource = ResourceFactory()
    response = client_as("owner").post(
        BOOKMARKS, {"resource": resource.pk}, content_type="application/json"
    )
    assert response.status_code == 201


# Notes: contract ---------------------------------------------------------------------------


def test_note_fields_follow_the_contract(api_as):
    resource = ResourceFactory()
    response = api_as("owner").post(
        NOTES,
        {"resource": resource.pk, "body": "Bound: $\\|w\\|_2$ <script>x</script>"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "resource",
        "body",
        "body_html",
        "is_public",
        "author",
        "created",
        "updated",
        "withdrawn",
        "withdrawn_title",
    }
    assert body["author"] == "owner"
    assert body["is_public"] is False
    assert body["body"].endswith("<script>x</script>")
    assert '<span class="math inline">' in body["body_html"]
    assert "<script" not in body["body_html"]


def test_body_html_cannot_be_written_directly(api_as):
    resource = ResourceFactory()
    response = api_as("owner").post(
        NOTES,
        {"resource": resource.pk, "body": "plain", "body_html": "<script>x</script>"},
        format="json",
    )
    assert "<script" not in Annotation.objects.get(pk=response.json()["id"]).body_html


def test_notes_filter_by_resource(api_as, personas):
    mine = AnnotationFactory(user=personas["owner"])
    AnnotationFactory(user=personas["owner"])
    body = api_as("owner").get(NOTES, {"resource": mine.resource_id}).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert api_as("owner").get(NOTES, {"resource": "abc"}).status_code == 400


def test_empty_note_is_a_400(api_as):
    resource = ResourceFactory()
    response = api_as("owner").post(NOTES, {"resource": resource.pk, "body": ""}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()


# Notes: isolation -------------------------------------------------------------------------

# (persona, note) → list shows it, GET, PATCH, DELETE
NOTE_TABLE = [
    ("anonymous", "private", False, 404, 401, 401),
    ("anonymous", "public", True, 200, 401, 401),
    ("owner", "private", True, 200, 200, 204),
    ("owner", "public", True, 200, 200, 204),
    ("stranger", "private", False, 404, 404, 404),
    ("stranger", "public", True, 200, 403, 403),
    ("curator", "private", False, 404, 404, 404),
    ("curator", "public", True, 200, 403, 403),
]


@pytest.mark.parametrize(("persona", "kind", "listed", "get", "patch", "delete"), NOTE_TABLE)
def test_notes_are_read_by_whom_they_are_shared_with_and_changed_by_their_author(
    api_as, personas, persona, kind, listed, get, patch, delete
):
    note = AnnotationFactory(user=personas["owner"], body="original", is_public=kind == "public")
    client = api_as(persona)
    ids = [row["id"] for row in client.get(NOTES).json()["results"]]
    assert (note.pk in ids) == listed
    assert client.get(note_url(note)).status_code == get
    response = client.patch(note_url(note), {"body": "changed"}, format="json")
    assert response.status_code == patch
    note.refresh_from_db()
    assert (note.body == "changed") == (persona == "owner")
    assert client.delete(note_url(note)).status_code == delete
    assert Annotation.objects.filter(pk=note.pk).exists() == (persona != "owner")


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 401), ("owner", 201), ("stranger", 201), ("curator", 201)],
)
def test_posting_a_note_makes_it_the_posters(api_as, personas, persona, status_code):
    resource = ResourceFactory()
    response = api_as(persona).post(
        NOTES, {"resource": resource.pk, "body": "mine", "is_public": True}, format="json"
    )
    assert response.status_code == status_code
    if status_code == 201:
        assert response.json()["author"] == personas[persona].username


def test_note_list_query_count_is_bounded(api_as, personas, django_assert_max_num_queries):
    resource = ResourceFactory()
    AnnotationFactory.create_batch(30, resource=resource, is_public=True)
    AnnotationFactory.create_batch(30, user=personas["owner"], resource=resource)
    client = api_as("owner")
    with django_assert_max_num_queries(6):
        response = client.get(NOTES, {"resource": resource.pk, "page_size": 100})
    assert response.json()["count"] == 60


def test_a_note_cannot_move_to_another_resource(api_as, personas):
    note = AnnotationFactory(user=personas["owner"])
    other = ResourceFactory()
    response = api_as("owner").patch(note_url(note), {"resource": other.pk}, format="json")
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.resource_id != other.pk


def test_patching_a_note_rebuilds_its_html(api_as, personas):
    note = AnnotationFactory(user=personas["owner"], body="old")
    response = api_as("owner").patch(note_url(note), {"body": "**new**"}, format="json")
    assert response.json()["body_html"] == "<p><strong>new</strong></p>\n"


def test_an_overlong_note_is_refused(api_as):
    resource = ResourceFactory()
    response = api_as("owner").post(
        NOTES, {"resource": resource.pk, "body": "x" * 20001}, format="json"
    )
    assert response.status_code == 400
    assert not Annotation.objects.exists()


def test_bookmark_list_query_count_is_bounded_with_hundreds_of_bookmarks(
    api_as, personas, django_assert_max_num_queries
):
    resources = ResourceFactory.create_batch(300)
    Bookmark.objects.bulk_create(Bookmark(user=personas["owner"], resource=r) for r in resources)
    client = api_as("owner")
    with django_assert_max_num_queries(4):
        response = client.get(BOOKMARKS, {"page_size": 100})
    assert response.json()["count"] == 300
    assert len(response.json()["results"]) == 100


def test_readers_pages_and_answers_tell_shared_caches_to_keep_nothing(client):
    client.force_login(UserFactory())
    for url in ("/library/", "/api/bookmarks/", "/api/annotations/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
