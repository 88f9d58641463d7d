"""History: who changed what and when; reverting a version; restoring a deleted resource."""

import pytest
from django.urls import reverse

from resources import services
from resources.models import Authorship, Resource, ResourceLink, Topic
from tests.factories import (
    AuthorFactory,
    CuratorFactory,
    ResourceFactory,
    ResourceLinkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = CuratorFactory()
    client.force_login(user)
    return user


def form_data(form) -> dict:
    """What a browser would post back for an unchanged admin form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) if name == "tags" else list(value)
        data[name] = value
    return data


def test_a_change_in_the_admin_records_who_what_and_when(client, curator):
    resource = ResourceFactory(title="Old", year=2019)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    data = form_data(client.get(url).context["adminform"].form)
    data.update(
        {
            "title": "New",
            "year": 2020,
            "authorships-TOTAL_FORMS": 0,
            "authorships-INITIAL_FORMS": 0,
            "links-TOTAL_FORMS": 0,
            "links-INITIAL_FORMS": 0,
        }
    )
    assert client.post(url, data).status_code == 302
    latest, previous = resource.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_user == curator
    delta = latest.diff_against(previous)
    assert {change.field for change in delta.changes} >= {"title", "year"}
    history_page = client.get(reverse("admin:resources_resource_history", args=[resource.pk]))
    assert history_page.status_code == 200
    assert curator.username in history_page.content.decode()


def test_revert_from_the_history_view_restores_old_values(client, curator):
    resource = ResourceFactory(title="Deep Learning Theory Review", year=2021, venue="arXiv")
    services.add_tags(resources=[resource], tags=["survey", "泛化 theory"])
    old = resource.history.latest()
    resource.title, resource.year, resource.venue = "Oops", 1999, ""
    resource.save()
    services.remove_tags(resources=[resource], tags=["survey", "泛化 theory"])
    url = reverse("admin:resources_resource_simple_history", args=[resource.pk, old.history_id])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form)
    assert data["title"] == "Deep Learning Theory Review"
    assert client.post(url, data).status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.year, resource.venue) == (
        "Deep Learning Theory Review",
        2021,
        "arXiv",
    )
    assert sorted(resource.tags.names()) == ["survey", "泛化 theory"]
    assert resource.history.latest().history_user == curator


def test_topic_and_author_changes_are_recorded_too():
    topic = TopicFactory(name="Optimization")
    topic.name = "Optimisation"
    topic.save()
    author = AuthorFactory(name="Yi Ma")
    author.delete()
    assert [h.name for h in Topic.history.filter(id=topic.pk)] == ["Optimisation", "Optimization"]
    assert author.__class__.history.filter(history_type="-", name="Yi Ma").exists()


def test_deleted_resource_is_listed_and_restored_with_tags_authors_and_links(client, curator):
    author = AuthorFactory(name="马毅")
    resource = ResourceFactory(title="白盒深度网络", tags=["白盒", "ctrl"], authors=[author])
    ResourceLinkFactory(resource=resource, label="code", url="https://github.com/ma-lab/crate")
    pk = resource.pk
    delete_url = reverse("admin:resources_resource_delete", args=[pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Resource.objects.filter(pk=pk).exists()

    deleted_page = client.get(reverse("admin:resources_resource_deleted"))
    assert "白盒深度网络" in deleted_page.content.decode()
    record = Resource.history.get(id=pk, history_type="-")
    assert record.history_user == curator
    response = client.post(
        reverse("admin:resources_resource_deleted"), {"history_id": record.history_id}
    )
    assert response.status_code == 302
    restored = Resource.objects.get(pk=pk)
    assert restored.title == "白盒深度网络"
    assert sorted(restored.tags.names()) == ["ctrl", "白盒"]
    assert restored.ordered_authors == [author]
    assert list(restored.links.values_list("url", flat=True)) == ["https://github.com/ma-lab/crate"]
    assert restored.history.latest().history_change_reason == "restored"
    assert client.get(reverse("admin:resources_resource_deleted")).context["deleted"] == []


def test_restoring_an_existing_resource_is_refused_with_a_message(client, curator):
    resource = ResourceFactory()
    record = resource.history.latest()
    response = client.post(
        reverse("admin:resources_resource_deleted"), {"history_id": record.history_id}, follow=True
    )
    assert "exists" in response.content.decode()
    assert Resource.objects.count() == 1


def test_link_and_authorship_history_is_kept():
    resource = ResourceFactory(authors=[AuthorFactory()])
    link = ResourceLinkFactory(resource=resource)
    link.url = "https://example.org/moved"
    link.save()
    assert ResourceLink.history.filter(id=link.pk).count() == 2
    assert Authorship.history.filter(resource_id=resource.pk).count() == 1


@pytest.mark.parametrize("history_id", ["abc", "", "999999"])
def test_restoring_an_unknown_version_is_a_404_not_a_500(client, curator, history_id):
    response = client.post(reverse("admin:resources_resource_deleted"), {"history_id": history_id})
    assert response.status_code == 404
