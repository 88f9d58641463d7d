"""A small, realistic library for the search tests: Chinese and English entries, authors known
by several names, tags and topics. The data is in search_corpus.json; each entry has a short
key that the query table refers to."""

from __future__ import annotations

import json
from pathlib import Path

from resources.models import Author, AuthorAlias, Language, lang_of
from tests.factories import ResourceFactory, ResourceLinkFactory, TopicFactory

CORPUS = json.loads((Path(__file__).with_suffix(".json")).read_text(encoding="utf-8"))
TOPICS: dict[str, str] = CORPUS["topics"]
AUTHORS: dict[str, list[str]] = CORPUS["authors"]
ENTRIES: dict[str, dict] = CORPUS["entries"]


def build_corpus() -> dict:
    """Create the corpus; returns {key: Resource}."""
    topics = {key: TopicFactory(name=name, slug=key) for key, name in TOPICS.items()}
    authors = {}
    for name, aliases in AUTHORS.items():
        author = Author.objects.create(name=name)
        for alias in aliases:
            AuthorAlias.objects.create(author=author, name=alias)
        authors[name] = author
    made = {}
    for key, entry in ENTRIES.items():
        resource = ResourceFactory(
            title=entry["title"],
            description=entry["description"],
            tags=entry["tags"],
            authors=[authors[name] for name in entry["authors"]],
            kind=entry["kind"],
            year=entry["year"],
            topic=topics[entry["topic"]],
            venue=entry["venue"],
            is_featured=entry["featured"],
            language=Language.CHINESE if lang_of(entry["title"]) == "zh-Hans" else Language.ENGLISH,
        )
        for label, url in entry["links"]:
            ResourceLinkFactory(resource=resource, label=label, url=url)
        made[key] = resource
    return made
