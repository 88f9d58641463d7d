"""Citations of any view: BibTeX, RIS and CSL-JSON, read back with independent parsers."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from taggit.models import Tag

from resources import citations
from resources.citations.records import cited, split_name
from resources.models import Author, Kind, Resource, Topic
from tests.factories import (
    AuthorFactory,
    BookmarkFactory,
    ResourceFactory,
    ResourceLinkFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csljson": "application/vnd.citationstyles.csl+json",
}
STYLE = "harvard-cite-them-right"  # shipped with citeproc-py


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()]
    )
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library.entries


def parse_ris(text: str) -> list[dict]:
    return rispy.loads(text)


def render_csl(text: str) -> list[str]:
    """Every item rendered by citeproc-py with a shipped style: one bibliography line each."""
    items = json.loads(text)
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(STYLE, validate=False), source, citeproc_formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def count_entries(fmt: str, text: str) -> int:
    if fmt == "bibtex":
        return len(parse_bibtex(text))
    if fmt == "ris":
        return len(parse_ris(text))
    return len(render_csl(text))


def page_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


VIEWS = [
    "/resources/",
    "/resources/?kind=paper",
    "/resources/?q=kernel&sort=-year",
    "/resources/?q=泛化",
    "/resources/?year_min=2020&language=en",
    "/resources/?kind=nonsense",  # a rejected filter is dropped, as the page drops it
]


@pytest.mark.parametrize("fmt", list(citations.FORMATS))
@pytest.mark.parametrize("url", VIEWS)
def test_a_catalogue_view_exports_exactly_its_resources_in_every_format(client, library, url, fmt):
    expected = page_count(client, url)
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{CONTENT_TYPES[fmt]}; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert expected > 0
    assert count_entries(fmt, response.content.decode("utf-8")) == expected


@pytest.mark.parametrize("fmt", list(citations.FORMATS))
def test_topic_tag_and_author_pages_export_exactly_their_resources(client, library, fmt):
    topic = Topic.objects.filter(parent__isnull=True).first()
    tag = Tag.objects.first()
    author = Author.objects.filter(resources__isnull=False).first()
    for url in (f"/topics/{topic.slug}/", f"/tags/{tag.slug}/", f"/authors/{author.slug}/"):
        expected = page_count(client, url)
        response = client.get(url, {"format": fmt})
        assert count_entries(fmt, response.content.decode()) == expected, url


def test_the_export_holds_every_resource_not_one_page(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 5
    topic = TopicFactory()
    ResourceFactory.create_batch(12, topic=topic)
    entries = parse_bibtex(client.get("/resources/", {"format": "bibtex"}).content.decode())
    assert len(entries) == 12
    assert len({entry.key for entry in entries}) == 12


def test_an_export_over_the_limit_is_refused_with_a_message(client, monkeypatch):
    monkeypatch.setattr("resources.citations.views.MAX_EXPORT", 3)
    ResourceFactory.create_batch(4)
    response = client.get("/resources/", {"format": "ris"})
    assert response.status_code == 400
    assert "at most 3" in response.content.decode()
    assert client.get("/resources/", {"format": "ris", "year_min": 3000}).status_code == 200


def test_special_characters_and_chinese_survive_every_format(client):
    title = r"Loss & 100% of {networks}_#1: $x^2$ ~ a\b — 深度学习的泛化"
    ma = AuthorFactory(name="马毅")
    roberts = AuthorFactory(name="Daniel A. Roberts")
    resource = ResourceFactory(title=title, authors=[ma, roberts], language="zh")
    bib = client.get(resource.get_absolute_url(), {"format": "bibtex"}).content.decode()
    [entry] = parse_bibtex(bib)
    # pylatexenc decodes \textasciicircum{} (which LaTeX prints as "^") to U+02C6.
    assert entry["title"].replace("\u02c6", "^") == title
    assert entry["author"] == ["马毅", "Roberts, Daniel A."]
    assert "{马毅} and Roberts" in bib  # braced: one name, not "Given Family"
    [ris] = parse_ris(client.get(resource.get_absolute_url(), {"format": "ris"}).content.decode())
    assert ris["title"] == title
    assert ris["authors"] == ["马毅", "Roberts, Daniel A."]
    csl = client.get(resource.get_absolute_url(), {"format": "csljson"}).content.decode()
    [item] = json.loads(csl)
    assert item["title"] == title
    assert item["author"] == [{"literal": "马毅"}, {"family": "Roberts", "given": "Daniel A."}]
    assert "深度学习的泛化" in render_csl(csl)[0]


def test_entry_types_follow_the_kind_and_venue(client):
    ResourceFactory(title="Journal paper", venue="Nature", year=2020)
    ResourceFactory(title="Conference paper", venue="NeurIPS 2019", year=2019)
    ResourceFactory(title="Preprint", url="https://arxiv.org/abs/2012.10931", venue="")
    ResourceFactory(title="Book", kind=Kind.BOOK, venue="Cambridge University Press")
    ResourceFactory(title="Post", kind=Kind.BLOG, venue="")
    ResourceFactory(title="Lecture", kind=Kind.VIDEO, venue="YouTube")
    entries = parse_bibtex(client.get("/resources/", {"format": "bibtex"}).content.decode())
    types = {entry["title"]: entry.entry_type for entry in entries}
    assert types == {
        "Journal paper": "article",
        "Conference paper": "inproceedings",
        "Preprint": "misc",
        "Book": "book",
        "Post": "misc",
        "Lecture": "misc",
    }
    by_title = {entry["title"]: entry for entry in entries}
    assert by_title["Journal paper"]["journal"] == "Nature"
    assert by_title["Conference paper"]["booktitle"] == "NeurIPS 2019"
    assert by_title["Preprint"]["eprint"] == "2012.10931"
    assert by_title["Book"]["publisher"] == "Cambridge University Press"
    assert by_title["Post"]["howpublished"] == "Blog post"
    assert by_title["Lecture"]["url"].startswith("https://example.org/")
    ris = {
        entry["title"]: entry["type_of_reference"]
        for entry in parse_ris(client.get("/resources/", {"format": "ris"}).content.decode())
    }
    assert ris["Journal paper"] == "JOUR" and ris["Conference paper"] == "CPAPER"
    assert ris["Book"] == "BOOK" and ris["Post"] == "BLOG" and ris["Lecture"] == "VIDEO"


def test_keys_are_family_year_and_title_word_made_unique_by_id():
    tao = AuthorFactory(name="Terence Tao")
    first = ResourceFactory(title="The structure of learning", authors=[tao], year=2020)
    second = ResourceFactory(title="Structure theorems", authors=[tao], year=2020)
    chinese = ResourceFactory(title="深度学习", authors=[AuthorFactory(name="马毅")], year=2021)
    text = citations.citation_text(
        cited(Resource.objects.filter(pk__in=[second.pk, first.pk, chinese.pk]).order_by("-pk")),
        "bibtex",
    )
    keys = {entry["title"]: entry.key for entry in parse_bibtex(text)}
    assert keys == {
        "The structure of learning": "tao2020structurea",
        "Structure theorems": "tao2020structureb",
        "深度学习": "ma2021shen",
    }


@pytest.mark.parametrize(
    ("name", "inverted"),
    [
        ("Daniel A. Roberts", "Roberts, Daniel A."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("W.T. Gowers", "Gowers, W.T."),
        ("马毅", "马毅"),
        ("zeke-xie", "zeke-xie"),
    ],
)
def test_latin_names_are_written_family_first_and_others_as_written(name, inverted):
    assert split_name(name).inverted == inverted


def test_a_chinese_name_is_written_family_first_from_its_latin_alias(client):
    ma = AuthorFactory(name="马毅")
    ma.aliases.create(name="MaYi")  # one word: no way to split it
    ma.aliases.create(name="Yi Ma")
    zhang = AuthorFactory(name="张拳石")
    zhang.aliases.create(name="Zhang Quanshi")
    ouyang = AuthorFactory(name="欧阳明")
    ouyang.aliases.create(name="Ming Ouyang")
    unmatched = AuthorFactory(name="周定轩")
    unmatched.aliases.create(name="D. X. Chow")
    resource = ResourceFactory(title="白盒", authors=[ma, zhang, ouyang, unmatched], year=2022)
    [entry] = parse_bibtex(
        client.get(resource.get_absolute_url(), {"format": "bibtex"}).content.decode()
    )
    assert entry["author"] == ["Ma, Yi", "Zhang, Quanshi", "Ouyang, Ming", "周定轩"]
    assert entry.key == "ma2022bai"
    [item] = json.loads(client.get(resource.get_absolute_url(), {"format": "csljson"}).content)
    assert item["author"][0] == {"family": "Ma", "given": "Yi"}
    assert item["author"][3] == {"literal": "周定轩"}


def test_an_export_costs_the_same_few_queries_whatever_its_size(
    client, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            chinese = AuthorFactory(name=f"马{AuthorFactory._meta.model.objects.count()}")
            chinese.aliases.create(name=f"Ma Yi{chinese.pk}")
            resource = ResourceFactory(authors=[AuthorFactory(), chinese], tags=["theory", "ntk"])
            ResourceLinkFactory(resource=resource)

    make(3)
    with django_assert_max_num_queries(8):
        small = client.get("/resources/", {"format": "csljson", "tag": "ntk"})
    make(40)
    with django_assert_max_num_queries(8):
        large = client.get("/resources/", {"format": "csljson", "tag": "theory"})
    assert len(json.loads(small.content)) == 3
    assert len(json.loads(large.content)) == 43


def test_an_anonymous_export_and_the_html_page_never_stand_in_for_each_other(client):
    ResourceFactory(title="Spectral bias")
    page = client.get("/resources/")
    export = client.get("/resources/", {"format": "bibtex"})
    again = client.get("/resources/", {"format": "bibtex"})
    page_again = client.get("/resources/")
    assert export["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert again["Content-Type"].startswith("application/x-bibtex")
    assert again["Content-Disposition"] == export["Content-Disposition"]
    assert again.content == export.content
    assert page_again["Content-Type"].startswith("text/html")
    assert page_again.content == page.content


def test_the_library_export_is_the_readers_own_shelf_with_status_and_rating(client):
    owner, stranger = UserFactory(), UserFactory()
    mine = ResourceFactory(title="Mine")
    theirs = ResourceFactory(title="Theirs")
    BookmarkFactory(user=owner, resource=mine, status="done", rating=4)
    BookmarkFactory(user=stranger, resource=theirs, status="reading")
    client.force_login(owner)
    page = client.get("/library/")
    response = client.get("/library/", {"format": "bibtex"})
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    entries = parse_bibtex(response.content.decode())
    assert len(entries) == page.context["page_obj"].paginator.count == 1
    assert entries[0]["title"] == "Mine"
    assert entries[0]["note"] == "Reading status: Done; rating: 4/5"
    [ris] = parse_ris(client.get("/library/", {"format": "ris"}).content.decode())
    assert "Reading status: Done; rating: 4/5" in ris["notes"]
    client.force_login(stranger)
    [entry] = parse_bibtex(client.get("/library/", {"format": "bibtex"}).content.decode())
    assert entry["title"] == "Theirs" and "Reading" in entry["note"]


def test_an_anonymous_library_export_asks_to_log_in(client):
    response = client.get("/library/", {"format": "bibtex"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_resource_page_gives_its_own_citation_and_a_missing_one_404s(client):
    resource = ResourceFactory(title="Alone", authors=[AuthorFactory(name="Amit Daniely")])
    ResourceFactory()
    response = client.get(resource.get_absolute_url(), {"format": "bibtex"})
    [entry] = parse_bibtex(response.content.decode())
    assert entry["author"] == ["Daniely, Amit"]
    assert client.get("/resources/999999/", {"format": "ris"}).status_code == 404


@pytest.mark.parametrize("fmt", list(citations.FORMATS))
def test_the_api_exports_every_matching_resource_through_its_renderers(client, library, fmt):
    expected = Resource.objects.filter(kind="paper").count()
    assert expected > 20  # more than one API page
    response = client.get("/api/resources/", {"format": fmt, "kind": "paper"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(CONTENT_TYPES[fmt])
    assert count_entries(fmt, response.content.decode()) == expected
    accepted = client.get("/api/resources/", headers={"accept": CONTENT_TYPES[fmt]})
    assert count_entries(fmt, accepted.content.decode()) == Resource.objects.count()


def test_the_api_gives_one_resources_citation_and_refuses_a_huge_export(client, monkeypatch):
    resource = ResourceFactory(title="Single")
    [item] = json.loads(client.get(f"/api/resources/{resource.pk}/?format=csljson").content)
    assert item["title"] == "Single"
    monkeypatch.setattr("resources.api.MAX_EXPORT", 0)
    response = client.get("/api/resources/", {"format": "bibtex"})
    assert response.status_code == 400
    assert "at most 0" in response.content.decode()


def test_every_shipped_resource_renders_with_a_csl_style(client, library):
    text = client.get("/resources/", {"format": "csljson"}).content.decode()
    lines = render_csl(text)
    assert len(lines) == Resource.objects.count()
    assert all(line.strip() for line in lines)


def test_a_resource_page_has_a_cite_menu_of_the_three_formats(client):
    resource = ResourceFactory()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert '<details class="cite-menu">' in html
    for fmt in citations.FORMATS:
        assert f'href="{resource.get_absolute_url()}?format={fmt}" download' in html


def test_list_pages_offer_an_export_of_the_whole_filtered_view(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    ResourceFactory.create_batch(3, kind="paper")
    html = client.get("/resources/", {"kind": "paper", "page": 2}).content.decode()
    assert '<details class="export-menu">' in html
    assert 'href="/resources/?kind=paper&amp;format=bibtex" download' in html
    exported = client.get("/resources/?kind=paper&format=bibtex").content.decode()
    assert len(parse_bibtex(exported)) == 3
