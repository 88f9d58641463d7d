"""Database-specific search indexes: a GIN index on PostgreSQL, an FTS5 table on SQLite.

Each database gets only its own objects; the other's step does nothing. The SQL lives in
resources/search/backends.py next to the queries that use it. Documents of existing rows are
filled in here too, so the index is usable straight after `migrate`.
"""

from django.db import migrations

from resources.search import backends


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(backends.POSTGRES_INDEX_SQL)
    elif vendor == "sqlite":
        for statement in backends.SQLITE_CREATE_SQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(backends.POSTGRES_DROP_SQL)
    elif vendor == "sqlite":
        for statement in backends.SQLITE_DROP_SQL:
            schema_editor.execute(statement)


def fill_documents(apps, schema_editor):
    # The live models hold the document logic; on an empty database (tests, fresh installs)
    # there is nothing to do.
    Resource = apps.get_model("resources", "Resource")
    if Resource.objects.using(schema_editor.connection.alias).exists():
        from resources.search.index import refresh_documents

        refresh_documents()


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_search_document_and_synonyms")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
