"""Likely duplicates and merging them without losing anyone's data."""

import random

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from resources import duplicates, services
from resources.duplicates import (
    address_key,
    find_duplicate_groups,
    similar_title_pairs,
    title_key,
)
from resources.models import Authorship, LinkCheck, Resource, Suggestion
from tests.factories import (
    AuthorFactory,
    CuratorFactory,
    LinkCheckFactory,
    ResourceFactory,
    ResourceLinkFactory,
    SuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def grouped() -> list[set[int]]:
    return [{r.pk for r in group.resources} for group in find_duplicate_groups()]


def test_keys_fold_the_usual_variants():
    assert title_key("Deep Double Descent: Where Bigger Models…") == title_key(
        "deep double descent — where bigger models"
    )
    assert title_key("深度学习 理论") == "深度学习 理论"
    assert address_key("https://www.example.org/papers/x.pdf") == "example.org/papers/x"
    assert address_key("http://example.org/papers/x/") == "example.org/papers/x"
    assert address_key("https://openreview.net/pdf?id=abc") == address_key(
        "https://openreview.net/forum?id=abc"
    )
    assert address_key("https://jmlr.org/abs/21-1/") == address_key("https://jmlr.org/pdf/21-1.pdf")


def test_finds_same_doi_address_variants_and_similar_titles():
    # Two addresses of one DOI share a normalised URL: the database refuses the second.
    ResourceFactory(url="https://doi.org/10.1145/3446776")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(url="https://dl.acm.org/doi/10.1145/3446776")
    pdf = ResourceFactory(url="https://openreview.net/pdf?id=B1xSperKvH")
    forum = ResourceFactory(url="https://openreview.net/forum?id=B1xSperKvH")
    t1 = ResourceFactory(title="Understanding deep learning requires rethinking generalization")
    t2 = ResourceFactory(title="Understanding Deep Learning Requires Re-thinking Generalisation")
    zh1 = ResourceFactory(title="深度学习理论的泛化误差分析综述")
    zh2 = ResourceFactory(title="深度学习理论的泛化误差分析综述。")
    ResourceFactory(title="Understanding deep learning requires rethinking optimization theory")
    ResourceFactory(title="Neural tangent kernel")
    groups = grouped()
    assert {pdf.pk, forum.pk} in groups
    assert {t1.pk, t2.pk} in groups
    assert {zh1.pk, zh2.pk} in groups
    assert len(groups) == 3
    reasons = {frozenset(r.pk for r in g.resources): g.reasons for g in find_duplicate_groups()}
    assert "very similar titles" in reasons[frozenset({t1.pk, t2.pk})]


def test_title_comparison_looks_at_few_pairs_of_a_large_library(monkeypatch):
    """The trigram index, not the clock: of the two million pairs of 2,001 titles, only the few
    sharing rare trigrams reach difflib (speed itself is measured by benchmarks, not tests)."""
    compared = []

    class CountingMatcher(duplicates.SequenceMatcher):
        def quick_ratio(self) -> float:
            compared.append(1)
            return super().quick_ratio()

    monkeypatch.setattr(duplicates, "SequenceMatcher", CountingMatcher)
    rng = random.Random(6)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(3, 11))) for _ in range(600)]
    titles = [" ".join(rng.sample(words, rng.randint(4, 12))) for _ in range(2000)]
    twin = titles[0][:-1] + "z"
    pairs = similar_title_pairs([title_key(t) for t in [*titles, twin]])
    assert tuple(sorted((titles[0], twin))) in {tuple(sorted(pair)) for pair in pairs}
    assert 1 <= len(compared) <= 100


def make_family():
    """A keeper and a duplicate, each with readers' and curators' data attached."""
    shared_author, other_author = AuthorFactory(), AuthorFactory()
    keep = ResourceFactory(
        title="Deep Double Descent",
        url="https://arxiv.org/abs/1912.02292",
        year=2019,
        tags=["double descent"],
        authors=[shared_author],
    )
    duplicate = ResourceFactory(
        title="Deep double descent (PDF)",
        url="https://example.org/deep-double-descent.pdf",
        year=None,
        venue="ICLR 2020",
        tags=["generalization"],
        authors=[shared_author, other_author],
    )
    LinkCheckFactory(resource=keep)
    LinkCheckFactory(resource=duplicate)
    link = ResourceLinkFactory(resource=duplicate, label="code")
    child = ResourceFactory(parent=duplicate, topic=duplicate.topic)
    suggestion = SuggestionFactory(resource=duplicate)
    return keep, duplicate, link, child, suggestion, other_author


def test_merge_moves_links_authors_children_tags_and_suggestions():
    keep, duplicate, link, child, suggestion, other_author = make_family()
    curator = CuratorFactory()
    services.merge_resources(keep=keep, duplicates=[duplicate], user=curator)
    keep.refresh_from_db()
    assert not Resource.objects.filter(pk=duplicate.pk).exists()
    assert set(keep.links.values_list("url", flat=True)) == {link.url, duplicate.url}
    assert Authorship.objects.filter(resource=keep).count() == 2
    assert other_author in keep.authors.all()
    child.refresh_from_db()
    assert child.parent == keep
    assert Suggestion.objects.get(pk=suggestion.pk).resource == keep
    assert sorted(keep.tags.names()) == ["double descent", "generalization"]
    assert (keep.year, keep.venue) == (2019, "ICLR 2020")  # blanks filled, values kept
    assert LinkCheck.objects.filter(resource=keep).count() == 1
    deletion = Resource.history.get(id=duplicate.pk, history_type="-")
    assert (deletion.history_user, deletion.history_change_reason) == (
        curator,
        f"merged into #{keep.pk}",
    )
    assert keep.history.latest().history_change_reason == f"merged #{duplicate.pk}"


