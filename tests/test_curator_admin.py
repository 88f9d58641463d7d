"""The resource admin at scale: filters, bulk actions with history, reordering, cost."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from resources.models import Kind, LinkStatus, Resource
from tests.factories import (
    AuthorFactory,
    CuratorFactory,
    LinkCheckFactory,
    ResourceFactory,
    ResourceLinkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:resources_resource_changelist"


@pytest.fixture
def curator(client):
    user = CuratorFactory()
    client.force_login(user)
    return user


def listed(client, **params) -> set[int]:
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return {resource.pk for resource in response.context["cl"].result_list}


def run_action(client, action: str, resources, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in resources], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_missing_authors_and_missing_tags_filters(client, curator):
    bare = ResourceFactory()
    authored = ResourceFactory(authors=[AuthorFactory()])
    tagged = ResourceFactory(tags=["ntk"])
    assert listed(client, missing_authors="yes") == {bare.pk, tagged.pk}
    assert listed(client, missing_authors="no") == {authored.pk}
    assert listed(client, missing_tags="yes") == {bare.pk, authored.pk}
    assert listed(client, missing_tags="no") == {tagged.pk}


def test_link_health_filter(client, curator):
    ok = LinkCheckFactory(status=LinkStatus.OK).resource
    broken = LinkCheckFactory(status=LinkStatus.BROKEN, http_status=404).resource
    never = ResourceFactory()
    heading = ResourceFactory(url="")
    with_bad_link = ResourceFactory()
    LinkCheckFactory(
        resource=None, link=ResourceLinkFactory(resource=with_bad_link), url="https://x.org/a"
    )
    LinkCheckFactory(resource=with_bad_link, status=LinkStatus.OK)
    assert listed(client, link_health="ok") == {ok.pk, with_bad_link.pk}
    assert listed(client, link_health="broken") == {broken.pk}
    assert listed(client, link_health="unchecked") == {never.pk}
    assert heading.pk not in listed(client, link_health="unchecked")
    with_bad_link.links.get().link_check.__class__.objects.filter(link__isnull=False).update(
        status=LinkStatus.UNREACHABLE
    )
    assert listed(client, link_health="secondary-broken") == {with_bad_link.pk}


def test_search_and_sortable_columns(client, curator):
    ResourceFactory(title="Deep Double Descent", year=2019)
    ResourceFactory(title="泛化理论", year=2023)
    response = client.get(reverse(CHANGELIST), {"q": "泛化"})
    assert [r.title for r in response.context["cl"].result_list] == ["泛化理论"]
    # Column 5 is the year (1-based after the checkbox); "-5" sorts newest first.
    response = client.get(reverse(CHANGELIST), {"o": "-5"})
    assert [r.year for r in response.context["cl"].result_list] == [2023, 2019]


def test_each_row_links_to_the_public_page(client, curator):
    resource = ResourceFactory()
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert f'href="{resource.get_absolute_url()}"' in html


@pytest.mark.parametrize("count", [3, 40])
def test_changelist_query_count_does_not_grow(
    client, curator, django_assert_max_num_queries, count
):
    topic = TopicFactory()
    authors = [AuthorFactory(), AuthorFactory()]
    for resource in ResourceFactory.create_batch(
        count, topic=topic, tags=["a", "b"], authors=authors
    ):
        ResourceLinkFactory(resource=resource)
        LinkCheckFactory(resource=resource)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == count
    row = response.context["cl"].result_list[0]
    assert (row._author_count, row._tag_count) == (2, 2)


def test_add_tags_shows_a_form_then_tags_every_selected_resource_with_history(client, curator):
    chosen = ResourceFactory.create_batch(2, tags=["old"])
    other = ResourceFactory()
    page = run_action(client, "add_tags", chosen)
    assert page.status_code == 200
    assert "Add tags" in page.content.decode()
    response = run_action(client, "add_tags", chosen, apply="1", tags="泛化, NTK")
    assert response.status_code == 302
    for resource in chosen:
        assert sorted(resource.tags.names()) == ["NTK", "old", "泛化"]
        latest = resource.history.latest()
        assert latest.history_user == curator
        assert latest.history_change_reason == "tags added: 泛化, NTK"
        assert latest.tag_names == ["NTK", "old", "泛化"]
        resource.refresh_from_db()
        assert "tags" in resource.curated_fields
    assert list(other.tags.names()) == []


def test_add_tags_with_an_empty_list_shows_the_error_and_changes_nothing(client, curator):
    resource = ResourceFactory()
    response = run_action(client, "add_tags", [resource], apply="1", tags=" , ")
    assert response.status_code == 200
    assert "Name at least one tag." in response.content.decode()
    assert list(resource.tags.names()) == []


def test_remove_tags_is_case_insensitive(client, curator):
    resource = ResourceFactory(tags=["NTK", "sgd"])
    run_action(client, "remove_tags", [resource], apply="1", tags="ntk")
    assert list(resource.tags.names()) == ["sgd"]
    assert resource.history.latest().history_change_reason == "tags removed: NTK"


def test_move_to_topic_appends_in_order_and_records_history(client, curator):
    target = TopicFactory()
    ResourceFactory(topic=target, position=7)
    first, second = ResourceFactory(position=1), ResourceFactory(position=2)
    run_action(client, "move_to_topic", [second, first], apply="1", topic=target.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.topic, first.position, second.topic, second.position) == (target, 8, target, 9)
    assert first.history.latest().history_change_reason == f"moved to topic {target.name}"


def test_set_kind_and_feature_unfeature(client, curator):
    resources = ResourceFactory.create_batch(2, kind=Kind.PAPER)
    run_action(client, "set_kind", resources, apply="1", kind=Kind.BLOG)
    run_action(client, "feature", resources)
    assert set(Resource.objects.values_list("kind", "is_featured")) == {(Kind.BLOG, True)}
    run_action(client, "unfeature", resources[:1])
    assert list(Resource.objects.filter(is_featured=True)) == resources[1:]
    assert resources[0].history.count() == 4  # created, kind, featured, unfeatured


def test_invalid_kind_is_reported_not_applied(client, curator):
    resource = ResourceFactory(kind=Kind.PAPER)
    response = run_action(client, "set_kind", [resource], apply="1", kind="poem")
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.kind == Kind.PAPER


def test_move_up_and_down_reorder_within_the_topic(client, curator):
    topic = TopicFactory()
    a, b, c = (ResourceFactory(topic=topic, position=p) for p in (5, 5, 9))
    run_action(client, "move_up", [c])
    order = list(Resource.objects.filter(topic=topic).order_by("position"))
    assert order == [a, c, b]
    assert [r.position for r in order] == [0, 1, 2]
    run_action(client, "move_down", [a])
    assert list(Resource.objects.filter(topic=topic).order_by("position")) == [c, a, b]
    run_action(client, "move_up", [c])  # already first: nothing moves
    assert list(Resource.objects.filter(topic=topic).order_by("position")) == [c, a, b]


def test_a_reader_cannot_run_admin_actions(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    resource = ResourceFactory(kind=Kind.PAPER)
    response = run_action(client, "feature", [resource])
    assert response.status_code == 302 and "/login/" in response.url
    resource.refresh_from_db()
    assert resource.is_featured is False
