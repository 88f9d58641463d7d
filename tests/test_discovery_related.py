"""Related reading: ranked by what curators and readers know, with reasons, never stale."""

import pytest
from taggit.models import Tag

from resources.discovery.related import MAX_RELATED, related_entries
from resources.models import Bookmark, Resource
from tests.factories import (
    AuthorFactory,
    BookmarkFactory,
    ResourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def related_ids(resource) -> list[int]:
    return [entry["id"] for entry in related_entries(fresh(resource))]


def fresh(resource) -> Resource:
    """The resource as a page loads it: its search document is written after the save."""
    return Resource.objects.get(pk=resource.pk)


def test_every_shipped_resource_with_two_tags_has_three_related_others(library):
    tagged = [r for r in Resource.objects.all() if len(r.tags.all()) >= 2]
    assert len(tagged) > 40  # most of the shipped library
    for resource in tagged:
        ids = related_ids(resource)
        assert len(ids) >= 3, resource.title
        assert len(ids) <= MAX_RELATED
        assert resource.pk not in ids
        assert len(set(ids)) == len(ids)


def test_the_shipped_library_relates_works_of_the_same_authors_first(library):
    rate_reduction = Resource.objects.get(title__startswith="DEEP NETWORKS FROM THE PRINCIPLE")
    entries = related_entries(rate_reduction)
    by_title = {Resource.objects.get(pk=e["id"]).title: e for e in entries}
    assert "redunet_paper" in by_title  # its code, by the same first author
    assert "same-authors" in by_title["redunet_paper"]["reasons"]
    parsimony = next(e for t, e in by_title.items() if t.startswith("On the Principles"))
    assert parsimony["authors"] == ["Yi Ma"]


def test_co_bookmarked_resources_rise_in_the_ranking():
    topic = TopicFactory()
    resource = ResourceFactory(topic=topic, title="Spectral bias", tags=["ntk"])
    others = [ResourceFactory(topic=topic, tags=["ntk"]) for _ in range(6)]
    before = related_ids(resource)
    assert before.index(others[-1].pk) == len(others) - 1  # equal scores: last by id
    for reader in UserFactory.create_batch(3):
        BookmarkFactory(user=reader, resource=resource)
        BookmarkFactory(user=reader, resource=others[-1])
    after = related_entries(fresh(resource))  # the cached list was retired by the bookmarks
    assert after[0]["id"] == others[-1].pk
    assert after[0]["readers"] == 3
    assert "co-readers" in after[0]["reasons"]
    # A pair shelved by more readers ranks above a pair shelved by fewer.
    for reader in UserFactory.create_batch(5):
        BookmarkFactory(user=reader, resource=resource)
        BookmarkFactory(user=reader, resource=others[2])
    assert related_ids(resource)[:2] == [others[2].pk, others[-1].pk]


def test_one_readers_shelf_never_shows_as_co_reading():
    topic = TopicFactory()
    resource, other = ResourceFactory(topic=topic), ResourceFactory()
    reader = UserFactory()
    BookmarkFactory(user=reader, resource=resource)
    BookmarkFactory(user=reader, resource=other)
    assert other.pk not in related_ids(resource)  # nothing else links them


def test_shelving_and_unshelving_retire_the_related_lists():
    from resources.caching import READERS, versions

    version = versions(READERS)
    bookmark = BookmarkFactory()
    assert versions(READERS) != version
    version = versions(READERS)
    bookmark.delete()
    assert versions(READERS) != version


def test_related_reading_never_lists_a_deleted_resource():
    topic = TopicFactory()
    resource = ResourceFactory(topic=topic, tags=["sgd"])
    gone = ResourceFactory(topic=topic, tags=["sgd"])
    assert gone.pk in related_ids(resource)
    gone.delete()
    assert gone.pk not in related_ids(resource)


def test_chinese_texts_are_compared_by_their_words():
    resource = ResourceFactory(
        title="深度学习的几何学解释", description="最优传输与生成模型的几何观点。"
    )
    similar = ResourceFactory(
        topic=TopicFactory(), title="几何学解释：最优传输", description="生成模型。"
    )
    ResourceFactory.create_batch(8, topic=TopicFactory(), description="卷积网络的逼近理论。")
    entries = related_entries(fresh(resource))
    assert entries[0]["id"] == similar.pk
    assert entries[0]["reasons"] == ["similar-text"]


def test_the_api_gives_list_fields_with_reasons_and_never_the_resource(client):
    author = AuthorFactory(name="Yi Ma")
    topic = TopicFactory()
    resource = ResourceFactory(topic=topic, authors=[author], tags=["white-box", "rate"])
    ResourceFactory(topic=topic, authors=[author])
    ResourceFactory(tags=["white-box", "rate"])
    ResourceFactory(topic=topic)
    data = client.get(f"/api/resources/{resource.pk}/related/").json()
    list_fields = set(client.get("/api/resources/").json()["results"][0])
    assert len(data) == 3
    assert {item["id"] for item in data}.isdisjoint({resource.pk})
    for item in data:
        assert set(item) == list_fields | {"reasons"}
        assert item["reasons"]
    assert data[0]["reasons"][0] == "same-authors"
    assert "shared-tags" in data[1]["reasons"]


def test_the_api_answers_404_for_an_unknown_resource(client):
    response = client.get("/api/resources/987654/related/")
    assert response.status_code == 404


def test_the_resource_page_says_why_each_is_related(client):
    author = AuthorFactory(name="Sho Yaida")
    topic = TopicFactory()
    resource = ResourceFactory(topic=topic, authors=[author], tags=["ntk"])
    same_author = ResourceFactory(title="Effective theory", authors=[author])
    same_tag = ResourceFactory(title="Kernel regime", tags=["ntk"])
    co_read = ResourceFactory(title="Often read together")
    for reader in UserFactory.create_batch(2):
        BookmarkFactory(user=reader, resource=resource)
        BookmarkFactory(user=reader, resource=co_read)
    html = client.get(resource.get_absolute_url()).content.decode()
    section = html[html.index('class="related"') :]
    assert 'same authors: <span lang="en">Sho Yaida</span>' in section
    assert "shared tags: ntk" in section
    assert "2 readers of this also saved it" in section
    for other in (same_author, same_tag, co_read):
        assert f'href="/resources/{other.pk}/"' in section
    assert f'id="related-{resource.pk}"' not in section


def test_an_anonymous_cached_page_shows_new_co_reading_at_once(client):
    resource = ResourceFactory(title="Spectral bias")
    other = ResourceFactory(title="Frequency principle", topic=TopicFactory())
    first = client.get(resource.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert "Frequency principle" not in first.content.decode()
    for reader in UserFactory.create_batch(2):
        Bookmark.objects.create(user=reader, resource=resource)
        Bookmark.objects.create(user=reader, resource=other)
    again = client.get(resource.get_absolute_url())
    assert again["X-Page-Cache"] == "miss"
    assert "Frequency principle" in again.content.decode()


def make_library(size: int):
    topic = TopicFactory()
    authors = AuthorFactory.create_batch(3)
    resources = [
        ResourceFactory(topic=topic, authors=authors[: 1 + n % 3], tags=["ntk", f"t{n % 4}"])
        for n in range(size)
    ]
    readers = UserFactory.create_batch(4)
    Bookmark.objects.bulk_create(
        Bookmark(user=reader, resource=r) for reader in readers for r in resources[:10]
    )
    return resources[0]


@pytest.mark.parametrize("size", [12, 60])
def test_the_resource_page_and_api_query_counts_do_not_grow_with_the_library(
    client, django_assert_max_num_queries, size
):
    resource = make_library(size)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(22):  # cold: the page and its related list computed
        cold = client.get(resource.get_absolute_url())
    assert cold.content.decode().count('class="related-item"') == MAX_RELATED
    with django_assert_max_num_queries(10) as warm:  # the page's own; related: a cache read
        client.get(resource.get_absolute_url())
    co_readers = '"resources_bookmark"."user_id" IN'
    assert not any(co_readers in query["sql"] for query in warm.captured_queries)
    with django_assert_max_num_queries(7):  # session, user, resource, 4 for the rows
        data = client.get(f"/api/resources/{resource.pk}/related/").json()
    assert len(data) == MAX_RELATED


def test_anonymous_related_api_is_served_from_the_cache(client):
    resource = make_library(12)
    client.get(f"/api/resources/{resource.pk}/related/")
    response = client.get(f"/api/resources/{resource.pk}/related/")
    assert response["X-Page-Cache"] == "hit"
    Tag.objects.get(name="ntk").delete()  # a catalogue change retires it
    assert client.get(f"/api/resources/{resource.pk}/related/")["X-Page-Cache"] == "miss"
