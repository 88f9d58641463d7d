"""What to offer when a search finds nothing: nearby topics and tags, and a likely spelling."""

from __future__ import annotations

import difflib
import re
from functools import reduce
from operator import or_

from django.db.models import Q

from resources.search.query import ParsedQuery
from resources.search.tokens import HAN_RUN, han_pairs

WORD = re.compile(r"[^\W\d_]{2,}")
MAX_VOCABULARY = 20000


def _query_words(parsed: ParsedQuery) -> list[str]:
    found: list[str] = []
    for term in parsed.positive_terms:
        found.extend(WORD.findall(term.text))
    for field_term in parsed.fields:
        if not field_term.negated and field_term.name in ("tag", "topic", "author"):
            found.extend(WORD.findall(field_term.value))
    return list(dict.fromkeys(found))[:8]


def _match_words(parsed: ParsedQuery) -> list[str]:
    """The query's words for matching topic and tag names, with the two-character pieces of
    each longer Han run: Chinese is written without spaces, so 泛化能力 names no tag while
    the 泛化 in it may."""
    words = _query_words(parsed)
    pieces = [
        pair for word in words for run in HAN_RUN.findall(word) if len(run) > 2
        for pair in han_pairs(run)
    ]  # fmt: skip
    return list(dict.fromkeys(words + pieces))[:16]


def _vocabulary() -> set[str]:
    from taggit.models import Tag

    from resources.models import Author, AuthorAlias, Topic

    names: list[str] = []
    for queryset, field in (
        (Tag.objects.filter(resource__isnull=False).distinct(), "name"),
        (Topic.objects.all(), "name"),
        (Author.objects.all(), "name"),
        (AuthorAlias.objects.all(), "name"),
    ):
        names.extend(queryset.values_list(field, flat=True)[:MAX_VOCABULARY])
    return {word.casefold() for name in names for word in WORD.findall(name)}


def spelling(parsed: ParsedQuery) -> str | None:
    """The query with unknown words replaced by the closest tag, topic or author word."""
    words = _query_words(parsed)
    if not words:
        return None
    vocabulary = _vocabulary()
    changed, text = False, parsed.raw
    for word in words:
        if word.casefold() in vocabulary:
            continue
        close = difflib.get_close_matches(word.casefold(), vocabulary, n=1, cutoff=0.75)
        if close:
            # The word itself, never the same letters inside another word or a field name.
            whole_word = rf"(?<![\w:]){re.escape(word)}(?![\w:])"
            text, replaced = re.subn(whole_word, close[0], text, count=1)
            changed = changed or bool(replaced)
    return text if changed else None


def suggestions(parsed: ParsedQuery, *, limit: int = 8) -> dict:
    """Topics and tags whose names contain a query word, and a spelling suggestion."""
    from taggit.models import Tag

    from resources.models import Topic

    words = _match_words(parsed)
    if not words:
        return {"topics": [], "tags": [], "spelling": None}
    topic_match = reduce(or_, (Q(name__icontains=word) for word in words))
    tag_match = reduce(or_, (Q(name__icontains=word) for word in words))
    return {
        "topics": list(Topic.objects.filter(topic_match).order_by("position", "pk")[:limit]),
        "tags": list(
            Tag.objects.filter(tag_match, resource__isnull=False)
            .distinct()
            .order_by("name")[:limit]
        ),
        "spelling": spelling(parsed),
    }
