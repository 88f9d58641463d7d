"""Importing Markdown lists into the catalogue.

Only curators (through the admin) and maintainers (through `import_markdown`) call these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from resources.caching import bulk_write
from resources.markdown.document import Document, Entry, Section
from resources.markdown.understanding import (
    PlannedTopic,
    SectionReport,
    plan_topics,
    section_reports,
)
from resources.markdown.urls import normalize_url
from resources.models import (
    Author,
    Authorship,
    Kind,
    Library,
    Resource,
    ResourceLink,
    Topic,
)
from resources.search.index import deferred_refresh, refresh_documents
from resources.services.guessing import guess_kind, guess_language
from resources.services.import_checks import check_field_lengths, missing_image_warnings
from resources.services.race_safe import create_or_fetch


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    topics_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    sections: list[SectionReport] = field(default_factory=list)  # what the parser understood

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
        existing = Topic.objects.filter(name=section.title, parent=parent).first
        topic = existing()
        if topic is None:
            topic, created = create_or_fetch(
                create=lambda: Topic.objects.create(
                    name=section.title,
                    parent=parent,
                    position=self.next_topic_position,
                    heading_level=section.level,
                    intro=section.intro,
                ),
                fetch=existing,  # another curator's import added it meanwhile
            )
            if created:
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
            author, _created = create_or_fetch(
                create=lambda: Author.objects.create(name=name),
                fetch=Author.objects.filter(name__iexact=name).first,
            )
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
            resource = self.create(entry, topic, position, parent, key)
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
        self, entry: Entry, topic: Topic, position: int, parent: Resource | None, key: str
    ) -> Resource:
        resource, created = create_or_fetch(
            create=lambda: Resource.objects.create(
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
            ),
            # Another curator's import added the same address meanwhile: update that one.
            fetch=lambda: Resource.objects.filter(url_key=key).first() if key else None,
        )
        if not created:
            self.update(resource, entry, parent)
            return resource
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

    def walk(self, planned: list[PlannedTopic], parent: Topic | None = None) -> None:
        for plan in planned:
            section = plan.section
            topic = self.topic_for(section, parent)
            imported: dict[int, Resource] = {}
            for position, (entry, parent_entry) in enumerate(_flatten(section.entries)):
                parent_resource = imported.get(id(parent_entry)) if parent_entry else None
                imported[id(entry)] = self.import_entry(entry, topic, position, parent_resource)
                self.touched.add(imported[id(entry)].pk)
                self.progress(1)
            self.walk(plan.children, topic)


def _flatten(entries: list[Entry]) -> Iterator[tuple[Entry, Entry | None]]:
    """Entries in reading order, each with the entry it is a sub-item of."""
    for entry in entries:
        yield entry, None
        for child in entry.children:
            yield child, entry
            for grandchild in child.children:
                yield grandchild, child


def _sections_to_import(document: Document) -> list[Section]:
    if not document.entries:
        return document.sections
    # Entries above the first heading get a topic of their own rather than be lost.
    lead = Section(title=document.title or "Unsorted", level=2, entries=document.entries)
    return [lead, *document.sections]


def count_entries(document: Document) -> int:
    """How many entries an import of `document` goes through (prose sections left out)."""

    def in_plan(planned: list[PlannedTopic]) -> int:
        return sum(
            sum(1 for _ in _flatten(plan.section.entries)) + in_plan(plan.children)
            for plan in planned
        )

    return in_plan(plan_topics(_sections_to_import(document)))


def import_document(
    document: Document,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add a parsed list to the catalogue; all or nothing.

    New entries are added, changed text is updated, nothing is deleted, and fields a curator
    edited (see `Resource.curated_fields`) are left as they are. Sections that are prose about
    the list or hold no entries do not become topics (`markdown.understanding`). With `dry_run`
    the report says what would happen and the database is left untouched.
    A list with values too long to store raises ImportRejected, naming them.
    """
    check_field_lengths(document)  # raises ImportRejected before anything is written
    warnings = [*document.warnings, *missing_image_warnings(document)]
    report = ImportReport(dry_run=dry_run, warnings=warnings, sections=section_reports(document))
    with transaction.atomic():
        if not Library.objects.exists():
            Library.objects.create(title=document.title or "DLT Library", intro=document.intro)
        importer = _Importer(report, progress)
        # Search documents are computed once per touched resource, in bulk, at the end.
        with bulk_write(), deferred_refresh():
            importer.walk(plan_topics(_sections_to_import(document)))
            # Authors and links arrive by bulk_create, which sends no signals.
            refresh_documents(importer.touched)
        if dry_run:
            transaction.set_rollback(True)
    return report
