"""The catalogue as a Markdown document, for `export_markdown` (anyone may export)."""

from __future__ import annotations

from collections import defaultdict

from resources.markdown.document import Document, Entry, Link, Section
from resources.models import Library, Resource, Topic


def _entry(resource: Resource, children_of: dict[int, list[Resource]], seen: set[int]) -> Entry:
    seen.add(resource.pk)  # a parent cycle made in the admin must not recurse forever
    description = resource.description
    links = [Link(label=link.label, url=link.url) for link in resource.links.all()]
    # A link a curator added in the admin is not in the description yet: write it there, so
    # the exported list carries it and a re-import finds it again.
    missing = [link for link in links if link.url not in description]
    if missing:
        extra = ", ".join(f"[{link.label or link.url}]({link.url})" for link in missing)
        description = f"{description} {extra}" if description.strip() else f" {extra}"
    return Entry(
        title=resource.title,
        url=resource.url,
        marker=resource.marker,
        featured=resource.is_featured,
        description=description,
        links=links,
        children=[
            _entry(child, children_of, seen)
            for child in children_of.get(resource.pk, [])
            if child.pk not in seen
        ],
        year=resource.year,
        venue=resource.venue,
    )


def library_document() -> Document:
    """The whole library as a document tree, in list order; a fixed number of queries."""
    library = Library.current()
    topics = list(Topic.objects.order_by("position", "pk"))
    resources = list(Resource.objects.order_by("position", "pk").prefetch_related("links"))
    by_topic: dict[int, list[Resource]] = defaultdict(list)
    children_of: dict[int, list[Resource]] = defaultdict(list)
    in_library = {resource.pk for resource in resources}
    for resource in resources:
        if resource.parent_id in in_library and resource.parent_id != resource.pk:
            children_of[resource.parent_id].append(resource)
        else:
            by_topic[resource.topic_id].append(resource)

    def section(topic: Topic, parent_level: int) -> Section:
        # A sub-topic is always written one heading level below its parent at least.
        level = min(max(topic.heading_level, parent_level + 1), 6)
        return Section(
            title=topic.name,
            level=level,
            intro=topic.intro,
            entries=[_entry(resource, children_of, set()) for resource in by_topic[topic.pk]],
            children=[section(child, level) for child in topics if child.parent_id == topic.pk],
        )

    return Document(
        title=library.title,
        intro=library.intro,
        sections=[section(topic, 0) for topic in topics if topic.parent_id is None],
    )
