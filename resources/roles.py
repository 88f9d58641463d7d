"""The `curators` group: staff who keep the catalogue, and nothing else.

Members may add, change, delete and view every catalogue model (resources, topics, authors,
links, tags, link checks, suggestions and their history) but never users, groups or
permissions. Applied by a data migration and again by `python manage.py setup_roles`.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CURATORS = "curators"
ACTIONS = ("add", "change", "delete", "view")
# (app label, model name); historical models are named "historical<model>".
CATALOGUE_MODELS = [
    ("resources", "resource"),
    ("resources", "topic"),
    ("resources", "author"),
    ("resources", "authoralias"),
    ("resources", "authorship"),
    ("resources", "resourcelink"),
    ("resources", "library"),
    ("resources", "linkcheck"),
    ("resources", "suggestion"),
    ("resources", "searchsynonym"),
    ("resources", "readingpath"),
    ("resources", "pathstep"),
    ("resources", "historicalresource"),
    ("resources", "historicaltopic"),
    ("resources", "historicalauthor"),
    ("resources", "historicalresourcelink"),
    ("resources", "historicalauthorship"),
    ("taggit", "tag"),
    ("taggit", "taggeditem"),
]
# Readers' public notes: curators may take one off the site (make it private), never delete
# or read private ones (the admin lists public notes only).
MODERATED_MODELS = {
    ("resources", "annotation"): ("view", "change"),
    # Background jobs: curators follow them and run a failed one again (resources/jobs.py).
    ("resources", "job"): ("view", "change"),
}


def apply_curator_role(apps=global_apps) -> tuple[int, list[str]]:
    """Give the curators group exactly the catalogue permissions; idempotent.

    Returns how many permissions the group holds and the models not installed yet (skipped).
    `apps` is the migration state's registry inside a migration.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing: list[str] = []
    codenames: dict[str, set[str]] = {}
    wanted = [(key, ACTIONS) for key in CATALOGUE_MODELS] + list(MODERATED_MODELS.items())
    for (app_label, model_name), actions in wanted:
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            missing.append(f"{app_label}.{model_name}")
            continue
        codenames.setdefault(app_label, set()).update(
            f"{action}_{model_name}" for action in actions
        )
    for app_label in codenames:
        # Permissions are normally created after `migrate`; a fresh database needs them now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, apps=apps, verbosity=0)
    permissions = [
        permission
        for app_label, names in codenames.items()
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=names
        )
    ]
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(permissions)
    return len(permissions), missing
