"""Curators' writes across several models: bulk edits, ordering, merges, suggestions, restores.

Called from the admin by members of the `curators` group; each runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from resources.caching import bump_catalogue_version
from resources.markdown.urls import normalize_url
from resources.models import (
    Author,
    Authorship,
    LinkCheck,
    Resource,
    ResourceLink,
    Suggestion,
    SuggestionStatus,
    Topic,
)
from resources.models.readers import reattach_readers_rows
from resources.services.guessing import guess_kind, guess_language

# --- Curators' workflow (issue 6): bulk edits, ordering, merging, suggestions, restore -------
# Every write below goes through Model.save() (not QuerySet.update) so django-simple-history
# records who changed what, with a reason a curator can read in the admin's history view.


def _record(resource: Resource, *, fields: list[str], user, reason: str) -> None:
    resource._history_user = user
    resource._change_reason = reason[:100]
    resource.save(update_fields=[*fields, "updated"])


def _mark_curated(resource: Resource, *names: str) -> list[str]:
    """Mark fields as set by hand (imports keep them); returns the fields to save."""
    resource.curated_fields = sorted({*resource.curated_fields, *names})
    return ["curated_fields"]


def _clean_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tag.strip()[:100] for tag in tags if tag.strip()))


@transaction.atomic
def add_tags(*, resources: Iterable[Resource], tags: list[str], user=None) -> int:
    """Add `tags` to every resource; returns how many resources gained a tag."""
    tags = _clean_tags(tags)
    changed = 0
    for resource in resources:
        have = {name.casefold() for name in resource.tags.names()}
        new = [tag for tag in tags if tag.casefold() not in have]
        if not new:
            continue
        resource.tags.add(*new)
        _record(
            resource,
            fields=_mark_curated(resource, "tags"),
            user=user,
            reason=f"tags added: {', '.join(new)}",
        )
        changed += 1
    return changed


@transaction.atomic
def remove_tags(*, resources: Iterable[Resource], tags: list[str], user=None) -> int:
    """Remove `tags` (case-insensitive) from every resource; returns how many lost one."""
    wanted = {tag.casefold() for tag in _clean_tags(tags)}
    changed = 0
    for resource in resources:
        gone = [tag for tag in resource.tags.all() if tag.name.casefold() in wanted]
        if not gone:
            continue
        resource.tags.remove(*gone)
        _record(
            resource,
            fields=_mark_curated(resource, "tags"),
            user=user,
            reason=f"tags removed: {', '.join(tag.name for tag in gone)}",
        )
        changed += 1
    return changed


@transaction.atomic
def move_to_topic(*, resources: Iterable[Resource], topic: Topic, user=None) -> int:
    """Move resources to the end of `topic`, keeping their relative order."""
    position = (Resource.objects.filter(topic=topic).aggregate(m=Max("position"))["m"] or 0) + 1
    changed = 0
    for resource in sorted(resources, key=lambda r: (r.topic_id, r.position, r.pk)):
        if resource.topic_id == topic.pk:
            continue
        resource.topic, resource.position = topic, position
        position += 1
        fields = ["topic", "position", *_mark_curated(resource, "topic")]
        _record(resource, fields=fields, user=user, reason=f"moved to topic {topic.name}")
        changed += 1
    return changed


@transaction.atomic
def set_field(*, resources: Iterable[Resource], name: str, value, user=None) -> int:
    """Set `kind` or `is_featured` on every resource; returns how many changed."""
    if name not in ("kind", "is_featured"):
        raise ValueError(f"{name} cannot be set in bulk")
    changed = 0
    for resource in resources:
        if getattr(resource, name) == value:
            continue
        setattr(resource, name, value)
        fields = [name, *_mark_curated(resource, name)]
        _record(resource, fields=fields, user=user, reason=f"{name} set to {value}")
        changed += 1
    return changed


@transaction.atomic
def renumber_topic(*, topic: Topic, user=None) -> list[Resource]:
    """Give the topic's resources positions 0, 1, 2… in their current order."""
    siblings = list(
        Resource.objects.select_for_update().filter(topic=topic).order_by("position", "pk")
    )
    for index, resource in enumerate(siblings):
        if resource.position != index:
            resource.position = index
            _record(resource, fields=["position"], user=user, reason="renumbered")
    return siblings


@transaction.atomic
def move_within_topic(*, resource: Resource, offset: int, user=None) -> bool:
    """Move a resource `offset` places up (negative) or down in its topic; False at an end."""
    siblings = renumber_topic(topic=resource.topic, user=user)
    index = next(i for i, r in enumerate(siblings) if r.pk == resource.pk)
    target = index + offset
    if offset == 0 or not 0 <= target < len(siblings):
        return False
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            _record(sibling, fields=["position"], user=user, reason="reordered")
    resource.position = target
    return True


