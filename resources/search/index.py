"""Each resource's search document, and keeping it current.

The document is stored on the resource (`search_text`, `search_title`) as index tokens; the
database indexes those (see backends.py). Signals refresh it when a resource, its links, tags,
authors or their aliases change; bulk writes call `refresh_documents` or the management command
`rebuild_search_index`.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from taggit.models import Tag, TaggedItem

from resources.search.tokens import document_tokens

# Between fields, so a phrase never spans two of them. A private-use character: both databases'
# tokenizers keep it as a word (so it takes a position), and no query can produce it.
SEPARATOR = "\ue000"
INDEXED_FIELDS = {"title", "description", "abstract", "venue", "topic", "topic_id"}


def document(
    *,
    title: str,
    description: str = "",
    abstract: str = "",
    venue: str = "",
    topic: str = "",
    tags: Iterable[str] = (),
    names: Iterable[str] = (),
    link_labels: Iterable[str] = (),
) -> tuple[str, str]:
    """(search_text, search_title) for these texts: tokens padded with spaces for LIKE."""
    fields = [title, description, abstract, venue, topic, *tags, *names, *link_labels]
    text = f" {SEPARATOR} ".join(" ".join(document_tokens(f)) for f in fields if f and f.strip())
    title_tokens = " ".join(document_tokens(title))
    return f" {text} ", f" {title_tokens} "


def document_for(resource) -> tuple[str, str]:
    """The document of a resource whose topic, tags, links and authors are prefetched."""
    names: list[str] = []
    for author in resource.authors.all():
        names.append(author.name)
        names.extend(alias.name for alias in author.aliases.all())
    return document(
        title=resource.title,
        description=resource.description,
        abstract=resource.abstract,
        venue=resource.venue,
        topic=resource.topic.name,
        tags=[tag.name for tag in resource.tags.all()],
        names=names,
        link_labels=[link.label for link in resource.links.all()],
    )


_deferred: ContextVar[set[int] | None] = ContextVar("deferred_search_refresh", default=None)


@contextmanager
def deferred_refresh():
    """Collect document refreshes and run them once, in bulk, when the block ends.

    For writes that touch thousands of rows (an import): refreshing after every save costs a
    few queries each; here every resource touched is refreshed once, before the block's
    transaction commits.
    """
    if _deferred.get() is not None:  # nested: the outer block refreshes
        yield
        return
    token = _deferred.set(set())
    try:
        yield
        pending = _deferred.get()
    finally:
        _deferred.reset(token)
    if pending:
        refresh_documents(sorted(pending))


def refresh_documents(resources=None, *, batch_size: int = 1000) -> int:
    """Recompute the documents of `resources` (a queryset or pks; all when None)."""
    from resources.models import Author, Resource

    pending = _deferred.get()
    if pending is not None and isinstance(resources, list | set | tuple):
        pending.update(resources)  # ids already: no query while deferred
        return 0
    queryset = Resource.objects.all()
    if resources is not None:
        queryset = queryset.filter(pk__in=resources)
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    if pending is not None:
        pending.update(pks)
        return 0
    done = 0
    for start in range(0, len(pks), batch_size):
        batch = (
            Resource.objects.filter(pk__in=pks[start : start + batch_size])
            .select_related("topic")
            .prefetch_related(
                "tags", "links", Prefetch("authors", Author.objects.prefetch_related("aliases"))
            )
            .only("pk", "title", "description", "abstract", "venue", "topic__name", "search_text")
        )
        rows = [(*document_for(resource), resource.pk) for resource in batch]
        # One prepared UPDATE per row (executemany): bulk_update's CASE expressions are far
        # slower on thousands of rows. Search triggers (SQLite FTS5) fire as for any update.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Resource._meta.db_table} SET search_text = %s, search_title = %s "
                "WHERE id = %s",
                rows,
            )
        done += len(rows)
    return done


# Signals ------------------------------------------------------------------------------------
def _resource_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not (set(update_fields) & INDEXED_FIELDS)):
        return
    refresh_documents([instance.pk])


def _part_changed(sender, instance, raw=False, **kwargs) -> None:
    """A link or an authorship changed: its resource's document follows."""
    if not raw:
        refresh_documents([instance.resource_id])


def _author_changed(sender, instance, raw=False, **kwargs) -> None:
    from resources.models import Author, Authorship

    if raw:
        return
    author_id = instance.pk if isinstance(instance, Author) else instance.author_id
    refresh_documents(Authorship.objects.filter(author_id=author_id).values("resource_id"))


def _topic_saved(sender, instance, raw=False, **kwargs) -> None:
    from resources.models import Resource

    if not raw:
        refresh_documents(Resource.objects.filter(topic=instance).values("pk"))


def _tag_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    from resources.models import Resource

    if not raw and not created:
        refresh_documents(Resource.objects.filter(tags=instance).values("pk"))


def _tagged_item_changed(sender, instance, raw=False, **kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType

    from resources.models import Resource

    # get_for_model is cached; following instance.content_type could cost a query.
    if not raw and instance.content_type_id == ContentType.objects.get_for_model(Resource).pk:
        refresh_documents([instance.object_id])


def _tags_changed(sender, instance, action, **kwargs) -> None:
    from resources.models import Resource

    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Resource):
        refresh_documents([instance.pk])


def connect() -> None:
    """Called from the app config once the models are ready."""
    from resources.models import (
        Author,
        AuthorAlias,
        Authorship,
        Resource,
        ResourceLink,
        SearchSynonym,
        Topic,
    )
    from resources.search import forget_synonyms
    from resources.search.starter import restore_starter_synonyms

    uid = "resources.search"
    post_migrate.connect(restore_starter_synonyms, dispatch_uid=f"{uid}.starter_synonyms")
    post_save.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid=f"{uid}.synonym.s")
    post_delete.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid=f"{uid}.synonym.d")
    post_save.connect(_resource_saved, sender=Resource, dispatch_uid=f"{uid}.resource")
    for model in (ResourceLink, Authorship):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.s")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.d")
    post_save.connect(_author_changed, sender=Author, dispatch_uid=f"{uid}.author")
    post_save.connect(_author_changed, sender=AuthorAlias, dispatch_uid=f"{uid}.alias.s")
    post_delete.connect(_author_changed, sender=AuthorAlias, dispatch_uid=f"{uid}.alias.d")
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid=f"{uid}.topic")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid=f"{uid}.tag")
    post_save.connect(_tagged_item_changed, sender=TaggedItem, dispatch_uid=f"{uid}.tagged.s")
    post_delete.connect(_tagged_item_changed, sender=TaggedItem, dispatch_uid=f"{uid}.tagged.d")
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid=f"{uid}.tags")
