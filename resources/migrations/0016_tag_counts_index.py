"""An index that answers the sidebar's tag counts on its own.

The tag facets count taggit's through rows per tag for resources (`filters.all_tags_used`).
With (content_type, tag) indexed together the count reads this index alone instead of every
tagging row. The table is taggit's, so the index is made here, by name, on both databases.
"""

from django.db import migrations

INDEX = "resources_taggeditem_type_tag"


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0015_job_verbose_names"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON taggit_taggeditem (content_type_id, tag_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