def richness(resource: Resource) -> int:
    """How much a record holds, to choose which of two duplicates to keep."""
    score = sum(1 for value in (resource.url, resource.year, resource.venue, resource.doi) if value)
    score += min(len(resource.description) // 80, 5) + 2 * len(resource.curated_fields)
    score += 2 * resource.authorships.count() + resource.links.count()
    score += len(resource.tags.names()) + resource.children.count()
    return score


def _repoint(rel, *, old: Resource, new: Resource) -> None:
    """Move the rows of reverse relation `rel` from `old` to `new`.

    A row whose move would break a unique constraint (a reader's second bookmark of the same
    work, an author listed twice) is a duplicate of one `new` already has; it is dropped.
    """
    field = rel.field
    for row in rel.related_model._base_manager.filter(**{field.name: old}):
        if rel.related_model is Resource and row.pk == new.pk:
            # `new` was a child of `old`: it takes old's place rather than becoming its own child.
            new.parent_id = old.parent_id
            continue
        setattr(row, field.name, new)
        try:
            with transaction.atomic():
                row.save(update_fields=[field.name])
        except IntegrityError:
            row.delete()


@transaction.atomic
def merge_resources(*, keep: Resource, duplicates: Iterable[Resource], user=None) -> Resource:
    """Fold `duplicates` into `keep` and delete them; all or nothing.

    Everything that points at a duplicate — links, authorships, children, suggestions, link
    checks and any readers' data added later (bookmarks, annotations) — is repointed to `keep`,
    found generically through Resource's reverse relations. Tags are united; blank fields of
    `keep` are filled from the duplicates; a duplicate's own URL stays as a secondary link.
    The history keeps the deleted records, so a merge can be undone by restoring them.
    """
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        raise ValueError(gettext("Nothing to merge."))
    keep = Resource.objects.select_for_update().get(pk=keep.pk)
    relations = [
        rel
        for rel in Resource._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and rel.related_model is not LinkCheck
    ]
    fill = ["year", "venue", "description"]
    for duplicate in duplicates:
        duplicate = Resource.objects.select_for_update().get(pk=duplicate.pk)
        for rel in relations:
            _repoint(rel, old=duplicate, new=keep)
        for rel in Resource._meta.related_objects:
            if rel.many_to_many:  # another model's ManyToManyField to Resource
                for row in rel.related_model._base_manager.filter(**{rel.field.name: duplicate}):
                    getattr(row, rel.field.name).remove(duplicate)
                    getattr(row, rel.field.name).add(keep)
        keep.tags.add(*duplicate.tags.all())
        for name in fill:
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
        keep_url = duplicate.url and duplicate.url_key != keep.url_key
        if keep_url and not keep.links.filter(url=duplicate.url).exists():
            ResourceLink.objects.create(
                resource=keep,
                label=duplicate.title[:300],
                url=duplicate.url,
                position=keep.links.count(),
            )
        duplicate._history_user = user
        duplicate._change_reason = f"merged into #{keep.pk}"
        duplicate.delete()
    ids = ", ".join(f"#{d.pk}" for d in duplicates)
    keep._history_user = user
    keep._change_reason = f"merged {ids}"[:100]
    keep.save()
    return keep


@transaction.atomic
def accept_suggestion(*, suggestion: Suggestion, curator) -> Resource:
    """Accept a pending suggestion: the resource is added at the end of its topic.

    If the URL is in the catalogue already, the suggestion points at that entry instead.
    """
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValueError(gettext("This suggestion has been decided already."))
    resource = Resource.objects.filter(url_key=normalize_url(suggestion.url)).first()
    if resource is None:
        last = Resource.objects.filter(topic=suggestion.topic).aggregate(m=Max("position"))["m"]
        resource = Resource(
            title=suggestion.title,
            url=suggestion.url,
            kind=guess_kind(suggestion.url),
            language=guess_language(suggestion.url, suggestion.title),
            topic=suggestion.topic,
            position=(last or 0) + 1,
        )
        resource._history_user = curator
        resource._change_reason = f"suggested by {suggestion.user}"[:100]
        resource.save()
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.resource = resource
    suggestion.decided_by = curator
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return resource


@transaction.atomic
def reject_suggestion(*, suggestion: Suggestion, curator, reason: str) -> Suggestion:
    """Reject a pending suggestion; the reason is shown to the reader who made it."""
    reason = reason.strip()
    if not reason:
        raise ValueError(gettext("A rejection needs a reason."))
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValueError(gettext("This suggestion has been decided already."))
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.rejection_reason = reason
    suggestion.decided_by = curator
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return suggestion


@transaction.atomic
def restore_resource(*, history_id: int, user=None) -> Resource:
    """Bring back a deleted resource as it was just before deletion: fields, tags, authors,
    links, and readers' bookmarks and notes of it.

    `history_id` names its deletion record (or any earlier version of it).
    """
    History = Resource.history.model
    record = History.objects.get(history_id=history_id)
    if Resource.objects.filter(pk=record.id).exists():
        raise ValueError(gettext("This resource exists; revert it from its history page instead."))
    deletion = (
        History.objects.filter(id=record.id, history_type="-").order_by("-history_date").first()
    )
    version = record
    resource = version.instance
    if resource.parent_id and not Resource.objects.filter(pk=resource.parent_id).exists():
        resource.parent = None
    if not Topic.objects.filter(pk=resource.topic_id).exists():
        raise ValueError(gettext("Its topic no longer exists; recreate the topic first."))
    resource._history_user = user
    resource._change_reason = "restored"
    resource.save(force_insert=True)
    resource.tags.set(version.tag_names)
    if reattach_readers_rows(resource):  # readers' bookmarks and notes come back with it
        # Their public notes show on the resource's page again (an update sends no signal).
        transaction.on_commit(bump_catalogue_version)
    if deletion is not None:
        # Rows deleted with it (cascade) were recorded in the same moment.
        since = deletion.history_date - timedelta(seconds=5)
        for model in (Authorship, ResourceLink):
            gone = model.history.filter(
                resource_id=record.id, history_type="-", history_date__gte=since
            ).order_by("history_date")
            for row in gone:
                if model is Authorship and not Author.objects.filter(pk=row.author_id).exists():
                    continue
                if not model.objects.filter(pk=row.id).exists():
                    instance = row.instance
                    instance._history_user = user
                    instance._change_reason = "restored"
                    instance.save(force_insert=True)
    return resource
