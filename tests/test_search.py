"""Search behaviour around the query set: index upkeep, pages, API, syntax, safety, speed."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.models import Bookmark, Resource, SearchSynonym
from resources.search import parse_query, search
from resources.search.marking import highlight, snippet
from resources.search.query import MAX_QUERY_LENGTH
from resources.search.tokens import document_tokens, query_tokens, stem
from tests.factories import AuthorFactory, ResourceFactory, ResourceLinkFactory, TopicFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> set[int]:
    return set(search(Resource.objects.all(), query).values_list("pk", flat=True))


# Tokens ------------------------------------------------------------------------------------
def test_han_text_is_indexed_as_characters_and_pairs_and_queried_by_pairs():
    assert document_tokens("几何学") == ["几", "何", "学", "几何", "何学"]
    assert query_tokens("几何学") == ["几何", "何学"]
    assert query_tokens("群") == ["群"]


@pytest.mark.parametrize(
    "forms",
    [
        ("network", "networks"),
        ("theory", "theories"),
        ("generalize", "generalized", "generalizes", "generalizing"),
        ("learn", "learned", "learning", "learns"),
        ("kernel", "Kernels", "KERNELS"),
        ("adversarial", "adversarially"),
    ],
)
def test_inflected_english_forms_share_one_token(forms):
    assert len({stem(form.casefold()) for form in forms}) == 1


def test_full_width_and_accented_letters_are_normalised():
    assert document_tokens("ＮＴＫ Poincaré") == ["ntk", "poincar"]


# Keeping the index current -----------------------------------------------------------------
def test_document_follows_aliases_tags_links_topics_and_titles():
    author = AuthorFactory(name="Yi Ma")
    resource = ResourceFactory(title="Rate reduction", authors=[author])
    assert found("马毅") == set()
    author.aliases.create(name="马毅")
    assert found("马毅") == {resource.pk}
    resource.tags.add("白盒")
    assert found("白盒") == {resource.pk}
    link = ResourceLinkFactory(resource=resource, label="讲座视频")
    assert found("讲座") == {resource.pk}
    link.delete()
    assert found("讲座") == set()
    resource.topic.name = "压缩与表示"
    resource.topic.save()
    assert found("压缩") == {resource.pk}
    resource.title = "ReduNet"
    resource.save()
    assert found("ReduNet") == {resource.pk}
    assert found("reduction") == set()
    resource.tags.clear()
    assert found("白盒") == set()
    author.name = "Ma Yi"
    author.save()
    assert found("Ma Yi") == {resource.pk}


def test_deleted_resources_leave_the_index():
    resource = ResourceFactory(title="Benign overfitting")
    other = ResourceFactory(title="Benign overfitting in kernels")
    resource.delete()
    assert found("benign") == {other.pk}


def test_rebuild_search_index_restores_documents_written_around_the_orm():
    resource = ResourceFactory(title="Grokking 顿悟")
    Resource.objects.filter(pk=resource.pk).update(search_text="", search_title="")
    assert found("grokking") == set()
    call_command("rebuild_search_index", verbosity=0)
    assert found("grokking") == found("顿悟") == {resource.pk}


def test_curators_synonyms_take_effect_at_once():
    vit = ResourceFactory(title="An image is worth 16x16 words: vision transformers at scale")
    assert found("ViT") == set()
    group = SearchSynonym.objects.create(terms="ViT, vision transformer")
    assert found("ViT") == {vit.pk}
    group.delete()
    assert found("ViT") == set()


def test_seeded_synonyms_tie_acronyms_and_languages():
    terms = {term for group in SearchSynonym.objects.all() for term in group.term_list()}
    assert {"NTK", "neural tangent kernel", "GNN", "graph neural network", "泛化"} <= terms


# Syntax ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fields", "words"),
    [
        ('author:"Yi Ma" 泛化', [("author", "Yi Ma")], ["泛化"]),
        ("year:2021..2019", [("year", "2021..2019")], []),
        ("kind:poem", [], ["kind", "poem"]),
        ("year:soon", [], ["year", "soon"]),
        ("colour:red", [], ["colour", "red"]),
        ('"unclosed phrase', [], ["unclosed", "phrase"]),
        ("author: Ma", [], ["author", "Ma"]),
        ("tag:", [], ["tag"]),
    ],
)
def test_bad_syntax_is_read_as_text(text, fields, words):
    parsed = parse_query(text)
    assert [(f.name, f.value) for f in parsed.fields] == fields
    assert " ".join(term.text for term in parsed.terms).split() == words


def test_quoted_phrases_in_any_quotes_stay_one_term_with_word_order():
    for text in ('"neural tangents"', "“neural tangents”"):
        (term,) = parse_query(text).terms
        assert term.phrase == ("neural", "tangent")


def test_year_ranges_are_read_either_way_round():
    old, mid, new = (ResourceFactory(year=year) for year in (2015, 2020, 2024))
    assert found("year:2021..2019") == found("year:2019..2021") == {mid.pk}
    assert found("year:..2016") == {old.pk}
    assert found("year:2023..") == {new.pk}


def test_field_terms_combine_with_sidebar_filters(client):
    topic = TopicFactory(slug="optimization", name="Optimization")
    wanted = ResourceFactory(title="SGD noise", topic=topic, kind="paper", year=2020)
    ResourceFactory(title="SGD noise explained", topic=topic, kind="blog", year=2020)
    ResourceFactory(title="SGD noise elsewhere", kind="paper", year=2020)
    response = client.get(
        reverse("resources:resource-list"), {"q": "noise topic:optimization", "kind": "paper"}
    )
    assert list(response.context["resources"]) == [wanted]


# Pages and API -----------------------------------------------------------------------------
def test_html_list_and_api_return_the_same_ranked_results(client):
    title_hit = ResourceFactory(title="Information bottleneck", position=9)
    description_hit = ResourceFactory(
        title="Opening the black box", description="The information bottleneck view", position=1
    )
    featured_hit = ResourceFactory(
        title="Compression", description="information bottleneck", is_featured=True, position=5
    )
    html = client.get(reverse("resources:resource-list"), {"q": "information bottleneck"})
    api = client.get(reverse("api-resource-list"), {"q": "information bottleneck"})
    expected = [title_hit.pk, featured_hit.pk, description_hit.pk]
    assert [r.pk for r in html.context["resources"]] == expected
    assert [r["id"] for r in api.json()["results"]] == expected


def test_a_chosen_sort_overrides_relevance(client):
    old = ResourceFactory(title="Kernel regime", year=2018)
    new = ResourceFactory(title="Lazy training", description="kernel regime", year=2022)
    response = client.get(reverse("resources:resource-list"), {"q": "kernel", "sort": "-year"})
    assert [r.pk for r in response.context["resources"]] == [new.pk, old.pk]


@pytest.mark.parametrize("count", [5, 40])
def test_list_page_query_count_with_q_is_bounded(client, django_assert_max_num_queries, count):
    topic = TopicFactory()
    authors = [AuthorFactory(), AuthorFactory()]
    for resource in ResourceFactory.create_batch(
        count, topic=topic, tags=["ntk"], authors=authors, description="神经正切核 NTK"
    ):
        ResourceLinkFactory(resource=resource)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("resources:resource-list"), {"q": "NTK 神经"})
    assert response.status_code == 200
    assert response.content.decode().count('class="resource-row') == count


def test_matches_are_marked_in_the_list_and_markup_stays_escaped(client):
    ResourceFactory(
        title="<i>Neural</i> tangent kernels & 泛化", description="A long note about kernels."
    )
    html = client.get(reverse("resources:resource-list"), {"q": "kernel 泛化"}).content.decode()
    assert "&lt;i&gt;Neural&lt;/i&gt; tangent <mark>kernels</mark> &amp; <mark>泛化</mark>" in html
    assert '<p class="search-snippet" lang="en">A long note about <mark>kernels</mark>.' in html


def test_highlight_never_breaks_entities_or_trusts_input():
    assert highlight("AT&T <amp>", ["amp"]) == "AT&amp;T &lt;<mark>amp</mark>&gt;"
    assert highlight("<script>x</script>", []) == "&lt;script&gt;x&lt;/script&gt;"
    assert highlight("CNTK and NTK", ["NTK"]) == "CNTK and <mark>NTK</mark>"
    assert snippet("nothing here", ["kernel"]) == ""
    assert str(snippet("x" * 300 + " kernel " + "y" * 300, ["kernel"])).count("…") == 2


def test_an_english_term_written_against_chinese_marks_the_english_alone():
    assert highlight("ZQ3描述", ["ZQ3"]) == "<mark>ZQ3</mark>描述"
    assert highlight("networks网络", ["network"]) == "<mark>networks</mark>网络"
    assert highlight("NTK的核", ["NTK"]) == "<mark>NTK</mark>的核"


def test_no_results_offer_topics_tags_and_a_spelling(client):
    TopicFactory(name="Generalization theory")
    ResourceFactory(title="Rethinking", tags=["generalization"])
    response = client.get(reverse("resources:resource-list"), {"q": "generalizaton zzzz"})
    suggestions = response.context["suggestions"]
    assert suggestions["spelling"] == "generalization zzzz"
    html = response.content.decode()
    assert "Did you mean" in html and "?q=generalization%20zzzz" in html
    response = client.get(reverse("resources:resource-list"), {"q": "generalization qqqq"})
    assert [t.name for t in response.context["suggestions"]["topics"]] == ["Generalization theory"]
    assert [t.name for t in response.context["suggestions"]["tags"]] == ["generalization"]


@pytest.mark.parametrize(
    "q",
    [
        "a\x00b",
        "\x00",
        "泛" * 5000,
        "x " * 3000,
        '"' * 600,
        "-" * 600,
        "year:" + "9" * 400,
        "泛化" * 240,
        "zzzz qqqq (((",
        'tag:"" author:"" -"" :::',
    ],
)
def test_hostile_queries_never_fail(client, q):
    ResourceFactory(title="Anything")
    assert client.get(reverse("resources:resource-list"), {"q": q}).status_code == 200
    assert client.get(reverse("api-resource-list"), {"q": q}).status_code in (200, 400)
    assert len(parse_query(q).raw) <= MAX_QUERY_LENGTH


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_any_text_searches_without_error(text):
    ResourceFactory(title="几何 kernel")
    list(search(Resource.objects.all(), text)[:5])


# Commands ----------------------------------------------------------------------------------
def test_generate_resources_makes_searchable_mixed_language_entries(capsys):
    call_command("generate_resources", count=60, seed=1)
    assert Resource.objects.count() == 60
    assert Resource.objects.filter(language="zh").exists()
    assert Resource.objects.exclude(search_text="").count() == 60
    assert found("泛化") and found("generalization")
    assert Resource.objects.filter(authors__aliases__isnull=False).exists()
    call_command("bench_search", repeat=1)
    assert "p95" in capsys.readouterr().out


def test_primary_key_paginator_gives_the_plain_paginators_pages():
    from django.core.paginator import Paginator

    from resources.pagination import PrimaryKeyPaginator

    for i in range(22):  # four pages, the last with two orphans
        ResourceFactory(title=f"Kernel {i}", description="kernel" if i % 2 else "", position=i % 5)
    for queryset in (
        search(Resource.objects.all(), "kernel").order_by("-search_rank", "position", "pk"),
        Resource.objects.with_related().order_by("-title"),
    ):
        plain, by_key = (
            Paginator(queryset, 5, orphans=2),
            PrimaryKeyPaginator(queryset, 5, orphans=2),
        )
        assert by_key.num_pages == plain.num_pages == 4
        for number in range(1, plain.num_pages + 1):
            assert list(by_key.page(number)) == list(plain.page(number))


@pytest.mark.parametrize(
    ("query", "spelling"),
    [
        ("year:abc", None),  # a field name with a value it cannot take is no misspelling
        ("kernals year:abc", "kernels year:abc"),
        ("kernalsson kernals", "kernalsson kernels"),  # a whole word, not letters in another
    ],
)
def test_a_spelling_suggestion_changes_whole_words_and_never_a_field_name(query, spelling):
    from resources.search.suggest import spelling as suggest_spelling

    AuthorFactory(name="Jane Dyer")
    ResourceFactory(title="Rethinking", tags=["kernels"])
    AuthorFactory(name="Ann Kernalsson")
    assert suggest_spelling(parse_query(query)) == spelling


def test_a_chinese_compound_that_finds_nothing_offers_the_tags_and_topics_of_its_words(client):
    TopicFactory(name="泛化理论")
    ResourceFactory(title="过参数化网络的泛化", tags=["泛化", "几何"])
    response = client.get(reverse("resources:resource-list"), {"q": "泛化能力"})
    assert response.context["page_obj"].paginator.count == 0
    suggestions = response.context["suggestions"]
    assert [t.name for t in suggestions["topics"]] == ["泛化理论"]
    assert [t.name for t in suggestions["tags"]] == ["泛化"]
    assert 'href="/tags/' in response.content.decode()


def result_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="resource-title">.*?<a [^>]*>(.*?)</a>', html, re.S)


def test_a_signed_in_search_keeps_its_page_for_every_reader_until_the_catalogue_changes(
    client_as, personas, django_assert_max_num_queries
):
    ResourceFactory(title="Spectral bias of networks")
    ResourceFactory(title="Unrelated")
    url = reverse("resources:resource-list") + "?q=spectral"
    first = client_as("owner").get(url).content.decode()
    assert result_titles(first) == ["<mark>Spectral</mark> bias of networks"]
    stranger = client_as("stranger")
    # Another reader: their session, their account and their bookmarks of the page's rows.
    with django_assert_max_num_queries(3):
        again = stranger.get(url).content.decode()
    assert result_titles(again) == result_titles(first)
    ResourceFactory(title="Spectral norms")  # a catalogue change retires the kept page
    after = client_as("stranger").get(url).content.decode()
    assert sorted(result_titles(after)) == [
        "<mark>Spectral</mark> bias of networks",
        "<mark>Spectral</mark> norms",
    ]
    assert "2 resources" in after


@pytest.mark.parametrize("odd_page", ["-1", "+2", " 2", "0000002", "1234567"])
def test_a_page_asked_for_oddly_never_changes_the_page_another_reader_gets(
    client_as, personas, settings, odd_page
):
    settings.CATALOGUE_PAGE_SIZE = 1
    ResourceFactory(title="Spectral bias", year=2020)
    ResourceFactory(title="Spectral norms", year=2021)
    url = reverse("resources:resource-list")
    visitor = result_titles(client_as("anonymous").get(url, {"q": "spectral"}).content.decode())
    client_as("owner").get(url, {"q": "spectral", "page": odd_page})
    seen = result_titles(client_as("stranger").get(url, {"q": "spectral"}).content.decode())
    assert seen == visitor


def test_a_search_of_my_library_is_never_shared(client_as, personas):
    mine = ResourceFactory(title="Spectral bias of networks")
    theirs = ResourceFactory(title="Spectral norms")
    Bookmark.objects.create(user=personas["owner"], resource=mine)
    Bookmark.objects.create(user=personas["stranger"], resource=theirs)
    url = reverse("resources:my-library") + "?q=spectral"
    assert result_titles(client_as("owner").get(url).content.decode()) == [
        "<mark>Spectral</mark> bias of networks"
    ]
    assert result_titles(client_as("stranger").get(url).content.decode()) == [
        "<mark>Spectral</mark> norms"
    ]
