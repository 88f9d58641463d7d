"""Readers' notes in HTML: who sees and changes which note, and what the resource page costs."""

import pytest
from django.urls import reverse

from resources.models import Annotation
from tests.factories import AnnotationFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(personas):
    """The owner's private and public notes on one resource."""
    resource = ResourceFactory(title="Deep double descent")
    return {
        "private": AnnotationFactory(
            user=personas["owner"], resource=resource, body="My private thought $\\alpha$"
        ),
        "public": AnnotationFactory(
            user=personas["owner"], resource=resource, body="A public remark", is_public=True
        ),
    }


# The resource page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_private", "sees_public", "can_edit", "has_form"),
    [
        ("anonymous", False, True, False, False),
        ("owner", True, True, True, True),
        ("stranger", False, True, False, True),
        ("curator", False, True, False, True),
    ],
)
def test_resource_page_shows_own_notes_and_public_ones(
    client_as, notes, persona, sees_private, sees_public, can_edit, has_form
):
    resource = notes["private"].resource
    html = client_as(persona).get(resource.get_absolute_url()).content.decode()
    assert ("My private thought" in html) == sees_private
    assert ("A public remark" in html) == sees_public
    edit_url = reverse("resources:annotation-edit", args=[notes["public"].pk])
    assert (edit_url in html) == can_edit
    assert ('class="note-form"' in html) == has_form
    assert ("Log in to write notes" in html) == (not has_form)


def test_public_notes_show_their_author_and_date(client, notes):
    note = notes["public"]
    html = client.get(note.resource.get_absolute_url()).content.decode()
    assert '<span class="note-author">owner</span>' in html
    assert f'datetime="{note.created.isoformat()}"' in html


def test_note_maths_reaches_the_page_marked_for_katex(client_as, notes):
    html = client_as("owner").get(notes["private"].resource.get_absolute_url()).content.decode()
    assert r'<span class="math inline">\(\alpha\)</span>' in html
    assert "vendor/katex/katex.min.js" in html and "js/math.js" in html


def test_chinese_notes_are_marked_as_chinese(client):
    note = AnnotationFactory(body="泛化误差的上界", is_public=True)
    html = client.get(note.resource.get_absolute_url()).content.decode()
    assert 'lang="zh-Hans"' in html and "泛化误差的上界" in html


def test_resource_page_query_count_is_bounded_with_many_notes(
    client_as, personas, django_assert_max_num_queries
):
    resource = ResourceFactory()
    readers = UserFactory.create_batch(5)
    for reader in readers:
        AnnotationFactory.create_batch(6, user=reader, resource=resource, is_public=True)
    AnnotationFactory.create_batch(20, user=personas["owner"], resource=resource)
    client = client_as("owner")
    with django_assert_max_num_queries(20):  # 12, and the related reading computed cold: 8
        response = client.get(resource.get_absolute_url())
    assert response.content.decode().count('class="note') >= 50


# Writing, editing, deleting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status_code", "created"),
    [("anonymous", 302, False), ("owner", 302, True), ("stranger", 302, True)],
)
def test_adding_a_note(client_as, personas, persona, status_code, created):
    resource = ResourceFactory()
    response = client_as(persona).post(
        reverse("resources:annotation-create", args=[resource.pk]),
        {"body": "Reading \\(f(x)\\) now"},
    )
    assert response.status_code == status_code
    note = Annotation.objects.filter(resource=resource).first()
    assert (note is not None) == created
    if created:
        assert note.user == personas[persona]
        assert note.is_public is False  # private by default
        assert response["Location"] == f"{resource.get_absolute_url()}#note-{note.pk}"
    else:
        assert response["Location"].startswith(reverse("login"))


def test_a_note_can_be_made_public_when_written(client_as):
    resource = ResourceFactory()
    client_as("owner").post(
        reverse("resources:annotation-create", args=[resource.pk]),
        {"body": "Shared", "is_public": "on"},
    )
    assert Annotation.objects.get().is_public is True


