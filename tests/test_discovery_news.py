"""What's new: additions and notable changes by week, a feed, and the latest on the home page."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from resources.discovery.news import week_start
from resources.models import Resource
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_additions_are_listed_under_their_week(client):
    old = ResourceFactory(title="An old survey")
    Resource.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=21))
    ResourceFactory(title="A fresh preprint")
    html = client.get("/new/").content.decode()
    this_week = week_start(timezone.now())
    assert html.index(f'id="week-{this_week:%Y-%m-%d}"') < html.index("A fresh preprint")
    assert html.index("A fresh preprint") < html.index("An old survey")
    assert html.count('class="news-week"') == 2


def test_a_notable_edit_is_news_and_a_reordering_is_not(client):
    resource = ResourceFactory(title="Spectral bias")
    Resource.objects.filter(pk=resource.pk).update(created=timezone.now() - timedelta(days=30))
    resource.refresh_from_db()
    resource.position = 99
    resource.save()  # history records it; nobody needs to hear about it
    assert "news-changed" not in client.get("/new/").content.decode()
    resource.title = "Spectral bias of neural networks"
    resource.description = "Low frequencies are learned first."
    resource.save()
    html = client.get("/new/").content.decode()
    assert "Spectral bias of neural networks" in html
    assert "(title, description)" in html


def test_an_edit_in_the_week_of_the_addition_is_part_of_the_addition(client):
    resource = ResourceFactory(title="Fresh")
    resource.title = "Fresh, corrected"
    resource.save()
    html = client.get("/new/").content.decode()
    assert html.count("Fresh, corrected") == 1
    assert "1 addition" in html and "news-changed" not in html


def test_the_feed_is_atom_with_an_entry_per_event(client):
    resource = ResourceFactory(title="神经正切核")
    response = client.get("/new/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Added: 神经正切核"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/resources/{resource.pk}/"


def test_the_home_page_shows_the_latest_news(client):
    ResourceFactory.create_batch(7, topic=TopicFactory())
    newest = ResourceFactory(title="The newest entry")
    html = client.get("/").content.decode()
    news = html[html.index('class="news-latest"') :]
    assert news.count('class="news-event') == 5
    assert "The newest entry" in news
    assert f'href="/resources/{newest.pk}/"' in news


def test_the_news_page_is_cached_and_retired_by_a_change(client):
    ResourceFactory(title="First")
    client.get("/new/")
    assert client.get("/new/")["X-Page-Cache"] == "hit"
    ResourceFactory(title="Second")
    response = client.get("/new/")
    assert response["X-Page-Cache"] == "miss"
    assert "Second" in response.content.decode()
    client.get("/new/feed.atom")
    assert client.get("/new/feed.atom")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("edits", [2, 40])
def test_the_news_page_keeps_its_query_count(client, django_assert_max_num_queries, edits):
    resources = ResourceFactory.create_batch(edits)
    Resource.objects.update(created=timezone.now() - timedelta(days=40))
    for resource in Resource.objects.all():
        resource.title += " (revised)"
        resource.save()
    with django_assert_max_num_queries(3):  # additions, edits, the versions before them
        html = client.get("/new/").content.decode()
    assert html.count('class="news-event news-changed"') == len(resources)
