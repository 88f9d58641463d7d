"""What the open web sees (sitemap, robots.txt, descriptions, OpenGraph, schema.org) and the
layout's server-side parts: filter chips, tag facets, numbered pages, plain-text snippets."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from resources.models import Kind
from resources.rendering import markdown_to_text
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_every_public_page_kind(client):
    topic = TopicFactory(slug="generalization")
    author = AuthorFactory(slug="yi-ma")
    resource = ResourceFactory(topic=topic, authors=[author], tags=["ntk"])
    xml = client.get("/sitemap.xml").content.decode()
    for path in [
        "/",
        "/resources/",
        "/tags/",
        "/authors/",
        resource.get_absolute_url(),
        "/topics/generalization/",
        "/tags/ntk/",
        "/authors/yi-ma/",
    ]:
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "/library/" not in xml and "/admin/" not in xml


def test_a_cached_sitemap_is_retired_when_a_resource_is_added(client):
    client.get("/sitemap.xml")
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "hit"
    resource = ResourceFactory()
    assert resource.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/admin/", "/accounts/", "/library/"):
        assert f"Disallow: {path}" in text


@pytest.mark.parametrize(
    ("kind", "schema"),
    [(Kind.PAPER, "ScholarlyArticle"), (Kind.BOOK, "Book"), (Kind.COURSE, "Course")],
)
def test_a_resource_page_carries_schema_org_microdata(client, kind, schema):
    author = AuthorFactory(name="Yi Ma")
    resource = ResourceFactory(kind=kind, year=2021, authors=[author], title="白盒深度网络")
    html = client.get(resource.get_absolute_url()).content.decode()
    assert f'itemtype="https://schema.org/{schema}"' in html
    assert re.search(r'<h1 lang="zh-Hans" itemprop="name">[^<]*白盒深度网络</h1>', html)
    assert '<span itemprop="datePublished">2021</span>' in html
    assert 'itemtype="https://schema.org/Person"' in html
    assert '<span itemprop="name" lang="en">Yi Ma</span>' in html


def test_a_resource_page_describes_itself_in_plain_text(client):
    resource = ResourceFactory(
        title="Neural Tangent Kernel",
        description="The **kernel** of [the paper](https://example.org/ntk) stays fixed.",
    )
    html = client.get(resource.get_absolute_url()).content.decode()
    description = 'content="The kernel of the paper stays fixed."'
    assert f'<meta name="description" {description}>' in html
    assert f'<meta property="og:description" {description}>' in html
    assert '<meta property="og:title" content="Neural Tangent Kernel">' in html
    assert '<meta property="og:type" content="article">' in html


def test_every_page_names_its_icons_and_manifest(client):
    html = client.get("/").content.decode()
    for href in ("icons/favicon.svg", "icons/favicon-32.png", "site.webmanifest"):
        assert f'href="/static/{href}"' in html
        assert (Path(settings.BASE_DIR) / "static" / href).exists()
    assert '<meta name="description"' in html and 'property="og:image"' in html


def test_markdown_becomes_its_words_for_snippets():
    text = "See [the paper](https://x.org/a) and **bold** `code`.\n\n- one\n- two"
    assert markdown_to_text(text) == "See the paper and bold code. one two"
    assert markdown_to_text("") == ""


def test_a_search_snippet_shows_text_not_markdown(client):
    ResourceFactory(
        title="Kernels",
        description="Read [the tangent kernel paper](https://example.org/ntk) first.",
    )
    html = client.get("/resources/?q=tangent").content.decode()
    snippet = re.search(r'<p class="search-snippet"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "<mark>tangent</mark> kernel paper" in snippet
    assert "](" not in snippet and "example.org" not in snippet


def test_the_featured_mark_is_an_icon_not_an_emoji(client):
    ResourceFactory(is_featured=True)
    html = client.get("/resources/").content.decode()
    assert '<img class="featured-mark" src="/static/icons/featured.svg"' in html
    assert "🔥" not in html


def test_active_filters_show_as_chips_that_each_remove_themselves(client):
    ResourceFactory(kind=Kind.PAPER, tags=["ntk", "geometry"])
    html = client.get("/resources/?kind=paper&tag=ntk&tag=geometry&page=1").content.decode()
    chips = re.findall(r'<a class="chip" href="([^"]+)">', html)
    assert [chip.replace("&amp;", "&") for chip in chips] == [
        "?tag=ntk&tag=geometry",
        "?kind=paper&tag=geometry",
        "?kind=paper&tag=ntk",
    ]
    assert '<a class="chip chip-clear" href="/resources/">' in html
    assert 'Filters <span class="count">(3)</span>' in html


def test_no_chips_without_filters(client):
    ResourceFactory()
    assert "filter-chips" not in client.get("/resources/?sort=title").content.decode()


def test_tag_facets_show_how_many_resources_carry_each_tag(client):
    ResourceFactory.create_batch(3, tags=["ntk"])
    ResourceFactory(tags=["geometry"])
    html = client.get("/resources/").content.decode()
    assert re.search(r'value="ntk"> <span lang="en">ntk</span> <span class="count">3</span>', html)
    assert re.search(r'value="geometry">[^\n]*?<span class="count">1</span>', html)
    assert 'data-tag-filter aria-controls="tag-choice-list"' in html


def test_pagination_is_numbered_around_the_current_page(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 5
    ResourceFactory.create_batch(60)
    html = client.get("/resources/?page=6&sort=title").content.decode()
    numbers = re.findall(r'page=(\d+)">(\d+)</a>', html)
    assert [int(label) for _, label in numbers] == [1, 4, 5, 6, 7, 8, 12]
    assert '<a aria-current="page" href="?sort=title&amp;page=6">6</a>' in html
    assert html.count('<li class="gap" aria-hidden="true">…</li>') == 2


def test_api_docs_serve_vendored_swagger_ui_without_inline_script(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/' in html
    assert "<script>" not in html and "<style>" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_error_pages_are_in_the_visitors_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in html and "页面不存在" in html


def test_a_filter_the_list_could_not_use_shows_as_ignored_and_a_topic_by_its_name(client):
    topic = TopicFactory(name="Implicit regularization", slug="implicit-regularization")
    ResourceFactory(topic=topic)
    ResourceFactory(topic=TopicFactory())  # in another topic: filtered out
    html = client.get("/resources/?topic=implicit-regularization&year_min=abc").content.decode()
    chips = re.findall(r'<a class="chip( is-ignored)?" href="[^"]+">(.*?)</a>', html, re.S)
    labels = {
        re.sub(r"<[^>]+>", "", text).split("×")[0].strip(): bool(ignored) for ignored, text in chips
    }
    assert labels == {
        "Topic: Implicit regularization": False,
        "From year: abc (ignored: not a valid value)": True,
    }
    # The list is filtered by the topic alone.
    assert html.count('class="resource-row') == 1
    # The drawer's button counts the filters in force, not the ignored one.
    assert 'Filters <span class="count">(1)</span>' in html


def test_the_drawer_counts_only_what_asks_for_something(client):
    ResourceFactory(kind=Kind.PAPER)
    html = client.get("/resources/?kind=paper&featured=maybe&q=+&year_max=").content.decode()
    assert 'Filters <span class="count">(1)</span>' in html


def test_a_chinese_drawer_writes_its_errors_with_a_full_width_colon(client):
    ResourceFactory()
    html = client.get("/resources/?year_min=abc", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    errors = re.search(r'<li id="id_year_min_error">(.*?)</li>', html).group(1)
    assert "：" in errors and ": " not in errors


def chip_labels(html: str) -> dict[str, str]:
    """Each chip's text (tags stripped) → its "ignored" note ("" when the filter applies)."""
    chips = re.findall(r'<a class="chip( is-ignored)?" href="[^"]+">(.*?)</a>', html, re.S)
    labels = {}
    for _, text in chips:
        text = re.sub(r"<[^>]+>", "", text).split("×")[0].strip()
        name, _, note = text.partition(" (ignored: ")
        labels[name] = note.rstrip(")")
    return labels


