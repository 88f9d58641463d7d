"""Discovery: related reading, reading paths with each reader's progress, and what's new.

- related.py: the related resources of a resource, with the reasons, cached for everyone;
- text.py: TF-IDF similarity over the search tokens (Chinese included);
- paths.py: progress along a path from a reader's own bookmarks, starting a path, the shipped
  paths;
- news.py: additions and notable changes by week, from the catalogue's history.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from resources.caching import bump_catalogue_version


def _path_changed(sender, instance, raw=False, **kwargs) -> None:
    # Paths are public pages cached per catalogue version.
    if raw:
        return
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)


def connect_signals() -> None:
    """Called from the app config once the models are ready. Bookmarks retire the related
    lists through the readers version (`resources.caching`)."""
    from resources.models import PathStep, ReadingPath

    uid = "resources.discovery"
    for model in (ReadingPath, PathStep):
        name = model.__name__
        post_save.connect(_path_changed, sender=model, dispatch_uid=f"{uid}.{name}.s")
        post_delete.connect(_path_changed, sender=model, dispatch_uid=f"{uid}.{name}.d")
