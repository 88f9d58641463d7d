"""Metadata from arXiv: `enrich_metadata` against a local stand-in of the arXiv API."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from resources.models import Author, Resource
from resources.scholarly.arxiv import ArxivClient, parse
from resources.search import search
from tests.arxiv_standin import RECORDED, ArxivStandIn
from tests.factories import AuthorFactory, CuratorFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def run(stand_in: ArxivStandIn, *args: str) -> None:
    call_command("enrich_metadata", "--arxiv-api", stand_in.url, "--delay", "0", *args, verbosity=0)


def test_a_recorded_answer_is_read_into_records():
    records = {record.arxiv_id: record for record in parse(RECORDED.encode())}
    assert set(records) == {"1412.6980", "2012.10931", "2106.10165", "2207.04630", "2104.13478"}
    book = records["2106.10165"]
    assert book.authors == ["Daniel A. Roberts", "Sho Yaida", "Boris Hanin"]
    assert book.published == date(2021, 6, 18)
    assert book.doi == "10.1017/9781009023405"
    assert book.primary_category == "cs.LG"
    assert book.abstract.startswith("This book develops") and "\n" not in book.abstract
    assert records["2104.13478"].authors[-1] == "Petar Veličković"


def test_every_arxiv_resource_of_the_library_gets_its_abstract_and_keeps_its_title(library):
    arxiv = {r.pk: r.title for r in Resource.objects.exclude(arxiv_id="")}
    assert len(arxiv) >= 19
    titles = dict(Resource.objects.exclude(arxiv_id="").values_list("arxiv_id", "title"))
    with ArxivStandIn(synthesize=titles) as stand_in:
        run(stand_in, "--batch-size", "5")
    assert all(len(ids) <= 5 for ids in stand_in.requests)
    assert sorted(i for ids in stand_in.requests for i in ids) == sorted(titles)
    for resource in Resource.objects.exclude(arxiv_id=""):
        assert resource.abstract, resource.arxiv_id
        assert resource.title == arxiv[resource.pk]
        assert "abstract" in resource.metadata_sources
        assert resource.metadata_fetched_at is not None
        assert resource.published is not None


def test_authors_come_in_arxiv_order_and_reuse_known_people_by_their_aliases():
    yi_ma = AuthorFactory(name="马毅")
    yi_ma.aliases.create(name="Yi Ma")
    resource = ResourceFactory(url="https://arxiv.org/abs/2207.04630", authors=[yi_ma])
    with ArxivStandIn() as stand_in:
        run(stand_in)
    resource.refresh_from_db()
    names = [author.name for author in resource.ordered_authors]
    assert names == ["马毅", "Doris Tsao", "Heung-Yeung Shum"]
    assert Author.objects.filter(name="Yi Ma").count() == 0
    assert resource.doi == "10.1631/FITEE.2200297"
    assert resource.arxiv_category == "cs.AI"
    resource.save()  # the URL names no DOI: the one from arXiv stays
    assert Resource.objects.get(pk=resource.pk).doi == "10.1631/FITEE.2200297"


def test_a_curators_edits_are_never_overwritten():
    curator_author = AuthorFactory(name="Curated Person")
    resource = ResourceFactory(
        url="https://arxiv.org/abs/1412.6980",
        title="Adam (curated title)",
        authors=[curator_author],
    )
    resource.abstract = "The curator's own summary."
    resource.curated_fields = ["abstract", "authors", "title"]
    resource.save()
    with ArxivStandIn() as stand_in:
        run(stand_in)
    resource.refresh_from_db()
    assert resource.abstract == "The curator's own summary."
    assert resource.title == "Adam (curated title)"
    assert resource.ordered_authors == [curator_author]
    assert resource.published == date(2014, 12, 22)  # not curated: filled
    assert "abstract" not in resource.metadata_sources


def test_only_missing_skips_what_was_fetched(capsys):
    ResourceFactory(url="https://arxiv.org/abs/2012.10931")
    with ArxivStandIn() as stand_in:
        run(stand_in)
        run(stand_in, "--only-missing")
    assert len(stand_in.requests) == 1


def test_busy_answers_are_retried_and_unknown_ids_reported(capsys):
    ResourceFactory(url="https://arxiv.org/abs/2106.10165")
    ResourceFactory(url="https://arxiv.org/abs/2301.99999")
    with ArxivStandIn(fail_first=2) as stand_in:
        call_command(
            "enrich_metadata", "--arxiv-api", stand_in.url, "--delay", "0", "--retries", "3"
        )
    assert len(stand_in.requests) == 3
    out = capsys.readouterr()
    assert "Not found on arXiv: 2301.99999" in out.err
    assert "1 updated" in out.out
    assert Resource.objects.get(arxiv_id="2106.10165").abstract


def test_an_unreachable_api_fails_clearly_and_changes_nothing():
    resource = ResourceFactory(url="https://arxiv.org/abs/2106.10165")
    with ArxivStandIn(fail_first=100) as stand_in, pytest.raises(CommandError, match="arXiv"):
        run(stand_in, "--retries", "1")
    assert len(stand_in.requests) == 2
    resource.refresh_from_db()
    assert resource.abstract == "" and resource.metadata_fetched_at is None


def test_requests_are_spaced_by_the_delay():
    waits = []
    with ArxivStandIn() as stand_in:
        client = ArxivClient(api_url=stand_in.url, delay=3, sleep=waits.append)
        with client:
            client.fetch(["1412.6980"])
            client.fetch(["2012.10931"])
    assert len(waits) == 1 and 2.5 < waits[0] <= 3


def test_abstracts_are_shown_with_their_tex_and_searched(client):
    resource = ResourceFactory(url="https://arxiv.org/abs/2106.10165", title="PDLT")
    before = client.get(resource.get_absolute_url())
    assert "nearly-Gaussian" not in before.content.decode()
    with ArxivStandIn() as stand_in:
        run(stand_in)
    html = client.get(resource.get_absolute_url()).content.decode()  # the cached page retired
    assert '<section class="abstract markdown"' in html
    assert '<span class="math inline">\\(1/n \\ll L/n \\ll 1\\)</span>' in html
    assert list(search(Resource.objects.all(), "nearly-Gaussian distributions")) == [resource]
    api = client.get(reverse("api-resource-detail", args=[resource.pk])).json()
    assert api["abstract"].startswith("This book develops")
    assert api["published"] == "2021-06-18" and api["doi"] == "10.1017/9781009023405"


def test_the_admin_fetches_metadata_for_selected_resources_and_marks_it(client, settings):
    wanted = ResourceFactory(url="https://arxiv.org/abs/1412.6980")
    other = ResourceFactory(url="https://arxiv.org/abs/2012.10931")
    client.force_login(CuratorFactory())
    with ArxivStandIn() as stand_in:
        settings.ARXIV_API_URL = stand_in.url
        settings.ARXIV_API_DELAY = 0
        response = client.post(
            reverse("admin:resources_resource_changelist"),
            {"action": "fetch_arxiv_metadata", "_selected_action": [wanted.pk]},
            follow=True,
        )
    assert "Metadata from arXiv: 1 updated" in response.content.decode()
    wanted.refresh_from_db()
    other.refresh_from_db()
    assert wanted.abstract.startswith("We introduce Adam") and other.abstract == ""
    page = client.get(reverse("admin:resources_resource_change", args=[wanted.pk]))
    assert "abstract, arxiv_category, authors, published" in page.content.decode()


def test_a_curators_edit_in_the_admin_makes_the_field_theirs(client):
    resource = ResourceFactory(url="https://arxiv.org/abs/1412.6980")
    with ArxivStandIn() as stand_in:
        run(stand_in)
    client.force_login(CuratorFactory())
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    resource.refresh_from_db()
    data.update(
        {
            "abstract": "Rewritten by a curator.",
            "topic": resource.topic_id,
            "tags": "",
            "authorships-TOTAL_FORMS": 0,
            "authorships-INITIAL_FORMS": 0,
            "links-TOTAL_FORMS": 0,
            "links-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()
    assert "abstract" in resource.curated_fields
    assert "abstract" not in resource.metadata_sources
    with ArxivStandIn() as stand_in:
        run(stand_in)
    resource.refresh_from_db()
    assert resource.abstract == "Rewritten by a curator."