def test_merge_when_the_keeper_is_a_child_of_the_duplicate():
    parent = ResourceFactory(url="")
    keep = ResourceFactory(parent=parent, topic=parent.topic)
    services.merge_resources(keep=keep, duplicates=[parent])
    keep.refresh_from_db()
    assert keep.parent is None


def test_a_failed_merge_leaves_everything_as_it_was(monkeypatch):
    keep, duplicate, link, *_ = make_family()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Resource, "delete", explode)
    with pytest.raises(RuntimeError):
        services.merge_resources(keep=keep, duplicates=[duplicate])
    link.refresh_from_db()
    assert link.resource_id == duplicate.pk
    assert sorted(keep.tags.names()) == ["double descent"]
    assert Resource.objects.filter(pk=duplicate.pk).exists()


def test_merge_keeps_every_readers_bookmarks():
    try:
        Bookmark = apps.get_model("resources", "Bookmark")
    except LookupError:
        pytest.skip("readers' bookmarks are not part of this build yet")
    keep, duplicate, *_ = make_family()
    both, only_dup, only_keep = UserFactory(), UserFactory(), UserFactory()
    for user, resource in [
        (both, keep),
        (both, duplicate),
        (only_dup, duplicate),
        (only_keep, keep),
    ]:
        Bookmark.objects.create(user=user, resource=resource)
    services.merge_resources(keep=keep, duplicates=[duplicate])
    for user in (both, only_dup, only_keep):
        assert list(Bookmark.objects.filter(user=user).values_list("resource", flat=True)) == [
            keep.pk
        ]


def test_duplicates_page_and_merge_in_the_admin(client, django_assert_max_num_queries):
    client.force_login(CuratorFactory())
    keep, duplicate, link, *_ = make_family()
    duplicate.title = keep.title
    duplicate.save()
    with django_assert_max_num_queries(10):
        page = client.get(reverse("admin:resources_resource_duplicates"))
    assert page.status_code == 200
    ids = f"{keep.pk},{duplicate.pk}"
    assert f"?ids={ids}" in page.content.decode()
    merge_url = reverse("admin:resources_resource_merge")
    form = client.get(merge_url, {"ids": ids})
    assert form.context["richest"] == duplicate  # more authors, links, a child
    response = client.post(merge_url, {"ids": ids, "keep": keep.pk})
    assert response.status_code == 302
    assert response.url == reverse("admin:resources_resource_change", args=[keep.pk])
    assert list(Resource.objects.filter(pk__in=[keep.pk, duplicate.pk])) == [keep]
    link.refresh_from_db()
    assert link.resource_id == keep.pk


def test_merge_needs_two_resources_and_delete_permission(client):
    resource = ResourceFactory()
    client.force_login(CuratorFactory())
    response = client.get(reverse("admin:resources_resource_merge"), {"ids": str(resource.pk)})
    assert response.status_code == 302
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:resources_resource_merge"), {"ids": "1,2"})
    assert response.status_code == 403


def brute_force_pairs(keys: list[str]) -> set[frozenset]:
    from difflib import SequenceMatcher

    from resources.duplicates import DIGITS, TITLE_SIMILARITY

    keys = sorted(set(filter(None, keys)))
    return {
        frozenset((a, b))
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if DIGITS.findall(a) == DIGITS.findall(b)
        and SequenceMatcher(None, a, b, autojunk=False).ratio() >= TITLE_SIMILARITY
    }


TITLE_WORDS = [
    "deep", "learning", "theory", "neural", "tangent", "kernel", "generalization", "bounds",
    "implicit", "bias", "gradient", "descent", "networks", "over-parameterized", "landscape",
    "泛化", "理论", "深度学习", "优化", "of", "the", "a", "on",
]  # fmt: skip


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    # Titles are made of words; a degenerate string such as "aaaaaaaaaaaa" repeats one trigram
    # and escapes the trigram bound, but no real title looks like that.
    base=st.lists(
        st.lists(st.sampled_from(TITLE_WORDS), min_size=2, max_size=8)
        .map(" ".join)
        .filter(lambda title: len(title) >= 12),
        min_size=1,
        max_size=6,
    ),
    edits=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 59), st.sampled_from("xyz ")), max_size=8
    ),
)
def test_blocked_title_comparison_finds_what_comparing_every_pair_finds(base, edits):
    """The trigram index only prunes: it finds every pair a full comparison finds."""
    titles = list(base)
    for which, where, char in edits:
        source = base[which % len(base)]
        titles.append(source[:where] + char + source[where + 1 :])
    keys = [title_key(t) for t in titles]
    found = {frozenset(pair) for pair in similar_title_pairs(keys)}
    assert found == brute_force_pairs(keys)
