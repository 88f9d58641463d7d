"""The first synonym groups; curators add and edit them in the admin."""

from django.db import migrations

from resources.search.starter import STARTER_SYNONYMS as GROUPS


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    for terms, note in GROUPS:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=[terms for terms, _ in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_search_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
