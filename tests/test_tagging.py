"""The cheap tag prefetch behind `with_related()`: same tags as taggit's, no query per row."""

import pytest
from django.contrib.contenttypes.models import ContentType

from resources.models import Resource
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_with_related_gives_each_row_its_tags_without_a_query_per_row(
    django_assert_num_queries,
):
    first = ResourceFactory(tags=["ntk", "几何", "sgd"])
    second = ResourceFactory(tags=["sgd"])
    bare = ResourceFactory()
    with django_assert_num_queries(4):  # rows, authorships, links, tags
        rows = {r.pk: r for r in Resource.objects.with_related().order_by("pk")[:10]}
        names = {pk: [tag.name for tag in r.tags.all()] for pk, r in rows.items()}
    assert names == {
        first.pk: [t.name for t in Resource.objects.get(pk=first.pk).tags.all()],
        second.pk: ["sgd"],
        bare.pk: [],
    }
    assert sorted(names[first.pk]) == ["ntk", "sgd", "几何"]
    assert {tag.slug for tag in rows[first.pk].tags.all()} == {"ntk", "sgd", "几何"}


def test_changing_tags_after_the_prefetch_reads_fresh_tags():
    resource = ResourceFactory(tags=["ntk"])
    row = Resource.objects.with_related().get(pk=resource.pk)
    row.tags.add("sgd")  # taggit drops the prefetched tags on a change
    assert sorted(row.tags.names()) == ["ntk", "sgd"]


def test_the_sidebar_counts_each_tag_once_per_resource_and_leaves_unused_tags_out():
    from taggit.models import Tag, TaggedItem

    from resources.filters import all_tags_used
    from resources.models import Annotation  # any other model: taggings of it must not count

    first, second = ResourceFactory(), ResourceFactory()
    first.tags.add("optimization", "深度")
    second.tags.add("optimization")
    unused = Tag.objects.create(name="unused", slug="unused")
    # A tagging of another model (taggit's table is generic) is no resource.
    TaggedItem.objects.create(
        tag=unused,
        content_type=ContentType.objects.get_for_model(Annotation),
        object_id=first.pk,
    )

    counts = {tag.name: tag.resource_count for tag in all_tags_used()}

    assert counts == {"optimization": 2, "深度": 1}
    assert [tag.name for tag in all_tags_used()] == sorted(counts)


def test_the_tag_list_puts_the_most_used_first_and_ties_in_name_order(client):
    ResourceFactory(tags=["beta", "alpha", "gamma"])
    ResourceFactory(tags=["gamma"])
    html = client.get("/tags/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index(">gamma<") < html.index(">alpha<") < html.index(">beta<")
    assert '<a href="/tags/gamma/" lang="en">gamma</a> <span class="count">2</span>' in html
