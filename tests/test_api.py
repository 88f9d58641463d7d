"""The read-only catalogue API: contract fields, filters shared with the HTML list, cost."""

import pytest
from django.urls import reverse

from resources.models import Kind
from tests.factories import AuthorFactory, ResourceFactory, ResourceLinkFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_resource_fields_follow_the_contract(client):
    parent = ResourceFactory(title="NN Approximation Theory", url="")
    author = AuthorFactory(name="Ding-Xuan Zhou")
    resource = ResourceFactory(
        parent=parent,
        topic=parent.topic,
        title="Universality of Deep Convolutional Neural Networks",
        url="https://arxiv.org/pdf/1805.10769.pdf",
        year=2018,
        venue="ACHA",
        tags=["approximation"],
        authors=[author],
        is_featured=True,
    )
    ResourceLinkFactory(resource=resource, label="知乎解读", url="https://zhuanlan.zhihu.com/p/1")
    response = client.get(reverse("api-resource-list"), {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    result = next(r for r in body["results"] if r["id"] == resource.pk)
    assert set(result) == {
        "id",
        "title",
        "url",
        "kind",
        "year",
        "venue",
        "topic",
        "authors",
        "tags",
        "is_featured",
        "language",
        "description",
        "abstract",
        "arxiv_id",
        "doi",
        "published",
        "links",
        "parent",
        "page_url",
        "link_health",
    }
    assert result["arxiv_id"] == "1805.10769"
    assert result["abstract"] == "" and result["doi"] == "" and result["published"] is None
    assert result["topic"] == {"slug": parent.topic.slug, "name": parent.topic.name}
    assert result["authors"] == ["Ding-Xuan Zhou"]
    assert result["tags"] == ["approximation"]
    assert result["links"] == [{"label": "知乎解读", "url": "https://zhuanlan.zhihu.com/p/1"}]
    assert result["parent"] == parent.pk
    assert result["is_featured"] is True
    assert result["page_url"] == f"http://testserver/resources/{resource.pk}/"


def test_api_and_html_list_filter_identically(client):
    topic = TopicFactory(slug="optimization")
    for year in (2017, 2019, 2020, 2022):
        for kind in (Kind.PAPER, Kind.BLOG):
            ResourceFactory(topic=topic, kind=kind, year=year, tags=["sgd"])
            ResourceFactory(topic=topic, kind=kind, year=year, tags=["sgd", "ntk"])
    ResourceFactory(kind=Kind.PAPER, year=2020, tags=["sgd", "ntk"])
    params = {
        "topic": "optimization",
        "kind": "paper",
        "year_min": 2018,
        "year_max": 2021,
        "tag": ["sgd", "ntk"],
    }
    html_ids = [
        r.pk for r in client.get(reverse("resources:resource-list"), params).context["resources"]
    ]
    api_ids = [r["id"] for r in client.get(reverse("api-resource-list"), params).json()["results"]]
    assert api_ids == html_ids
    assert len(api_ids) == 2


def test_page_size_is_capped_at_100(client):
    ResourceFactory.create_batch(105)
    body = client.get(reverse("api-resource-list"), {"page_size": 1000}).json()
    assert body["count"] == 105
    assert len(body["results"]) == 100


@pytest.mark.parametrize("count", [3, 30])
def test_api_list_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    authors = [AuthorFactory(), AuthorFactory()]
    for resource in ResourceFactory.create_batch(count, tags=["ntk", "sgd"], authors=authors):
        ResourceLinkFactory(resource=resource)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api-resource-list"), {"page_size": 100})
    assert len(response.json()["results"]) == count


def test_topics_endpoint_lists_counts(client):
    parent = TopicFactory(name="2025–2026 Highlights")
    child = TopicFactory(name="Lean / Formalization", parent=parent)
    ResourceFactory.create_batch(2, topic=child)
    body = client.get(reverse("api-topic-list")).json()
    by_slug = {topic["slug"]: topic for topic in body}
    assert by_slug[child.slug]["parent"] == parent.slug
    assert by_slug[child.slug]["resource_count"] == 2
    assert by_slug[parent.slug]["parent"] is None
    assert {"slug", "name", "parent", "resource_count"} <= set(by_slug[child.slug])


def test_api_is_read_only_for_anonymous(client):
    resource = ResourceFactory()
    assert client.post(reverse("api-resource-list"), {"title": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/resources/{resource.pk}/").status_code in (403, 405)


def test_api_rejects_bad_filters_with_400_not_500(client):
    ResourceFactory()
    response = client.get(reverse("api-resource-list"), {"year_min": "abc", "kind": "poem"})
    assert response.status_code == 400
    assert "year_min" in response.json()


def test_api_refuses_a_year_range_that_ends_before_it_starts(client):
    response = client.get("/api/resources/", {"year_min": 2022, "year_max": 2020})
    assert response.status_code == 400
    assert response.json() == {"year_max": ["Ends before the From year."]}
