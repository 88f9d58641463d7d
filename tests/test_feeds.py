"""Feeds of any view: Atom 1.0 and JSON Feed 1.1 of the newest resources, read by feedparser."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from resources.models import Resource
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def make_dated(n: int, **kwargs) -> list[Resource]:
    """`n` resources added one day apart, oldest first."""
    made = []
    start = timezone.now() - timedelta(days=n)
    for day in range(n):
        resource = ResourceFactory(**kwargs)
        Resource.objects.filter(pk=resource.pk).update(created=start + timedelta(days=day))
        made.append(resource)
    return made


def test_the_atom_feed_is_valid_and_lists_the_fifty_newest_first(client):
    made = make_dated(55)
    response = client.get("/resources/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == 50
    expected = [f"http://testserver{r.get_absolute_url()}" for r in reversed(made)][:50]
    assert [entry.link for entry in feed.entries] == expected


def test_a_feed_applies_the_views_filters(client):
    topic = TopicFactory(slug="optimization")
    wanted = ResourceFactory(topic=topic, kind="paper", title="Edge of stability")
    ResourceFactory(topic=topic, kind="blog", title="A blog post")
    ResourceFactory(kind="paper", title="Elsewhere")
    atom = feedparser.parse(
        client.get("/resources/feed.atom", {"topic": "optimization", "kind": "paper"}).content
    )
    assert [entry.title for entry in atom.entries] == [wanted.title]
    body = client.get("/resources/feed.json", {"topic": "optimization", "kind": "paper"})
    assert [item["title"] for item in json.loads(body.content)["items"]] == [wanted.title]


def test_the_json_feed_follows_version_1_1(client):
    author = AuthorFactory(name="马毅")
    resource = ResourceFactory(
        title="白盒深度网络", authors=[author], language="zh", tags=["rate-reduction"]
    )
    response = client.get("/resources/feed.json")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content.decode("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"].startswith("http://testserver/resources/")
    [item] = feed["items"]
    assert item["id"] == f"http://testserver{resource.get_absolute_url()}"
    assert item["title"] == "白盒深度网络"
    assert item["authors"] == [{"name": "马毅"}]
    assert item["tags"] == ["rate-reduction"]
    assert item["external_url"] == resource.url
    assert timezone.datetime.fromisoformat(item["date_published"])


def test_a_feed_entry_carries_authors_tags_and_the_abstract(client):
    resource = ResourceFactory(
        authors=[AuthorFactory(name="Sanjeev Arora")],
        tags=["generalization"],
    )
    Resource.objects.filter(pk=resource.pk).update(abstract="We prove $O(\\sqrt{n})$ bounds.")
    [entry] = feedparser.parse(client.get("/resources/feed.atom").content).entries
    assert entry.author == "Sanjeev Arora"
    assert [tag.term for tag in entry.tags] == ["generalization"]
    assert "bounds" in entry.summary


def test_list_pages_announce_their_feeds_with_their_filters(client):
    topic = TopicFactory(slug="optimization")
    ResourceFactory(topic=topic)
    html = client.get("/resources/", {"kind": "paper", "page": 1}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/resources/feed.atom?kind=paper"' in html
    assert 'href="/resources/feed.json?kind=paper"' in html
    topic_html = client.get("/topics/optimization/").content.decode()
    assert 'href="/resources/feed.atom?topic=optimization"' in topic_html


def test_a_feed_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        ResourceFactory(authors=[AuthorFactory()], tags=["x"])
    with django_assert_max_num_queries(6):
        client.get("/resources/feed.json")
    with django_assert_max_num_queries(6):
        client.get("/resources/feed.atom")
