"""Writes that span several models: importing a Markdown list into the catalogue.

Only curators (through the admin) and maintainers (through `import_markdown`) call these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from resources.markdown.document import Document, Entry, Section
from resources.markdown.encoding import detect_double_encoding, repair_double_encoding
from resources.markdown.urls import normalize_url
from resources.models import (
    Author,
    AuthorAlias,
    Authorship,
    Kind,
    Language,
    Library,
    LinkCheck,
    Resource,
    ResourceLink,
    Suggestion,
    SuggestionStatus,
    Topic,
)
from resources.search.index import refresh_documents

HAN = re.compile(r"[\u4e00-\u9fff]")

# Host (or host + path prefix) → kind, for entries nobody has classified yet.
KIND_BY_HOST = [
    ("arxiv.org", Kind.PAPER),
    ("openreview.net", Kind.PAPER),
    ("proceedings.mlr.press", Kind.PAPER),
    ("proceedings.neurips.cc", Kind.PAPER),
    ("papers.nips.cc", Kind.PAPER),
    ("jmlr.org", Kind.PAPER),
    ("dl.acm.org", Kind.PAPER),
    ("nature.com", Kind.PAPER),
    ("pnas.org", Kind.PAPER),
    ("github.com", Kind.CODE),
    ("zhihu.com/question", Kind.DISCUSSION),
    ("zhuanlan.zhihu.com", Kind.BLOG),
    ("mp.weixin.qq.com", Kind.BLOG),
    ("wordpress.com", Kind.BLOG),
    ("offconvex.org", Kind.BLOG),
    ("youtube.com", Kind.VIDEO),
    ("bilibili.com", Kind.VIDEO),
    ("wikipedia.org", Kind.WEBSITE),
]
CHINESE_HOSTS = ("zhihu.com", "weixin.qq.com", "bilibili.com", "engineering.org.cn")


def guess_kind(url: str) -> str:
    """A first guess at what a URL points to; curators correct it in the admin."""
    if not url:
        return Kind.WEBSITE
    parts = urlsplit(url)
    where = (parts.hostname or "").lower() + parts.path.lower()
    for prefix, kind in KIND_BY_HOST:
        if prefix in where:
            return kind
    if parts.path.lower().endswith(".pdf"):
        return Kind.PAPER
    return Kind.WEBSITE


def guess_language(url: str, title: str) -> str:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    if any(host.endswith(chinese) for chinese in CHINESE_HOSTS) or HAN.search(title):
        return Language.CHINESE
    return Language.ENGLISH


class ListEncodingError(ValueError):
    """The file is not text we can import as it stands; the message says why and where."""


def decode_list(raw: bytes, *, repair_encoding: bool = False) -> tuple[str, list[str]]:
    """The text of an uploaded or read list, and what a repair could not restore.

    UTF-8 with or without BOM, any line endings. A double-encoded file (UTF-8 read as
    Windows-1252 and saved again) is refused unless `repair_encoding` is set.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ListEncodingError(
            f"The file is not UTF-8 (invalid byte at line {line}). Save it as UTF-8 and retry."
        ) from error
    if "\x00" in text:
        raise ListEncodingError("The file contains NUL bytes; it is not a Markdown list.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    where = detect_double_encoding(text)
    if not where:
        return text, []
    if not repair_encoding:
        raise ListEncodingError(
            "The file looks double-encoded (UTF-8 read as Windows-1252 and saved again): "
            f"mojibake starts at line {where[0]}, column {where[1]}. Nothing was imported. "
            "Repair the encoding (--repair-encoding) to import what can be restored."
        )
    return repair_double_encoding(text)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    topics_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        return (
            f"{verb} {len(self.added)} resources and {len(self.topics_added)} topics, "
            f"{'would change' if self.dry_run else 'changed'} {len(self.changed)}, "
            f"{self.unchanged} unchanged, {len(self.warnings)} warnings"
        )


class _Importer:
    """One import run. Looks everything up once, then writes row by row in one transaction."""

    def __init__(self, report: ImportReport, progress: Callable[[int], None] | None) -> None:
        self.report = report
        self.progress = progress or (lambda n: None)
        self.by_key: dict[str, Resource] = {
            r.url_key: r for r in Resource.objects.exclude(url_key="")
        }
        self.seen_keys: dict[str, int] = {}
        self.headless_seen: dict[tuple[int, int | None, str], int] = {}
        self.authors: dict[str, Author] = {}
        for author in Author.objects.prefetch_related("aliases"):
            self.authors[author.name.casefold()] = author
            for alias in author.aliases.all():
                self.authors[alias.name.casefold()] = author
        self.next_topic_position = (Topic.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        self.touched: set[int] = set()  # resources whose search documents need refreshing

    # Topics -----------------------------------------------------------------------------
    def topic_for(self, section: Section, parent: Topic | None) -> Topic:
        topic = Topic.objects.filter(name=section.title, parent=parent).first()
        if topic is None:
            topic = Topic.objects.create(
                name=section.title,
                parent=parent,
                position=self.next_topic_position,
                heading_level=section.level,
                intro=section.intro,
            )
            self.next_topic_position += 1
            self.report.topics_added.append(section.title)
        elif section.intro and topic.intro != section.intro:
            topic.intro = section.intro
            topic.save(update_fields=["intro"])
        return topic

    # Authors ----------------------------------------------------------------------------
    def author_for(self, name: str) -> Author:
        name = " ".join(name.split())
        author = self.authors.get(name.casefold())
        if author is None:
            author = Author.objects.create(name=name)
            self.authors[name.casefold()] = author
        return author

    # Resources --------------------------------------------------------------------------
    def import_entry(
        self, entry: Entry, topic: Topic, position: int, parent: Resource | None
    ) -> Resource:
        key = normalize_url(entry.url) if entry.url else ""
        if key and key in self.seen_keys:
            self.report.warnings.append(
                f"line {entry.line}: {entry.url} is listed again (first at line "
                f"{self.seen_keys[key]}); kept as one resource"
            )
            resource = self.by_key[key]
            self.add_links(resource, entry)
            return resource
        if key:
            self.seen_keys[key] = entry.line
            resource = self.by_key.get(key)
        else:
            resource = self.headless_match(entry, topic, parent)
        if resource is None:
            resource = self.create(entry, topic, position, parent)
            if key:
                self.by_key[key] = resource
        else:
            self.update(resource, entry, parent)
        return resource

    def headless_match(
        self, entry: Entry, topic: Topic, parent: Resource | None
    ) -> Resource | None:
        """The existing resource a URL-less entry stands for, or None.

        Such entries have only their place to go by: the n-th "SGD" without a link under the
        same topic and parent is the n-th such resource, so a re-import finds each again and
        two same-named headings never collapse into one.
        """
        place = (topic.pk, parent.pk if parent else None, entry.title)
        nth = self.headless_seen.get(place, 0)
        self.headless_seen[place] = nth + 1
        same_place = Resource.objects.filter(
            topic=topic, parent=parent, title=entry.title, url_key=""
        ).order_by("position", "pk")
        return same_place[nth : nth + 1].first()

    def create(
        self, entry: Entry, topic: Topic, position: int, parent: Resource | None
    ) -> Resource:
        resource = Resource.objects.create(
            title=entry.title,
            url=entry.url,
            kind=guess_kind(entry.url) if entry.url else Kind.WEBSITE,
            year=entry.year,
            venue=entry.venue,
            description=entry.description,
            language=guess_language(entry.url, entry.title),
            is_featured=entry.featured,
            topic=topic,
            position=position,
            marker=entry.marker,
            parent=parent,
        )
        Authorship.objects.bulk_create(
            Authorship(resource=resource, author=self.author_for(name), position=i)
            for i, name in enumerate(dict.fromkeys(entry.authors))
        )
        self.add_links(resource, entry)
        self.report.added.append(entry.title)
        return resource

    def update(self, resource: Resource, entry: Entry, parent: Resource | None) -> None:
        """Bring in changed text; never undo what a curator set by hand."""
        wanted = {
            "title": entry.title,
            "description": entry.description,
            "is_featured": entry.featured,
            "marker": entry.marker,
        }
        if entry.year is not None:
            wanted["year"] = entry.year
        if entry.venue:
            wanted["venue"] = entry.venue
        if parent is not None:
            wanted["parent"] = parent
        changed = [
            name
            for name, value in wanted.items()
            if name not in resource.curated_fields and getattr(resource, name) != value
        ]
        for name in changed:
            setattr(resource, name, wanted[name])
        if changed:
            resource.save(update_fields=[*changed, "updated"])
        links_added = self.add_links(resource, entry)
        authors_added = False
        if (
            entry.authors
            and "authors" not in resource.curated_fields
            and not resource.authorships.exists()
        ):
            Authorship.objects.bulk_create(
                Authorship(resource=resource, author=self.author_for(name), position=i)
                for i, name in enumerate(dict.fromkeys(entry.authors))
            )
            authors_added = True
        if changed or links_added or authors_added:
            self.report.changed.append(entry.title)
        else:
            self.report.unchanged += 1

    def add_links(self, resource: Resource, entry: Entry) -> bool:
        """Add the entry's secondary links the resource lacks; existing ones stay."""
        if not entry.links:
            return False
        have = set(resource.links.values_list("url", flat=True)) if resource.pk else set()
        start = len(have)
        new = []
        for link in entry.links:
            if link.url not in have and link.url != resource.url:
                have.add(link.url)
                new.append(
                    ResourceLink(
                        resource=resource,
                        label=link.label[:300],
                        url=link.url,
                        position=start + len(new),
                    )
                )
        ResourceLink.objects.bulk_create(new)
        return bool(new)

    def walk(self, sections: list[Section], parent: Topic | None = None) -> None:
        for section in sections:
            topic = self.topic_for(section, parent)
            imported: dict[int, Resource] = {}
            for position, (entry, parent_entry) in enumerate(_flatten(section.entries)):
                parent_resource = imported.get(id(parent_entry)) if parent_entry else None
                imported[id(entry)] = self.import_entry(entry, topic, position, parent_resource)
                self.touched.add(imported[id(entry)].pk)
                self.progress(1)
            self.walk(section.children, topic)


def _flatten(entries: list[Entry]) -> Iterator[tuple[Entry, Entry | None]]:
    """Entries in reading order, each with the entry it is a sub-item of."""
    for entry in entries:
        yield entry, None
        for child in entry.children:
            yield child, entry
            for grandchild in child.children:
                yield grandchild, child


def count_entries(document: Document) -> int:
    def in_sections(sections: list[Section]) -> int:
        return sum(
            sum(1 for _ in _flatten(section.entries)) + in_sections(section.children)
            for section in sections
        )

    return sum(1 for _ in _flatten(document.entries)) + in_sections(document.sections)


def import_document(
    document: Document,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add a parsed list to the catalogue; all or nothing.

    New entries are added, changed text is updated, nothing is deleted, and fields a curator
    edited (see `Resource.curated_fields`) are left as they are. With `dry_run` the report says
    what would happen and the database is left untouched.
    """
    report = ImportReport(dry_run=dry_run, warnings=list(document.warnings))
    with transaction.atomic():
        if not Library.objects.exists():
            Library.objects.create(title=document.title or "DLT Library", intro=document.intro)
        importer = _Importer(report, progress)
        sections = document.sections
        if document.entries:
            # Entries above the first heading get a topic of their own rather than be lost.
            lead = Section(title=document.title or "Unsorted", level=2, entries=document.entries)
            sections = [lead, *sections]
        importer.walk(sections)
        # Authors and links arrive by bulk_create, which sends no signals.
        refresh_documents(importer.touched)
        if dry_run:
            transaction.set_rollback(True)
    return report


def set_aliases(author: Author, aliases: list[str]) -> None:
    """Give `author` these other names (an alias already used by another author is kept there)."""
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() != author.name.casefold():
            AuthorAlias.objects.get_or_create(name=alias, defaults={"author": author})


@transaction.atomic
def apply_curation(data: dict) -> list[str]:
    """Apply a curation file (see fixtures/curation.json) to the catalogue; all or nothing.

    Sets kind, year, venue, language, authors, tags and link labels of the resources it names
    and marks those fields as curated, so later imports keep them. Returns what it could not
    match, for the maintainer to fix.
    """
    problems: list[str] = []
    for person in data.get("authors", []):
        author = Author.find(person["name"]) or Author.objects.create(name=person["name"])
        set_aliases(author, person.get("aliases", []))
    for item in data.get("resources", []):
        url = item.get("url", "")
        if url:
            resource = Resource.objects.filter(url_key=normalize_url(url)).first()
        else:
            resource = Resource.objects.filter(title=item.get("title", ""), url_key="").first()
        if resource is None:
            problems.append(f"no resource for {url or item.get('title')!r}")
            continue
        curated = set(resource.curated_fields)
        for name in ("kind", "year", "venue", "language"):
            if name in item:
                setattr(resource, name, item[name] if item[name] is not None else None)
                curated.add(name)
        if "authors" in item:
            resource.authorships.all().delete()
            for position, name in enumerate(item["authors"]):
                author = Author.find(name) or Author.objects.create(name=name)
                Authorship.objects.get_or_create(
                    resource=resource, author=author, defaults={"position": position}
                )
            curated.add("authors")
        if "tags" in item:
            resource.tags.set(item["tags"], clear=True)
            curated.add("tags")
        for link_url, label in item.get("links", {}).items():
            link = resource.links.filter(url=link_url.strip()).first()
            if link is None:
                problems.append(f"{resource.title!r} has no link {link_url!r}")
                continue
            link.label = label
            link.save(update_fields=["label"])
        resource.curated_fields = sorted(curated)
        resource.venue = resource.venue or ""
        resource.save()
    return problems


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
    """Bring back a deleted resource as it was just before deletion: fields, tags, authors, links.

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
