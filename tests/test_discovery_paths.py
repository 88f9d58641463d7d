"""Reading paths: the API contract, the shipped paths, each reader's own progress, starting."""

import json

import pytest
from django.core.management import call_command

from resources.discovery.paths import load_reading_paths
from resources.management.commands.load_library import PATHS_FIXTURE
from resources.models import Bookmark, PathStep, ReadingPath
from tests.factories import (
    BookmarkFactory,
    PathStepFactory,
    ReadingPathFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def path():
    """A path of three steps: "Kernels", "Width", "Depth"."""
    path = ReadingPathFactory(slug="ntk", title="Infinite width", title_zh="无限宽度")
    for position, title in enumerate(["Kernels", "Width", "Depth"], start=1):
        PathStepFactory(
            path=path,
            position=position,
            resource=ResourceFactory(title=title),
            note=f"Read {title} for the idea.",
            note_zh=f"读{title}。",
        )
    return path


def step_resource(path, position):
    return path.steps.get(position=position).resource


# The API ----------------------------------------------------------------------------------


def test_the_paths_api_gives_slug_title_description_and_ordered_steps(client, path):
    PathStepFactory(path=path, position=0, resource=ResourceFactory(title="Preface"))
    data = client.get("/api/paths/").json()
    assert [item["slug"] for item in data] == ["ntk"]
    item = data[0]
    assert {"slug", "title", "description", "steps"} <= set(item)
    assert item["title"] == "Infinite width"
    assert [step["position"] for step in item["steps"]] == [0, 1, 2, 3]
    first = item["steps"][1]
    assert {"position", "resource", "note"} <= set(first)
    assert first["resource"] == step_resource(path, 1).pk
    assert first["note"] == "Read Kernels for the idea."
    assert client.get("/api/paths/ntk/").json() == item


def test_unpublished_paths_are_nowhere(client, path):
    path.is_published = False
    path.save()
    assert client.get("/api/paths/").json() == []
    assert client.get("/api/paths/ntk/").status_code == 404
    assert client.get("/paths/ntk/").status_code == 404
    assert "Infinite width" not in client.get("/paths/").content.decode()


# The shipped paths ------------------------------------------------------------------------


def test_the_library_ships_at_least_three_paths_with_notes_in_both_languages(library):
    paths = list(ReadingPath.objects.published().with_steps())
    assert len(paths) >= 3
    assert {"introduction", "ntk-and-infinite-width", "generalization"} <= {p.slug for p in paths}
    for path in paths:
        steps = list(path.steps.all())
        assert len(steps) >= 5, path.slug
        assert path.title_zh and path.description and path.description_zh
        for step in steps:
            assert step.resource_id is not None, (path.slug, step.position)
            assert len(step.note) > 60 and step.note_zh, (path.slug, step.position)
        assert len({step.resource_id for step in steps}) == len(steps)
    introduction = next(p for p in paths if p.slug == "introduction")
    first_kinds = [step.resource.kind for step in list(introduction.steps.all())[:4]]
    assert set(first_kinds) <= {"course", "notes", "book"}  # courses and books first


def test_loading_the_library_again_keeps_curators_edits_of_paths(library):
    path = ReadingPath.objects.get(slug="generalization")
    path.title = "Generalization, as our curators tell it"
    path.save()
    PathStep.objects.filter(path=path, position=1).delete()
    steps = path.steps.count()
    call_command("load_library", verbosity=0)
    path.refresh_from_db()
    assert path.title == "Generalization, as our curators tell it"
    assert path.steps.count() == steps
    shipped = json.loads(PATHS_FIXTURE.read_text(encoding="utf-8"))
    assert ReadingPath.objects.count() == len(shipped)


def test_a_step_whose_resource_is_missing_is_reported_not_invented(tmp_path):
    ResourceFactory(url="https://arxiv.org/abs/2106.10165")
    source = tmp_path / "paths.json"
    source.write_text(
        json.dumps(
            [
                {
                    "slug": "p",
                    "title": "P",
                    "steps": [
                        {"url": "https://arxiv.org/pdf/2106.10165v2.pdf", "note": "the book"},
                        {"url": "https://example.org/not-in-the-library", "note": "x"},
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    report = load_reading_paths(source=source)
    assert report.created == ["p"]
    assert report.missing == ["p: https://example.org/not-in-the-library"]
    assert [step.note for step in PathStep.objects.all()] == ["the book"]  # arXiv pdf = abs


# Progress ---------------------------------------------------------------------------------


def test_a_reader_sees_their_progress_and_the_next_step(client, path):
    reader = UserFactory()
    BookmarkFactory(user=reader, resource=step_resource(path, 1), status="done")
    BookmarkFactory(user=reader, resource=step_resource(path, 3), status="to-read")
    client.force_login(reader)
    html = client.get("/paths/ntk/").content.decode()
    assert "1 of 3 done" in html
    assert 'Next: <a href="#step-2"' in html
    assert 'class="path-step is-next" id="step-2"' in html
    assert 'class="path-step status-done" id="step-1"' in html
    # Reading something further on makes it the next step: the reader is in it.
    Bookmark.objects.filter(user=reader, resource=step_resource(path, 3)).update(status="reading")
    assert 'Next: <a href="#step-3"' in client.get("/paths/ntk/").content.decode()


def test_a_finished_path_says_so(client, path):
    reader = UserFactory()
    for step in path.steps.all():
        BookmarkFactory(user=reader, resource=step.resource, status="done")
    client.force_login(reader)
    html = client.get("/paths/ntk/").content.decode()
    assert "You have finished this path." in html
    assert "Start this path" not in html


def test_the_list_of_paths_shows_each_readers_own_progress(client, path):
    reader = UserFactory()
    BookmarkFactory(user=reader, resource=step_resource(path, 2), status="done")
    client.force_login(reader)
    assert "1 of 3 done" in client.get("/paths/").content.decode()


def test_starting_a_path_shelves_every_step_to_read_and_resets_nothing(client, path):
    reader = UserFactory()
    BookmarkFactory(user=reader, resource=step_resource(path, 2), status="done", rating=5)
    client.force_login(reader)
    assert "Add the remaining steps to my library" in client.get("/paths/ntk/").content.decode()
    response = client.post("/paths/ntk/start/")
    assert response.status_code == 302 and response["Location"] == "/paths/ntk/"
    statuses = dict(Bookmark.objects.filter(user=reader).values_list("resource__title", "status"))
    assert statuses == {"Kernels": "to-read", "Width": "done", "Depth": "to-read"}
    assert Bookmark.objects.get(user=reader, resource__title="Width").rating == 5
    html = client.get("/paths/ntk/", follow=True).content.decode()
    assert "1 of 3 done" in html and "Path started: 2 resources added" in html
    assert "Add the remaining steps" not in html
    client.post("/paths/ntk/start/")  # again: nothing changes
    assert Bookmark.objects.filter(user=reader).count() == 3


def test_starting_a_path_needs_a_signed_in_reader_and_a_post(client, path):
    response = client.post("/paths/ntk/start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Bookmark.objects.exists()
    client.force_login(UserFactory())
    assert client.get("/paths/ntk/start/").status_code == 405
    assert client.post("/paths/nowhere/start/").status_code == 404


def test_marking_a_step_done_keeps_its_rating_and_returns_to_the_step(client, path):
    reader = UserFactory()
    width = step_resource(path, 2)
    BookmarkFactory(user=reader, resource=width, status="reading", rating=4)
    client.force_login(reader)
    html = client.get("/paths/ntk/").content.decode()
    assert 'name="rating" value="4"' in html
    response = client.post(
        f"/bookmarks/{width.pk}/",
        {"status": "done", "rating": "4", "action": "save", "next": "/paths/ntk/#step-2"},
    )
    assert response["Location"] == "/paths/ntk/#step-2"
    bookmark = Bookmark.objects.get(user=reader, resource=width)
    assert (bookmark.status, bookmark.rating) == ("done", 4)


# Privacy and caching ----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/paths/", "/paths/ntk/"])
def test_a_stranger_never_sees_another_readers_progress(client, path, page):
    owner, stranger = UserFactory(username="owner"), UserFactory(username="stranger")
    for step in path.steps.all():
        BookmarkFactory(user=owner, resource=step.resource, status="done")
    client.force_login(owner)
    assert "3 of 3 done" in client.get(page).content.decode()  # warmed as the owner
    client.force_login(stranger)
    html = client.get(page).content.decode()
    assert "3 of 3 done" not in html and "finished" not in html
    client.logout()
    anonymous = client.get(page)
    assert "done" not in anonymous.content.decode().replace("Done", "")
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()
    assert client.get(page)["X-Page-Cache"] == "hit"  # the same for every visitor: cached


def test_a_curators_edit_of_a_path_reaches_the_cached_page_at_once(client, path):
    client.get("/paths/ntk/")
    step = path.steps.get(position=2)
    step.note = "A better note."
    step.save()
    response = client.get("/paths/ntk/")
    assert response["X-Page-Cache"] == "miss"
    assert "A better note." in response.content.decode()


def test_chinese_readers_get_the_chinese_texts(client, path):
    html = client.get("/paths/ntk/", headers={"accept-language": "zh-hans"}).content.decode()
    assert '<h1 lang="zh-Hans">无限宽度</h1>' in html
    assert "读Width。" in html


@pytest.mark.parametrize("steps", [3, 30])
def test_path_pages_keep_their_query_count_whatever_the_length(
    client, django_assert_max_num_queries, steps
):
    path = ReadingPathFactory(slug="long")
    reader = UserFactory()
    for position in range(steps):
        step = PathStepFactory(path=path, position=position)
        BookmarkFactory(user=reader, resource=step.resource, status="done")
    client.force_login(reader)
    # session, user, path, steps, their authors, the reader's statuses
    with django_assert_max_num_queries(6):
        assert client.get("/paths/long/").status_code == 200
    with django_assert_max_num_queries(5):  # session, user, paths, steps, statuses
        html = client.get("/paths/").content.decode()
    assert f"{steps} of {steps} done" in html


# The admin --------------------------------------------------------------------------------


def test_a_curator_composes_and_reorders_a_path_in_the_admin(client):
    from tests.factories import CuratorFactory

    client.force_login(CuratorFactory())
    first, second = ResourceFactory(title="First read"), ResourceFactory(title="Then this")
    form = client.get("/admin/resources/readingpath/add/").content.decode()
    assert 'name="steps-0-resource"' in form and "admin-autocomplete" in form
    data = {
        "title": "Kernels",
        "slug": "kernels",
        "position": 1,
        "is_published": "on",
        "description": "A short path.",
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-0-position": 20,
        "steps-0-resource": first.pk,
        "steps-0-note": "Start here.",
        "steps-1-position": 10,
        "steps-1-resource": second.pk,
        "steps-1-note": "Read this first after all.",
    }
    response = client.post("/admin/resources/readingpath/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    api = client.get("/api/paths/kernels/").json()
    assert [step["resource"] for step in api["steps"]] == [second.pk, first.pk]


def test_a_visitor_is_offered_no_next_step(client, path):
    html = client.get(path.get_absolute_url()).content.decode()
    assert "Log in to follow this path" in html
    assert "Your next step" not in html and "is-next" not in html
