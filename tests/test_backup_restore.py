"""Backup and restore: dumpdata, then an empty database, then loaddata gives back everything."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from resources.management.commands.backup import EXCLUDED
from resources.models import Author, Library, Resource, SearchSynonym
from tests.factories import AuthorFactory, ResourceFactory, ResourceLinkFactory, UserFactory


def backed_up_models():
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or label in EXCLUDED:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in backed_up_models()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["backup.jsonl.gz", "backup.json.gz"])
def test_dump_then_restore_into_an_empty_database_gives_back_everything(tmp_path, client, name):
    Library.objects.create(title="深度学习理论 Library", intro="Intro with $x^2$.")
    author = AuthorFactory(name="Yi Ma")
    author.aliases.create(name="马毅")
    resource = ResourceFactory(
        title="白盒深度网络",
        description="**Notes** 泛化",
        tags=["geometry", "几何"],
        authors=[author],
    )
    resource.curated_fields = ["kind", "tags"]
    resource.save()
    ResourceLinkFactory(resource=resource, label="代码")
    ResourceFactory.create_batch(3, tags=["ntk"])
    curators = Group.objects.get_or_create(name="curators")[0]
    curators.permissions.add(Permission.objects.get(codename="change_resource"))
    reader = UserFactory(username="读者")
    reader.groups.add(curators)
    client.post("/accounts/login/", {"username": "读者", "password": "wrong"})  # an axes row
    before = row_counts()
    password_hash = reader.password
    assert before["resources.Resource"] == 4 and before["auth.User"] == 1

    dump = tmp_path / name
    call_command("backup", "-o", str(dump), stderr=StringIO())
    # An empty database: content types and permissions only, not even the rows migrations seed
    # (starter synonyms, the curators group): the dump carries them.
    call_command("flush", "--noinput", verbosity=0)
    SearchSynonym.objects.all().delete()
    Group.objects.all().delete()
    assert Resource.objects.count() == 0 and not Group.objects.filter(user__isnull=False)
    call_command("loaddata", str(dump), verbosity=0)

    assert row_counts() == before
    restored = Resource.objects.get(title="白盒深度网络")
    # django-taggit names a TaggedItem by object_id alone: a plain natural-primary dump loses
    # all of a resource's tags but one, so the backup keeps their primary keys.
    assert sorted(restored.tags.names()) == ["geometry", "几何"]
    assert restored.curated_fields == ["kind", "tags"]
    assert [a.name for a in restored.ordered_authors] == ["Yi Ma"]
    assert restored.links.get().label == "代码"
    assert Author.find("马毅").name == "Yi Ma"
    user = Group.objects.get(name="curators").user_set.get()
    assert user.username == "读者" and user.password == password_hash
    assert user.has_perm("resources.change_resource")
    assert Library.current().title == "深度学习理论 Library"


@pytest.mark.django_db
def test_a_backup_is_one_json_object_per_line_and_never_left_half_written(tmp_path):
    ResourceFactory.create_batch(3, tags=["ntk", "几何"])
    dump = tmp_path / "backup.jsonl"
    call_command("backup", "-o", str(dump), stderr=StringIO())
    lines = dump.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sum(r["model"] == "resources.resource" for r in records) == 3
    assert sum(r["model"] == "taggit.taggeditem" and "pk" in r for r in records) == 6
    assert "几何" in dump.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert not list(tmp_path.glob("*.partial"))


def test_a_backup_refuses_a_file_name_loaddata_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="jsonl"):
        call_command("backup", "-o", str(tmp_path / "backup.txt"))
