"""Text similarity of resources: TF-IDF over the search tokens of titles, descriptions, abstracts.

The tokens are the search index's own (resources/search/tokens.py), so Chinese is compared by
its character pairs as English is by its stemmed words. The index is built from the whole
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

from resources.search.tokens import HAN_RUN, document_tokens

# Per resource, only its most distinctive tokens are posted to the inverted index: enough to
# find its neighbours, small enough to keep the index a few megabytes at 100,000 resources.
SIGNATURE_SIZE = 40
# A token in more than this share of the catalogue says nothing about a resource.
MAX_DOCUMENT_SHARE = 0.2


# The abstract is compared where the field exists (it arrives with arXiv metadata).
TEXT_FIELDS = ("title", "description", "abstract")


def text_fields(resource_row: dict) -> str:
    """The text compared: title, description and abstract, as far as the resource has them."""
    return "\n".join(resource_row.get(name) or "" for name in TEXT_FIELDS)


def useful_tokens(text: str) -> list[str]:
    """Search tokens worth comparing: Han pairs (single characters match too much), and words
    of two or more letters that are not bare numbers."""
    tokens = []
    for token in document_tokens(text):
        if HAN_RUN.fullmatch(token):
            if len(token) > 1:
                tokens.append(token)
        elif len(token) > 1 and not token.isdigit():
            tokens.append(token)
    return tokens


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

    def similar(self, pk: int, text: str, *, limit: int = 40) -> dict[int, float]:
        """The resources whose text is closest to `text` (resource `pk`'s), scores in (0, 1].

        Only the others' strongest tokens are posted, so a score is a slight underestimate
        of the cosine; the order it gives is what matters.
        """
        vector = self.vector(Counter(useful_tokens(text)))
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


def build_index() -> TextIndex:
    from resources.models import Resource

    names = {field.name for field in Resource._meta.get_fields()}
    fields = ["pk", *(name for name in TEXT_FIELDS if name in names)]
    rows = Resource.objects.order_by().values(*fields).iterator(chunk_size=2000)
    return TextIndex((row["pk"], useful_tokens(text_fields(row))) for row in rows)
