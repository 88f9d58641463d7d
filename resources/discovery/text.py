"""Text similarity of resources: TF-IDF over the search tokens of titles, descriptions, abstracts.

The tokens are the search index's own, read from each resource's search document
(`search_text`, resources/search/index.py), so Chinese is compared by its character pairs as
English is by its stemmed words, and nothing is tokenized twice. The index is built from the whole
catalogue once per catalogue version, in each server process, and kept in memory: the related
lists computed from it are cached for everyone (resources/discovery/related.py), so it is
consulted only when a list is missing from the cache.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Iterable

from resources.search.index import SEPARATOR
from resources.search.tokens import document_tokens

# Per resource, only its most distinctive tokens are posted to the inverted index: enough to
# find its neighbours, small enough to keep the index a few megabytes at 100,000 resources.
SIGNATURE_SIZE = 40
# A token in more than this share of the catalogue says nothing about a resource.
MAX_DOCUMENT_SHARE = 0.2


def _useful(token: str) -> bool:
    # Han pairs but not single characters (they match too much), words of two or more
    # letters, no bare numbers.
    return len(token) > 1 and not token.isdigit()


def resource_tokens(search_text: str, *, has_description: bool, abstract: str = "") -> list[str]:
    """The tokens compared: the search document's title and description fields (its first
    two; the rest — venue, topic, tags, names — are signals of their own), and the abstract
    where the resource has one."""
    fields = search_text.split(SEPARATOR, 2)
    tokens = fields[0].split()
    if has_description and len(fields) > 1:
        tokens += fields[1].split()
    if abstract:
        tokens += document_tokens(abstract)
    return [token for token in tokens if _useful(token)]


class TextIndex:
    """An inverted index of TF-IDF weights; `similar(pk)` gives cosine-like scores."""

    def __init__(self, documents: Iterable[tuple[int, list[str]]]) -> None:
        counts = {pk: Counter(tokens) for pk, tokens in documents}
        self.size = len(counts)
        frequency: Counter[str] = Counter()
        for tokens in counts.values():
            frequency.update(tokens.keys())
        ceiling = max(2, int(self.size * MAX_DOCUMENT_SHARE))
        self.idf = {
            token: math.log(self.size / n)
            for token, n in frequency.items()
            if 1 < n <= ceiling  # a token of one resource alone links it to nothing
        }
        postings: dict[str, tuple[array, array]] = {}
        for pk, tokens in counts.items():
            vector = self.vector(tokens)
            strongest = sorted(vector.items(), key=lambda item: -item[1])[:SIGNATURE_SIZE]
            for token, weight in strongest:
                ids, weights = postings.setdefault(token, (array("q"), array("f")))
                ids.append(pk)
                weights.append(weight)
        self.postings = postings

    def vector(self, tokens: Counter[str]) -> dict[str, float]:
        """Sublinear TF times IDF, normalised to unit length."""
        weights = {
            token: (1 + math.log(n)) * self.idf[token]
            for token, n in tokens.items()
            if token in self.idf
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {token: w / norm for token, w in weights.items()}

    def similar(self, pk: int, tokens: list[str], *, limit: int = 40) -> dict[int, float]:
        """The resources whose text is closest to `tokens` (resource `pk`'s), scores in (0, 1].

        Only the others' strongest tokens are posted, so a score is a slight underestimate
        of the cosine; the order it gives is what matters.
        """
        vector = self.vector(Counter(tokens))
        scores: dict[int, float] = {}
        for token, weight in vector.items():
            posted = self.postings.get(token)
            if posted is None:
                continue
            for other, other_weight in zip(*posted, strict=True):
                if other != pk:
                    scores[other] = scores.get(other, 0.0) + weight * other_weight
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return dict(best)


_lock = threading.Lock()
_built: dict[str, TextIndex] = {}


def text_index(version: str) -> TextIndex:
    """The catalogue's text index as of `version` (the catalogue version), built once."""
    index = _built.get(version)
    if index is not None:
        return index
    with _lock:
        index = _built.get(version)
        if index is None:
            index = build_index()
            _built.clear()  # an older version is never asked for again
            _built[version] = index
    return index


def has_abstract() -> bool:
    from resources.models import Resource

    return any(field.name == "abstract" for field in Resource._meta.get_fields())


def build_index() -> TextIndex:
    from django.db.models import Q

    from resources.models import Resource

    rows = Resource.objects.order_by().annotate(has_description=~Q(description=""))
    fields = ["pk", "search_text", "has_description"]
    if has_abstract():
        fields.append("abstract")
    return TextIndex(
        (
            row["pk"],
            resource_tokens(
                row["search_text"],
                has_description=row["has_description"],
                abstract=row.get("abstract") or "",
            ),
        )
        for row in rows.values(*fields).iterator(chunk_size=2000)
    )
