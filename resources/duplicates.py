"""Finding likely duplicates in the catalogue, for curators to review and merge.

Identical normalised URLs cannot happen (Resource.url_key is unique), so this looks for the
near misses: one arXiv id or DOI under two addresses, host+path variants (abs vs pdf, a
trailing .pdf), and titles that differ only slightly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from resources.models import Resource

TITLE_SIMILARITY = 0.9
# Ratio 2·M/(a+b) ≥ 0.9 needs the shorter title to be at least 0.9/1.1 of the longer one.
LENGTH_RATIO = TITLE_SIMILARITY / (2 - TITLE_SIMILARITY)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
DIGITS = re.compile(r"\d+")
MIN_SHARED_GRAMS = 0.6


def title_key(title: str) -> str:
    """A title reduced for comparison: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return NON_WORD.sub(" ", text).strip()


def address_key(url: str) -> str:
    """Host and path with the usual variants of one document folded together."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.lower().rstrip("/")
    for suffix in (".pdf", ".html", ".htm"):
        path = path.removesuffix(suffix)
    path = re.sub(r"/(abs|pdf|full|epdf|forum)(?=/|$)", "/", path).rstrip("/")
    query = parts.query
    if host == "openreview.net":  # forum?id=X and pdf?id=X are the same paper
        path = ""
    return f"{host}{path}?{query}" if query else f"{host}{path}"


@dataclass
class DuplicateGroup:
    resources: list[Resource]
    reasons: set[str] = field(default_factory=set)

    @property
    def ids(self) -> str:
        return ",".join(str(r.pk) for r in self.resources)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[tuple[int, int], set[str]] = defaultdict(set)

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, ids: list[int], reason: str) -> None:
        for other in ids[1:]:
            a, b = self.find(ids[0]), self.find(other)
            if a != b:
                self.parent[b] = a
        self.reasons[(min(ids), max(ids))].add(reason)


def _trigrams(key: str) -> set[tuple[str, int]]:
    """The key's trigrams, each repeat numbered ("ab ab" has ("ab ", 1) and ("ab ", 2)).

    Numbering keeps multiplicity, so a title that repeats a word does not look closer to
    another than it is (plain sets would merge the repeats and break the bound below).
    """
    padded = f"  {key} "
    seen: Counter[str] = Counter()
    grams = set()
    for i in range(len(padded) - 2):
        gram = padded[i : i + 3]
        seen[gram] += 1
        grams.add((gram, seen[gram]))
    return grams


def similar_title_pairs(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of distinct title keys with difflib ratio ≥ 0.9 and the same numbers in them.

    Comparing every pair is quadratic, so candidates come from a prefix-filtered trigram
    index: two titles this similar share well over 60% of their trigrams, hence one of the
    rarest 40% of each title's trigrams. Candidates pass cheap bounds before `ratio()`.
    Titles differing in a number ("Lecture 3" / "Lecture 4", "GPT-2" / "GPT-3") are distinct.
    """
    keys = sorted({k for k in keys if k})
    grams = [_trigrams(key) for key in keys]
    frequency = Counter(gram for key_grams in grams for gram in key_grams)
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    pairs = []
    for i, key in enumerate(keys):
        ordered = sorted(grams[i], key=lambda gram: (frequency[gram], gram))
        prefix = ordered[: len(ordered) - math.ceil(MIN_SHARED_GRAMS * len(ordered)) + 1]
        candidates = {j for gram in prefix for j in index[gram]}
        for gram in prefix:
            index[gram].append(i)
        numbers = DIGITS.findall(key)
        for j in candidates:
            other = keys[j]
            shorter, longer = sorted((len(key), len(other)))
            if shorter < LENGTH_RATIO * longer:
                continue
            shared = len(grams[i] & grams[j])
            if shared < MIN_SHARED_GRAMS * max(len(grams[i]), len(grams[j])):
                continue
            if DIGITS.findall(other) != numbers:
                continue
            # difflib's ratio is not symmetric: always compare in sorted order, as one would
            # comparing every pair.
            matcher = SequenceMatcher(None, other, key, autojunk=False)
            if matcher.quick_ratio() >= TITLE_SIMILARITY and matcher.ratio() >= TITLE_SIMILARITY:
                pairs.append((other, key))
    return pairs


def find_duplicate_groups(queryset=None) -> list[DuplicateGroup]:
    """Groups of resources that are probably one work, with why they were grouped."""
    queryset = queryset if queryset is not None else Resource.objects.all()
    rows = list(queryset.values_list("pk", "title", "url", "arxiv_id", "doi"))
    same_arxiv, same_doi = str(_("same arXiv id")), str(_("same DOI"))
    same_address = str(_("same address (variant)"))
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_title: dict[str, list[int]] = defaultdict(list)
    for pk, title, url, arxiv, doi_value in rows:
        if arxiv:
            buckets[(same_arxiv, arxiv.lower())].append(pk)
        if doi_value:
            buckets[(same_doi, doi_value.lower())].append(pk)
        if key := address_key(url):
            buckets[(same_address, key)].append(pk)
        if key := title_key(title):
            by_title[key].append(pk)
    links = _UnionFind()
    for (reason, _value), ids in buckets.items():
        if len(ids) > 1:
            links.union(ids, reason)
    for ids in by_title.values():
        if len(ids) > 1:
            links.union(ids, str(_("same title")))
    for a, b in similar_title_pairs(list(by_title)):
        links.union([by_title[a][0], by_title[b][0]], str(_("very similar titles")))

    members: dict[int, list[int]] = defaultdict(list)
    for pk in list(links.parent):
        members[links.find(pk)].append(pk)
    groups = [ids for ids in members.values() if len(ids) > 1]
    wanted = {pk for ids in groups for pk in ids}
    resources = Resource.objects.select_related("topic", "link_check").in_bulk(wanted)
    result = []
    for ids in groups:
        ids = sorted(ids)
        reasons = {
            reason
            for (low, high), found in links.reasons.items()
            if low in ids and high in ids
            for reason in found
        }
        result.append(DuplicateGroup(resources=[resources[pk] for pk in ids], reasons=reasons))
    return sorted(result, key=lambda group: group.resources[0].pk)
