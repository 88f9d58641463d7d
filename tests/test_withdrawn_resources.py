"""Finding 4 of the second hardening round: deleting a resource deleted readers' bookmarks and
notes, restoring it did not bring them back, the curator's delete page listed readers'
bookmarks by name, and a private note made a resource impossible to delete (so revealing the
note). Readers' rows now outlive the catalogue entry: withdrawn, then re-attached on restore.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from rest_framework.test import APIClient

from resources.models import Annotation, Bookmark, Resource
from resources.services import merge_resources
from tests.factories import (
    AnnotationFactory,
    BookmarkFactory,
    CuratorFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """A resource that a reader bookmarked and wrote a private and a public note on."""
    reader = UserFactory(username="quiet-reader")
    resource = ResourceFactory(title="深度网络的白盒理论")
    bookmark = BookmarkFactory(user=reader, resource=resource, status="reading", rating=4)
    private = AnnotationFactory(user=reader, resource=resource, body="my private musing")
    public = AnnotationFactory(user=reader, resource=resource, body="shared remark", is_public=True)
    return {
        "reader": reader,
        "resource": resource,
        "bookmark": bookmark,
        "private": private,
        "public": public,
    }


def delete_as_curator(client, resource) -> None:
    client.force_login(CuratorFactory())
    response = client.post(
        reverse("admin:resources_resource_delete", args=[resource.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_curators_delete_page_names_no_reader_and_reveals_no_private_note(client, shelf):
    client.force_login(CuratorFactory())
    response = client.get(reverse("admin:resources_resource_delete", args=[shelf["resource"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "quiet-reader" not in page
    assert "private musing" not in page and "shared remark" not in page
    assert not response.context["perms_lacking"]  # a private note does not block the delete
    assert not response.context["protected"]


def test_deleting_a_resource_keeps_readers_bookmarks_and_notes_as_withdrawn(client, shelf):
    delete_as_curator(client, shelf["resource"])
    bookmark = Bookmark.objects.get(pk=shelf["bookmark"].pk)
    assert (bookmark.resource_id, bookmark.status, bookmark.rating) == (None, "reading", 4)
    assert bookmark.withdrawn_resource_id == shelf["resource"].pk
    assert bookmark.withdrawn_title == "深度网络的白盒理论"
    notes = Annotation.objects.filter(user=shelf["reader"]).order_by("pk")
    assert [(n.body, n.resource_id) for n in notes] == [
        ("my private musing", None),
        ("shared remark", None),
    ]


def test_the_admins_bulk_delete_also_withdraws(client, shelf):
    client.force_login(CuratorFactory())
    response = client.post(
        reverse("admin:resources_resource_changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [shelf["resource"].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Bookmark.objects.get(pk=shelf["bookmark"].pk).is_withdrawn


def test_owner_sees_withdrawn_rows_on_my_library_and_in_the_api(client, shelf):
    delete_as_curator(client, shelf["resource"])
    client.force_login(shelf["reader"])
    page = client.get(reverse("resources:my-library")).content.decode()
    assert "Withdrawn from the catalogue" in page
    assert "深度网络的白盒理论" in page and "my private musing" in page
    api = APIClient()
    api.force_authenticate(shelf["reader"])
    (row,) = api.get("/api/bookmarks/").json()["results"]
    assert (row["resource"], row["withdrawn"], row["withdrawn_title"]) == (
        None,
        True,
        "深度网络的白盒理论",
    )
    notes = api.get("/api/annotations/").json()["results"]
    assert {n["body"] for n in notes} == {"my private musing", "shared remark"}
    assert all(n["withdrawn"] for n in notes)


def test_nobody_else_sees_a_withdrawn_resources_notes_or_bookmarks(client, shelf):
    delete_as_curator(client, shelf["resource"])
    for user in (UserFactory(), None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        assert api.get("/api/annotations/").json()["results"] == []
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.get("/api/bookmarks/").json()["results"] == []
    assert stranger.get(f"/api/annotations/{shelf['public'].pk}/").status_code == 404


def test_restoring_a_deleted_resource_brings_back_readers_bookmarks_and_notes(client, shelf):
    resource = shelf["resource"]
    assert "shared remark" in client.get(resource.get_absolute_url()).content.decode()
    delete_as_curator(client, resource)
    record = Resource.history.get(id=resource.pk, history_type="-")
    response = client.post(
        reverse("admin:resources_resource_deleted"), {"history_id": record.history_id}
    )
    assert response.status_code == 302
    bookmark = Bookmark.objects.get(pk=shelf["bookmark"].pk)
    assert (bookmark.resource_id, bookmark.withdrawn_resource_id, bookmark.withdrawn_title) == (
        resource.pk,
        None,
        "",
    )
    assert set(Annotation.objects.filter(resource=resource).values_list("body", flat=True)) == {
        "my private musing",
        "shared remark",
    }
    client.logout()
    assert "shared remark" in client.get(resource.get_absolute_url()).content.decode()


def test_merging_keeps_readers_bookmarks_and_notes_on_the_kept_resource(shelf):
    keep = ResourceFactory()
    merge_resources(keep=keep, duplicates=[shelf["resource"]])
    assert Bookmark.objects.get(pk=shelf["bookmark"].pk).resource_id == keep.pk
    assert Annotation.objects.filter(resource=keep).count() == 2


def test_a_withdrawn_note_can_still_be_edited_and_deleted_by_its_author(client, shelf):
    delete_as_curator(client, shelf["resource"])
    client.force_login(shelf["reader"])
    note = shelf["private"]
    edit = reverse("resources:annotation-edit", args=[note.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"body": "revised"})
    assert response["Location"] == reverse("resources:my-library") + "#withdrawn"
    assert Annotation.objects.get(pk=note.pk).body == "revised"
    response = client.post(reverse("resources:annotation-delete", args=[note.pk]))
    assert response.status_code == 302
    assert not Annotation.objects.filter(pk=note.pk).exists()
