"""Finding 2 of the second hardening round: inputs that ended in a 500.

Each test is named after the finding: a `next` that is not a path, a note id that is not a
number, deeply nested JSON, an image the library does not ship, over-long import fields, and
two imports creating the same topic at once (PostgreSQL).
"""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse

from resources.markdown.parse import parse_markdown
from resources.models import Author, Resource, Topic
from resources.rendering import render_markdown
from resources.services import ImportRejected, import_document
from tests.factories import AnnotationFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_PATHS = ["abc", "logout", "resources:home", "https://evil.example/", "//evil.example/x"]
NOT_PATHS += ["/\\evil.example", "javascript:alert(1)", "resources/"]


@pytest.mark.parametrize("next_url", NOT_PATHS)
def test_next_that_is_not_a_local_path_is_not_reversed_when_bookmarking(client, next_url):
    resource = ResourceFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("resources:bookmark", args=[resource.pk]), {"action": "add", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()


@pytest.mark.parametrize("next_url", ["abc", "logout"])
def test_next_that_is_not_a_local_path_is_not_reversed_after_sign_up(client, next_url):
    data = {
        "username": "newreader",
        "email": "new@example.org",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
    }
    response = client.post(f"{reverse('signup')}?next={next_url}", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:my-library")


def test_next_logout_after_log_in_goes_to_the_library_not_to_logout(client):
    UserFactory(username="reader", password="a-long-unusual-passphrase")
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": "a-long-unusual-passphrase", "next": "logout"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:my-library")


def test_a_local_next_is_still_followed_after_log_in(client):
    UserFactory(username="reader", password="a-long-unusual-passphrase")
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": "a-long-unusual-passphrase", "next": "/tags/?a=1"},
    )
    assert response["Location"] == "/tags/?a=1"


@pytest.mark.parametrize("note", ["abc", "-1", "1e3", "99999999999999999999999", "1\x00"])
def test_note_preview_with_a_note_id_that_is_not_a_number_is_a_400(client, note):
    resource = ResourceFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("resources:annotation-preview", args=[resource.pk]), {"body": "x", "note": note}
    )
    assert response.status_code == 400


def test_note_preview_of_another_readers_note_is_still_a_404(client):
    note = AnnotationFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("resources:annotation-preview", args=[note.resource_id]),
        {"body": "x", "note": str(note.pk)},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("body", ["[" * 1000, '{"body": ' * 1000, "[" * 40 + "]" * 40])
def test_deeply_nested_json_to_the_annotations_api_is_a_400(client, body):
    client.force_login(UserFactory())
    response = client.post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nests too deeply" in response.json()["detail"]


def test_shallow_json_still_reaches_the_annotations_api(client):
    resource = ResourceFactory()
    client.force_login(UserFactory())
    response = client.post(
        "/api/annotations/",
        {"resource": resource.pk, "body": "fine"},
        content_type="application/json",
    )
    assert response.status_code == 201


@pytest.fixture
def manifest_storage(settings):
    """Production's static storage: an unknown name raises instead of giving a URL."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }


def test_missing_list_image_in_a_note_renders_its_text_with_manifest_storage(manifest_storage):
    html = render_markdown("See ![the figure](./imgs/nothere.png) and [a link](imgs/gone.png).")
    assert "the figure" in html and "a link" in html
    assert "<img" not in html and "nothere.png" not in html


def test_shipped_list_image_still_renders_as_an_image():
    html = render_markdown("![knot](./imgs/ex1_knot.png)")
    assert '<img src="/static/library/imgs/ex1_knot.png" alt="knot"' in html


@pytest.fixture
def collected_manifest(manifest_storage, settings, tmp_path):
    """Production's static files: collected with their manifest, as `make serve` does."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)


def test_missing_list_image_in_an_imported_description_does_not_break_its_page(
    client, collected_manifest
):
    resource = ResourceFactory(description="A figure: ![fig](./imgs/nothere.png)")
    note = AnnotationFactory(resource=resource, is_public=True, body="![fig](imgs/nope.png)")
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothere.png" not in page and "nope.png" not in page
    assert note.body in AnnotationFactory._meta.model.objects.values_list("body", flat=True)


