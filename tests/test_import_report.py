"""Imports and dry runs say what they understood, per section, in the command and the admin."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from resources.models import Resource, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "markdown" / "corpus"
PAPERS = CORPUS / "awesome-deep-learning-papers.md"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_markdown", *args, stdout=out, stderr=io.StringIO(), verbosity=0)
    return out.getvalue()


def test_dry_run_report_lists_each_section_with_what_became_of_it():
    output = run(str(PAPERS), "--dry-run", "--report")
    lines = output.splitlines()
    assert any(
        "Understanding / Generalization / Transfer" in line and "topic" in line for line in lines
    )
    assert any(line.split()[1:3] == ["Contents", "prose"] for line in lines if line.strip())
    assert "16 topics; 5 sections skipped" in output
    assert Resource.objects.count() == 0 and Topic.objects.count() == 0


def test_expectations_are_scored_by_the_command():
    expected = CORPUS / "expected" / "awesome-deep-learning-papers.json"
    output = run(str(PAPERS), "--dry-run", "--expect", str(expected))
    assert "Expectations for awesome-deep-learning-papers.md:" in output
    assert "navigation/badge/prose links as entries: 0; prose sections as topics: 0" in output


def test_a_paper_list_imports_its_papers_and_no_prose_topics():
    run(str(PAPERS))
    assert Resource.objects.count() > 200
    assert not Topic.objects.filter(
        name__in=["Contents", "Background", "License", "Acknowledgement"]
    )
    assert not Topic.objects.filter(resources__isnull=True, children__isnull=True).exists()
    hinton = Resource.objects.get(title="Distilling the knowledge in a neural network")
    assert (hinton.url, hinton.year) == ("http://arxiv.org/pdf/1503.02531", 2015)
    assert hinton.topic.name == "Understanding / Generalization / Transfer"


def test_admin_dry_run_shows_the_sections_it_understood(client, run_worker):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with PAPERS.open("rb") as upload:
        queued = client.post(reverse("admin:resources_resource_import"), {"file": upload})
    run_worker()
    response = client.get(queued.url)  # the dry run's job page
    page = response.content.decode()
    assert response.status_code == 200
    assert "What was understood, section by section" in page
    assert "skipped: prose" in page and "Optimization / Training Techniques" in page
    assert Resource.objects.count() == 0


def test_an_unreadable_expectation_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot read the expectation file"):
        run(str(PAPERS), "--dry-run", "--expect", str(broken))
