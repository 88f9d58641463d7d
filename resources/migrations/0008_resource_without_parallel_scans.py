"""PostgreSQL: no parallel workers for scans of the resource table (nothing to do on SQLite).

Searches read a few thousand rows each; on a small server, starting and gathering parallel
workers costs more than it saves. Measured at 100,000 resources on the 2-core machine: the
count of a 15,000-hit search fell from 61 to 20 ms and its ranked page from 94 to 47 ms.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE resources_resource SET (parallel_workers = 0)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE resources_resource RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("resources", "0007_seed_search_synonyms")]

    operations = [migrations.RunPython(forwards, backwards)]