LIST_WITH_MISSING_IMAGE = """# A list

## Maths

1. [Knots](https://example.org/knots) ![fig](./imgs/nothere.png)
"""


def test_import_dry_run_warns_about_missing_images():
    report = import_document(parse_markdown(LIST_WITH_MISSING_IMAGE), dry_run=True)
    assert any("imgs/nothere.png" in warning for warning in report.warnings)


def over_long_list() -> str:
    return (
        "# A list\n\n## Maths\n\n"
        f"1. [Fine](https://example.org/fine)\n"
        f"2. [Long address](https://example.org/{'a' * 2100})\n"
        f"3. [{'T' * 600}](https://example.org/long-title)\n"
    )


def test_import_with_a_field_over_its_length_is_refused_naming_the_entries():
    with pytest.raises(ImportRejected) as refused:
        import_document(parse_markdown(over_long_list()))
    message = str(refused.value)
    assert "line 6: the URL has 2,120 characters (at most 2,000)" in message
    assert "line 7: the title has 600 characters (at most 500)" in message
    assert Resource.objects.count() == 0


def test_admin_import_with_a_field_over_its_length_shows_a_clear_message(admin_client, run_worker):
    upload = SimpleUploadedFile("long.md", over_long_list().encode())
    queued = admin_client.post(reverse("admin:resources_resource_import"), {"file": upload})
    run_worker()
    response = admin_client.get(queued.url)  # the dry run's job page says why it failed
    assert response.status_code == 200
    page = response.content.decode()
    assert "longer than the library stores" in page and "line 6: the URL" in page
    assert Resource.objects.count() == 0


def test_import_command_with_a_field_over_its_length_fails_cleanly(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "long.md"
    path.write_text(over_long_list(), encoding="utf-8")
    with pytest.raises(CommandError, match="line 7: the title"):
        call_command("import_markdown", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def shared_topic_list(n: int) -> str:
    return (
        "# A list\n\n## A topic both lists add\n\n"
        f"1. [Shared paper](https://example.org/shared)Ada Shared 等(2020)。\n"
        f"2. [Own paper {n}](https://example.org/own-{n})Own Author 等(2021)。\n"
    )


@pytest.mark.django_db(transaction=True)
def test_two_curators_importing_lists_that_share_a_new_topic_at_once():
    """The first import holds its transaction open after creating the topic (and the shared
    author and resource); the second looks them up, finds none, and inserts them too: on
    PostgreSQL it waits for the first to commit, then its insert clashes."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions)")
    import_document(parse_markdown("# A list\n\n## Other\n\n1. [X](https://example.org/x)\n"))
    first_done, errors = threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                import_document(parse_markdown(shared_topic_list(1)))
                first_done.set()
                threading.Event().wait(0.5)  # the second import runs into our rows meanwhile
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            first_done.set()
        finally:
            connections.close_all()

    def second() -> None:
        first_done.wait(10)
        try:
            import_document(parse_markdown(shared_topic_list(2)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Topic.objects.filter(name="A topic both lists add").count() == 1
    assert Author.objects.filter(name="Ada Shared").count() == 1
    assert Resource.objects.filter(url="https://example.org/shared").count() == 1
    assert Resource.objects.filter(topic__name="A topic both lists add").count() == 3


# Finding 5 (the import's time limit): the admin hands imports to the worker and returns at
# once, whatever the list's size (tests/test_jobs_admin.py).


# Found by the hostile-body suite (tests/test_hostile_bodies.py) on PostgreSQL.


def test_log_in_with_a_username_longer_than_any_account_is_a_form_error(client):
    response = client.post(reverse("login"), {"username": "q" * 30000, "password": "x"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()


@pytest.mark.parametrize("value", ["1e999", "1.5", "true", "[1]", '{"id": 1}'])
def test_a_resource_id_that_is_not_a_whole_number_is_a_400_in_the_api(client, value):
    client.force_login(UserFactory())
    response = client.post(
        "/api/bookmarks/", f'{{"resource": {value}}}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "resource" in response.json()
