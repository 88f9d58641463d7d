"""Related reading: what to read after a resource, and why.

A candidate earns points for each thing it shares with the resource: its place in the same
entry (parent, sub-item, sibling), authors, readers who shelved both (counts only, and only
from MIN_CO_READERS up, so no one reader's shelf can be read off a public page), tags (rare
tags count more), similar text (TF-IDF, resources/discovery/text.py) and the topic. The best
MAX_RELATED, never the resource itself, are shown with the reasons that earned them.

The list is the same for everyone. What the curators know is computed once per catalogue
version; the co-readers part changes with bookmarks, so the finished list is cached under the
reading version too, which every new or removed bookmark replaces (resources/caching.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from resources.caching import CATALOGUE, READERS, cached_data, catalogue_version
from resources.discovery.text import resource_tokens, text_index
from resources.models import Authorship, Bookmark, Resource

MAX_RELATED = 8
MIN_CO_READERS = 2
# How much each shared thing is worth. Curators' links (same entry, same authors) weigh most;
# a shared topic alone only breaks ties among otherwise unrelated entries.
WEIGHTS = {
    "family": 4.0,
    "sibling": 2.5,
    "author": 3.0,
    "co-readers": 2.0,
    "tag": 1.0,
    "text": 5.0,
    "topic": 0.75,
}
# Below this cosine the texts share a word or two, which is no reason to mention.
TEXT_THRESHOLD = 0.12
CANDIDATES = 60
TOPIC_CANDIDATES = 100

REASON_LABELS = {
    "same-entry": _("part of the same entry"),
    "same-authors": _("same authors"),
    "co-readers": _("readers of this also saved it"),
    "shared-tags": _("shared tags"),
    "similar-text": _("similar text"),
    "same-topic": _("same topic"),
}


@dataclass
class Candidate:
    score: float = 0.0
    points: dict[str, float] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    readers: int = 0

    def add(self, reason: str, points: float) -> None:
        self.score += points
        self.points[reason] = self.points.get(reason, 0.0) + points


def related_entries(resource: Resource) -> list[dict]:
    """Up to MAX_RELATED related resources of `resource` (as loaded from the database, with
    its search document), best first, as dicts: `id`,
    `reasons` (codes of REASON_LABELS, strongest first), `authors` and `tags` shared,
    `readers` (how many readers shelved both; 0 below MIN_CO_READERS)."""
    return cached_data(
        f"related:{resource.pk}", lambda: _rank(resource), depends=(CATALOGUE, READERS)
    )


def _rank(resource: Resource) -> list[dict]:
    resource_id = resource.pk
    candidates = {
        pk: Candidate(
            score=kept["score"],
            points=dict(kept["points"]),
            authors=list(kept["authors"]),
            tags=list(kept["tags"]),
        )
        for pk, kept in _curated_candidates(resource).items()
    }
    for pk, readers in co_readers(resource_id).items():
        candidate = candidates.setdefault(pk, Candidate())
        candidate.readers = readers
        candidate.add("co-readers", WEIGHTS["co-readers"] * math.log2(readers))
    candidates.pop(resource_id, None)
    best = sorted(candidates.items(), key=lambda item: (-item[1].score, item[0]))[:MAX_RELATED]
    return [
        {
            "id": pk,
            "score": round(candidate.score, 3),
            "reasons": [
                reason for reason, _points in sorted(candidate.points.items(), key=lambda i: -i[1])
            ],
            "authors": candidate.authors,
            "tags": candidate.tags,
            "readers": candidate.readers,
        }
        for pk, candidate in best
    ]


def co_readers(resource_id: int) -> dict[int, int]:
    """Resources shelved by MIN_CO_READERS or more of the readers who shelved this one, with
    how many: one query, counts only."""
    readers = Bookmark.objects.filter(resource_id=resource_id).values("user_id")
    rows = (
        Bookmark.objects.filter(user_id__in=readers)
        .exclude(resource_id=resource_id)
        .values("resource_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_CO_READERS)
        .order_by("-n", "resource_id")
        .values_list("resource_id", "n")[:CANDIDATES]
    )
    return dict(rows)


def _curated_candidates(resource: Resource) -> dict[int, dict]:
    """Candidates from what the catalogue says (no bookmarks), cached per catalogue version."""

    def compute() -> dict[int, dict]:
        best = sorted(_score_curated(resource).items(), key=lambda item: (-item[1].score, item[0]))[
            :CANDIDATES
        ]
        return {
            pk: {
                "score": c.score,
                "points": c.points,
                "authors": c.authors,
                "tags": c.tags,
            }
            for pk, c in best
        }

    return cached_data(f"related-curated:{resource.pk}", compute)


def _score_curated(resource: Resource) -> dict[int, Candidate]:
    resource_id, parent_id = resource.pk, resource.parent_id
    candidates: dict[int, Candidate] = defaultdict(Candidate)

    # The same entry of the list: its parent, its sub-items, the parent's other sub-items.
    family = Q(parent_id=resource_id)
    if parent_id:
        family |= Q(pk=parent_id) | Q(parent_id=parent_id)
    for pk, their_parent in Resource.objects.filter(family).values_list("pk", "parent_id"):
        sibling = their_parent is not None and their_parent == parent_id
        candidates[pk].add("same-entry", WEIGHTS["sibling" if sibling else "family"])

    shared = Authorship.objects.filter(
        author__in=Authorship.objects.filter(resource_id=resource_id).values("author_id")
    ).exclude(resource_id=resource_id)
    for pk, name in shared.values_list("resource_id", "author__name"):
        candidates[pk].add("same-authors", WEIGHTS["author"])
        candidates[pk].authors.append(name)

    # Every tagging of this resource's tags, in one query: who shares them, and how common each
    # tag is (a tag on half the catalogue says less than one on three entries).
    content_type = ContentType.objects.get_for_model(Resource)
    tagged = list(
        TaggedItem.objects.filter(
            content_type=content_type,
            tag__in=TaggedItem.objects.filter(
                content_type=content_type, object_id=resource_id
            ).values("tag_id"),
        ).values_list("object_id", "tag__name")
    )
    frequency: dict[str, int] = defaultdict(int)
    for _pk, name in tagged:
        frequency[name] += 1
    index = text_index(catalogue_version())
    total = max(index.size, 2)
    for pk, name in tagged:
        if pk != resource_id:
            rarity = math.log(total / frequency[name]) / math.log(total)
            candidates[pk].add("shared-tags", WEIGHTS["tag"] * (0.5 + rarity))
            candidates[pk].tags.append(name)

    tokens = resource_tokens(
        resource.search_text,
        has_description=bool(resource.description),
        abstract=getattr(resource, "abstract", "") or "",
    )
    for pk, similarity in index.similar(resource_id, tokens).items():
        if similarity >= TEXT_THRESHOLD:
            candidates[pk].add("similar-text", WEIGHTS["text"] * similarity)

    same_topic = (
        Resource.objects.filter(topic_id=resource.topic_id)
        .exclude(pk=resource_id)
        .order_by("position", "pk")
        .values_list("pk", flat=True)[:TOPIC_CANDIDATES]
    )
    for pk in same_topic:
        candidates[pk].add("same-topic", WEIGHTS["topic"])

    candidates.pop(resource_id, None)
    for candidate in candidates.values():
        candidate.authors = sorted(set(candidate.authors))
        candidate.tags = sorted(set(candidate.tags))
    return candidates


def related_resources(resource: Resource, queryset=None) -> list[tuple[Resource, dict]]:
    """The related entries with their resources from `queryset` (all of a resource, by
    default: the API passes `with_related()`), best first, in one query or that queryset's."""
    entries = related_entries(resource)
    queryset = Resource.objects.all() if queryset is None else queryset
    found = {r.pk: r for r in queryset.filter(pk__in=[entry["id"] for entry in entries])}
    return [(found[entry["id"]], entry) for entry in entries if entry["id"] in found]
