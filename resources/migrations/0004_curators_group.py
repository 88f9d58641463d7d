"""Create the `curators` group with the catalogue permissions (see resources/roles.py)."""

from django.db import migrations


def create_curators(apps, schema_editor):
    from resources.roles import apply_curator_role

    apply_curator_role(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("resources", "0003_history_link_checks_suggestions"),
    ]

    operations = [migrations.RunPython(create_curators, migrations.RunPython.noop)]