def test_an_empty_note_is_refused_with_a_message(client_as):
    resource = ResourceFactory()
    response = client_as("owner").post(
        reverse("resources:annotation-create", args=[resource.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("persona", "note", "get_status", "post_status", "changed"),
    [
        ("anonymous", "private", 302, 302, False),
        ("owner", "private", 200, 302, True),
        ("stranger", "private", 404, 404, False),
        ("stranger", "public", 404, 404, False),
        ("curator", "private", 404, 404, False),
        ("curator", "public", 404, 404, False),
    ],
)
def test_only_the_author_edits_a_note(
    client_as, notes, persona, note, get_status, post_status, changed
):
    target = notes[note]
    url = reverse("resources:annotation-edit", args=[target.pk])
    client = client_as(persona)
    assert client.get(url).status_code == get_status
    response = client.post(url, {"body": "Rewritten **now**", "is_public": "on"})
    assert response.status_code == post_status
    target.refresh_from_db()
    assert (target.body == "Rewritten **now**") == changed
    if changed:
        assert target.is_public is True
        assert "<strong>now</strong>" in target.body_html


def test_editing_with_bad_input_leaves_the_note_as_it_was(client_as, notes):
    note = notes["private"]
    response = client_as("owner").post(
        reverse("resources:annotation-edit", args=[note.pk]), {"body": ""}
    )
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.body == "My private thought $\\alpha$"


@pytest.mark.parametrize(
    ("persona", "status_code", "deleted"),
    [
        ("anonymous", 302, False),
        ("owner", 302, True),
        ("stranger", 404, False),
        ("curator", 404, False),
    ],
)
def test_only_the_author_deletes_a_note(client_as, notes, persona, status_code, deleted):
    for note in notes.values():
        response = client_as(persona).post(reverse("resources:annotation-delete", args=[note.pk]))
        assert response.status_code == status_code
        assert Annotation.objects.filter(pk=note.pk).exists() is not deleted


def test_deleting_needs_a_post(client_as, notes):
    url = reverse("resources:annotation-delete", args=[notes["private"].pk])
    assert client_as("owner").get(url).status_code == 405
    assert Annotation.objects.filter(pk=notes["private"].pk).exists()


def test_saving_only_the_body_still_refreshes_the_html(notes):
    note = notes["private"]
    note.body = "*fresh*"
    note.save(update_fields=["body"])
    note.refresh_from_db()
    assert note.body_html == "<p><em>fresh</em></p>\n"


# Preview ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 302), ("owner", 200), ("stranger", 200), ("curator", 200)],
)
def test_preview_renders_without_saving(client_as, persona, status_code):
    resource = ResourceFactory()
    url = reverse("resources:annotation-preview", args=[resource.pk])
    response = client_as(persona).post(
        url, {"body": "**bold** \\(x\\) <script>alert(1)</script>"}, headers={"HX-Request": "1"}
    )
    assert response.status_code == status_code
    if status_code == 200:
        html = response.content.decode()
        assert html.startswith('<div class="markdown note-body preview"')
        assert "<strong>bold</strong>" in html and r'<span class="math inline">\(x\)</span>' in html
        assert "<script" not in html
    assert not Annotation.objects.exists()


def test_preview_without_javascript_returns_the_filled_form(client_as):
    resource = ResourceFactory()
    response = client_as("owner").post(
        reverse("resources:annotation-preview", args=[resource.pk]),
        {"body": "*draft*", "is_public": "on"},
    )
    html = response.content.decode()
    assert "<em>draft</em>" in html
    assert "*draft*</textarea>" in html
    assert f'action="{reverse("resources:annotation-create", args=[resource.pk])}"' in html
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(("persona", "status_code"), [("owner", 200), ("stranger", 404)])
def test_preview_of_an_edit_is_for_the_author_only(client_as, notes, persona, status_code):
    note = notes["private"]
    response = client_as(persona).post(
        reverse("resources:annotation-preview", args=[note.resource_id]),
        {"body": "new words", "note": note.pk},
    )
    assert response.status_code == status_code
    if status_code == 200:
        assert reverse("resources:annotation-edit", args=[note.pk]) in response.content.decode()
    note.refresh_from_db()
    assert note.body == "My private thought $\\alpha$"