def test_a_filter_the_page_itself_chooses_is_marked_ignored(client):
    topic = TopicFactory(name="Overview", slug="overview")
    TopicFactory(name="Courses", slug="course")
    ResourceFactory(topic=topic)
    html = client.get("/topics/overview/?topic=course").content.decode()
    assert chip_labels(html) == {"Topic: Courses": "this page already chooses it"}
    assert "<summary>Filters</summary>" in html  # counted as no filter in force


def test_a_chip_names_a_chinese_topic_in_chinese(client):
    topic = TopicFactory(name="核方法", slug="kernel-methods")
    ResourceFactory(topic=topic)
    html = client.get("/resources/?topic=kernel-methods").content.decode()
    assert '<span lang="zh-Hans">核方法</span>' in html


def test_a_long_search_is_cut_short_on_its_chip(client):
    ResourceFactory(title="Kernels")
    words = " ".join(["kernels"] * 80)  # 639 characters
    html = client.get("/resources/", {"q": words}).content.decode()
    (label,) = chip_labels(html)
    assert label.startswith("Search: kernels kernels") and label.endswith("…")
    assert len(label) < 100


def test_of_two_values_for_a_one_value_filter_the_first_is_marked_replaced(client):
    ResourceFactory(kind=Kind.BOOK)
    ResourceFactory(kind=Kind.PAPER)
    html = client.get("/resources/?kind=paper&kind=book").content.decode()
    assert chip_labels(html) == {"Kind: Paper": "a later value replaces it", "Kind: Book": ""}
    assert 'Filters <span class="count">(1)</span>' in html
    assert html.count('class="resource-row') == 1


