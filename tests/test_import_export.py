"""The Markdown round trip through the database: import_markdown and export_markdown."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from resources.markdown.parse import parse_markdown
from resources.models import Author, Library, Resource, ResourceLink, Topic
from resources.services import import_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "seed"
CORPUS = Path(settings.BASE_DIR) / "tests" / "markdown" / "data"
SEED = FIXTURES / "README.md"
NEWER = CORPUS / "deeplearningtheory-2026-03.md"
DYNAMICS = CORPUS / "deep-learning-dynamics-paper-list.md"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export() -> str:
    return run("export_markdown")[0]


def snapshot() -> tuple:
    return (
        sorted(Resource.objects.values_list("url_key", "title", "description", "kind", "year")),
        sorted(ResourceLink.objects.values_list("url", "label")),
        sorted(Topic.objects.values_list("name", "position")),
        sorted(Author.objects.values_list("name", flat=True)),
    )


def test_seed_imports_with_warnings_for_the_merge_block():
    out, err = run("import_markdown", str(SEED))
    assert "added" in out
    assert "merge" in err.lower() or "conflict" in err.lower()
    assert Resource.objects.filter(title="Adam", url_key="arxiv:1412.6980").exists()
    assert Topic.objects.get(name="DeepModeling").resources.count() == 1


def test_importing_the_same_file_again_changes_nothing():
    run("import_markdown", str(SEED))
    before = snapshot()
    out, _ = run("import_markdown", str(SEED))
    assert "added 0 resources and 0 topics, changed 0" in out
    assert snapshot() == before


def test_dry_run_writes_nothing():
    out, _ = run("import_markdown", str(SEED), "--dry-run")
    assert "Dry run" in out and "would add" in out
    assert Resource.objects.count() == 0 and Topic.objects.count() == 0


def test_double_encoded_file_is_refused_with_where_it_starts():
    with pytest.raises(CommandError, match=r"double-encoded.*line \d+"):
        run("import_markdown", str(FIXTURES / "README.as-delivered.txt"))
    assert Resource.objects.count() == 0


def test_double_encoded_file_is_repaired_on_request():
    out, err = run(
        "import_markdown", str(FIXTURES / "README.as-delivered.txt"), "--repair-encoding"
    )
    # English text survives whole; Chinese characters whose bytes were dropped are marked.
    assert Resource.objects.filter(url_key="arxiv:1702.08489").exists()
    assert Resource.objects.count() >= 70
    assert "encoding: line 2:" in err  # what could not be repaired is listed, by line


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_markdown", str(tmp_path / "missing.md"))
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Liste\n\n- [Café](https://example.org)\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("import_markdown", str(latin))


def test_newer_list_adds_and_updates_but_keeps_curators_work():
    run("import_markdown", str(SEED))
    adam = Resource.objects.get(url_key="arxiv:1412.6980")
    adam.kind, adam.year = "book", 1999
    adam.curated_fields = ["kind", "year"]
    adam.save()
    adam.tags.add("curated-tag")
    count = Resource.objects.count()
    out, _ = run("import_markdown", str(NEWER))
    assert Resource.objects.count() > count + 20
    adam.refresh_from_db()
    assert (adam.kind, adam.year) == ("book", 1999)
    assert "curated-tag" in adam.tags.names()
    assert Resource.objects.filter(
        title="KAN: Kolmogorov-Arnold Networks", is_featured=True
    ).exists()
    highlights = Topic.objects.get(name="2025–2026 Highlights")
    assert highlights.children.filter(name="Lean / Formalization").exists()
    # Nothing is deleted: every seed resource is still there.
    run("import_markdown", str(SEED))
    assert Resource.objects.filter(url_key="arxiv:1412.6980").count() == 1


def test_an_import_that_fails_leaves_the_database_as_it_was(monkeypatch):
    run("import_markdown", str(SEED))
    before = snapshot()
    document = parse_markdown(NEWER.read_text(encoding="utf-8"))
    calls = {"n": 0}
    original = Resource.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 25:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Resource, "save", failing_save)
    with pytest.raises(RuntimeError):
        import_document(document)
    monkeypatch.undo()
    assert snapshot() == before


def test_dynamics_paper_list_imports_titles_venues_and_years():
    run("import_markdown", str(DYNAMICS))
    resource = Resource.objects.get(title="Gradient descent only converges to minimizers")
    assert (resource.venue, resource.year) == ("COLT", 2016)
    assert resource.url == "http://proceedings.mlr.press/v49/lee16.pdf"
    assert resource.topic.name == "1. Learning Dynamics of GD and SGD"
    assert not Topic.objects.filter(resources__title__icontains="inproceedings").exists()


def test_export_import_export_is_byte_identical(tmp_path):
    run("import_markdown", str(SEED))
    first = export()
    Resource.objects.all().delete()
    Topic.objects.all().delete()
    Library.objects.all().delete()
    exported = tmp_path / "README.md"
    exported.write_text(first, encoding="utf-8")
    run("import_markdown", str(exported))
    assert export() == first


def test_export_keeps_every_seed_link():
    run("import_markdown", str(SEED))
    exported = export()
    for link in ResourceLink.objects.all():
        assert link.url in exported
    for resource in Resource.objects.exclude(url=""):
        assert resource.url in exported


def test_export_writes_to_a_file(tmp_path):
    run("import_markdown", str(SEED))
    target = tmp_path / "README.md"
    run("export_markdown", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("# Deep Learning Theory\n")


def test_curator_uploads_a_list_in_the_admin_sees_the_dry_run_and_confirms(client, monkeypatch):
    # The dry run and the import are background jobs (tests/test_jobs.py has the details).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    curator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(curator)
    url = reverse("admin:resources_resource_import")
    with SEED.open("rb") as upload:
        response = client.post(url, {"file": upload})
    assert response.status_code == 302
    call_command("run_worker", "--batch", verbosity=0)
    page = client.get(response.url)
    assert "Dry run of README.md" in page.content.decode()
    assert Resource.objects.count() == 0
    response = client.post(url, {"confirm": "1", "job": str(page.context["job"].pk)})
    assert response.status_code == 302
    call_command("run_worker", "--batch", verbosity=0)
    assert Resource.objects.filter(title="Adam").exists()


def test_admin_upload_refuses_a_double_encoded_file(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with (FIXTURES / "README.as-delivered.txt").open("rb") as upload:
        response = client.post(reverse("admin:resources_resource_import"), {"file": upload})
    assert response.status_code == 200
    assert "double-encoded" in response.content.decode()
    assert Resource.objects.count() == 0


def test_readers_cannot_reach_the_admin_import(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:resources_resource_import"))
    assert response.status_code == 302  # to the admin login
