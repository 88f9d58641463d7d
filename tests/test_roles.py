"""The curators group: catalogue permissions only, re-applied idempotently by setup_roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from tests.factories import CuratorFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_migration_gives_curators_catalogue_permissions_and_nothing_on_users():
    group = Group.objects.get(name="curators")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert labels == {"resources", "taggit"}
    assert {"change_resource", "delete_topic", "add_tag", "view_historicalresource"} <= codenames
    assert {"change_suggestion", "view_linkcheck", "add_authoralias"} <= codenames
    assert not codenames & {"change_user", "add_group", "change_permission", "view_user"}


def test_setup_roles_restores_removed_permissions_and_is_idempotent(capsys):
    group = Group.objects.get(name="curators")
    expected = set(group.permissions.all())
    group.permissions.remove(Permission.objects.get(codename="change_resource"))
    group.permissions.add(Permission.objects.get(codename="change_user"))
    call_command("setup_roles")
    call_command("setup_roles")
    assert set(Group.objects.get(name="curators").permissions.all()) == expected
    assert "80 permissions" in capsys.readouterr().out  # 70, reading paths and steps, jobs


def test_setup_roles_creates_the_group_if_it_was_deleted():
    Group.objects.filter(name="curators").delete()
    call_command("setup_roles", verbosity=0)
    assert Group.objects.get(name="curators").permissions.filter(codename="add_resource").exists()


def test_curator_can_open_and_change_a_resource_in_the_admin(client):
    client.force_login(CuratorFactory())
    resource = ResourceFactory(title="Old title")
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Neural Tangent Kernel",
        "url": resource.url,
        "kind": "paper",
        "topic": resource.topic_id,
        "position": 0,
        "language": "en",
        "marker": "",
        "year": 2018,
        "venue": "",
        "tags": "ntk",
        "description": "",
        "authorships-TOTAL_FORMS": 0,
        "authorships-INITIAL_FORMS": 0,
        "links-TOTAL_FORMS": 0,
        "links-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()
    assert resource.title == "Neural Tangent Kernel"
    assert list(resource.tags.names()) == ["ntk"]
    assert resource.history.latest().tag_names == ["ntk"]  # the version has the saved tags


@pytest.mark.parametrize(
    "url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]
)
def test_curator_cannot_open_users_or_groups(client, url_name):
    client.force_login(CuratorFactory())
    assert client.get(reverse(url_name)).status_code == 403


def test_staff_outside_the_group_cannot_change_resources(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    resource = ResourceFactory()
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    assert client.get(url).status_code == 403