def test_featured_false_filters_and_says_so_and_featured_maybe_asks_for_nothing(client):
    ResourceFactory(is_featured=True)
    ResourceFactory(is_featured=False)
    html = client.get("/resources/?featured=false").content.decode()
    assert chip_labels(html) == {"Featured only: No": ""}
    assert html.count('class="resource-row') == 1
    html = client.get("/resources/?featured=on&q=%21%21%21").content.decode()
    assert chip_labels(html) == {
        "Featured only: on": "asks for nothing",
        "Search: !!!": "asks for nothing",
    }
    assert html.count('class="resource-row') == 2


def test_a_value_not_applied_as_given_is_never_served_from_the_clean_pages_entry(client):
    ResourceFactory()
    client.get("/resources/")
    assert client.get("/resources/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        response = client.get("/resources/?featured=on")
        assert "X-Page-Cache" not in response
        assert chip_labels(response.content.decode()) == {"Featured only: on": "asks for nothing"}
    # Unknown parameters still share the clean page's entry, and it stayed clean.
    response = client.get("/resources/?utm_source=feed")
    assert response["X-Page-Cache"] == "hit" and chip_labels(response.content.decode()) == {}


def test_a_year_range_that_ends_before_it_starts_says_so_and_applies_its_start(client):
    ResourceFactory(year=2018)
    ResourceFactory(year=2023)
    html = client.get("/resources/?year_min=2022&year_max=2020").content.decode()
    assert chip_labels(html) == {"From year: 2022": "", "To year: 2020": "not a valid value"}
    assert "To year: Ends before the From year." in html
    assert html.count('class="resource-row') == 1
    chinese = client.get("/resources/?year_min=2022&year_max=2020", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "截止年份：早于起始年份。" in chinese.content.decode()


def test_a_tag_no_resource_carries_is_applied_and_says_it_matches_nothing(client):
    ResourceFactory(tags=["white-box"])
    html = client.get("/resources/?tag=white-box&tag=nope").content.decode()
    notes = re.findall(r'<a class="chip" href="[^"]+">(.*?)</a>', html, re.S)
    assert ["no resource has this tag" in note for note in notes] == [False, True]
    assert 'Filters <span class="count">(2)</span>' in html
    assert 'class="resource-row' not in html
