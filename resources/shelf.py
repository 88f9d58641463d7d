"""A reader's shelf: putting resources on it, taking them off, and looking them up for a page.

Used by the bookmark pages and by the API alike, so both keep one bookmark per resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from resources.models import Annotation, Bookmark, Resource

BOOKMARK_FIELDS = ("status", "rating")


@transaction.atomic
def shelve(*, user, resource: Resource, changes: Mapping[str, Any]) -> tuple[Bookmark, bool]:
    """Bookmark `resource` for `user`, or update the bookmark they have; (bookmark, created).

    Only the fields named in `changes` are set, so a second bookmark of the same resource
    keeps the reader's status and rating unless they say otherwise.
    """
    values = {name: changes[name] for name in BOOKMARK_FIELDS if name in changes}
    bookmark, created = Bookmark.objects.select_for_update().get_or_create(
        user=user, resource=resource, defaults=values
    )
    if not created and values:
        for name, value in values.items():
            setattr(bookmark, name, value)
        bookmark.save(update_fields=[*values, "updated"])
    return bookmark, created


@transaction.atomic
def unshelve(*, user, resource: Resource) -> bool:
    """Remove `user`'s bookmark of `resource`; False if there was none."""
    deleted, _ = Bookmark.objects.filter(user=user, resource=resource).delete()
    return bool(deleted)


def reader_shelf(user, keys: Sequence[int]) -> dict[int, Bookmark]:
    """`user`'s bookmarks of the resources with these keys, by resource key.

    One query, whatever the number of keys; none for a visitor.
    """
    if user is None or not user.is_authenticated or not keys:
        return {}
    rows = Bookmark.objects.filter(user=user, resource_id__in=keys).only(
        "pk", "user_id", "resource_id", "status", "rating"
    )
    return {bookmark.resource_id: bookmark for bookmark in rows}


def mark_bookmarks(user, resources: Sequence[Resource]) -> None:
    """Set `reader_bookmark` on each of `resources`: `user`'s bookmark of it, or None.

    One query for the whole page of rows, whatever its size; none for a visitor.
    """
    shelf = reader_shelf(user, [resource.pk for resource in resources])
    for resource in resources:
        resource.reader_bookmark = shelf.get(resource.pk)


def withdrawn_shelf(user) -> dict[str, list]:
    """The reader's bookmarks and notes of resources taken out of the catalogue (shown on
    My library as withdrawn; a restore of the resource puts them back in place)."""
    return {
        "bookmarks": list(
            Bookmark.objects.of(user).filter(resource__isnull=True).order_by("withdrawn_title")
        ),
        "notes": list(
            Annotation.objects.filter(user=user, resource__isnull=True).order_by("withdrawn_title")
        ),
    }
