"""Curators moderate public notes in the admin; private notes never show there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resources_annotation_changelist")


@pytest.fixture
def moderating_curator(personas):
    curator = personas["curator"]
    curator.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_annotation", "change_annotation", "delete_annotation"]
        )
    )
    return curator


@pytest.fixture
def notes(personas):
    owner = personas["owner"]
    return {
        "public": AnnotationFactory(user=owner, body="A public remark", is_public=True),
        "private": AnnotationFactory(user=owner, body="A private thought"),
    }


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 302), ("owner", 302), ("stranger", 302), ("curator", 200)],
)
def test_only_curators_reach_the_notes_admin(
    client_as, moderating_curator, notes, persona, status_code
):
    response = client_as(persona).get(CHANGELIST)
    assert response.status_code == status_code
    if status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))


def test_curators_see_public_notes_only(client_as, moderating_curator, notes):
    client = client_as("curator")
    html = client.get(CHANGELIST).content.decode()
    assert notes["public"].resource.title in html
    assert notes["private"].resource.title not in html
    private = reverse("admin:resources_annotation_change", args=[notes["private"].pk])
    assert client.get(private).status_code == 302  # "does not exist", back to the list
    public = reverse("admin:resources_annotation_change", args=[notes["public"].pk])
    assert "A public remark" in client.get(public).content.decode()


def test_curators_can_take_a_note_off_the_page_but_not_rewrite_it(
    client_as, moderating_curator, notes
):
    note = notes["public"]
    client_as("curator").post(CHANGELIST, {"action": "make_private", "_selected_action": [note.pk]})
    note.refresh_from_db()
    assert note.is_public is False
    assert note.body == "A public remark"


def test_the_admin_has_no_add_form_for_notes(client_as, moderating_curator):
    response = client_as("curator").get(reverse("admin:resources_annotation_add"))
    assert response.status_code == 403
