"""Marking search terms in results, safely: text is escaped first, then marked (the filters
`highlight` and `snippet` of the Jinja2 row body, resources/jinja_env.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from resources.rendering import markdown_to_text
from resources.search.tokens import HAN_CHAR, PIECE, normalize, stem

ENTITY = re.compile(r"(&[#\w]+;)")
SNIPPET_CONTEXT = 90


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    alternatives: set[str] = set()
    for term in terms[:20]:
        for han, word in PIECE.findall(normalize(term)):
            if han:
                alternatives.add(re.escape(han))
            elif len(word) < 3:
                alternatives.add(re.escape(word) + f"(?![^\\W_{HAN_CHAR}])")
            else:
                # Its inflections: the letters that follow, not the Chinese written against it.
                alternatives.add(re.escape(stem(word.casefold())) + f"[^\\W_{HAN_CHAR}]*")
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(ordered) + ")", re.IGNORECASE)


def _mark(escaped: str, pattern: re.Pattern) -> str:
    # Entities (&amp; &lt; …) are left whole, so a term never splits one.
    return "".join(
        piece if ENTITY.fullmatch(piece) else pattern.sub(r"<mark>\g<0></mark>", piece)
        for piece in ENTITY.split(escaped)
    )


def highlight(text, terms) -> SafeString:
    """`text`, escaped, with search `terms` (and their inflections) wrapped in <mark>."""
    escaped = str(conditional_escape(text or ""))
    pattern = _pattern(tuple(terms)) if terms else None
    # Safe: every character of the input went through conditional_escape above; only our own
    # <mark> tags are added, and never inside an entity.
    return mark_safe(_mark(escaped, pattern) if pattern else escaped)


def snippet(text, terms) -> SafeString:
    """A short excerpt of Markdown `text` around the first search term: its words only (no
    `[x](url)` or other markup), escaped and marked."""
    text = markdown_to_text(str(text or ""))
    pattern = _pattern(tuple(terms)) if terms else None
    match = pattern.search(text) if pattern else None
    if match is None:
        return SafeString("")
    start = max(0, match.start() - SNIPPET_CONTEXT)
    end = min(len(text), match.end() + SNIPPET_CONTEXT)
    excerpt = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(excerpt, terms)
