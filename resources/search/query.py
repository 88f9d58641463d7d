"""Reading a search box query: words, quoted phrases, `-word` and field terms.

Nothing here raises: text that is not valid syntax is read as words to search for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resources.search.tokens import PIECE, has_han, normalize, query_tokens, words

MAX_QUERY_LENGTH = 500
MAX_TERMS = 24
FIELDS = ("tag", "author", "kind", "topic", "year")
# A piece of the query: optional "-", optional "field:", then a "quoted phrase" or a run of
# non-space characters. An unclosed quote fails the phrase branch and falls to plain text.
PIECE_SYNTAX = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"|(\S+))')
YEAR_SYNTAX = re.compile(r"^(\d{4})?(?:(\.\.)(\d{4})?)?$")
QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "＂": '"'})


@dataclass(frozen=True)
class Term:
    """Text a resource must (or, negated, must not) contain.

    `alternatives` are token sets, any of which will do (the term and its synonyms); every
    token of a set must be present. `phrase` holds words that must also stand side by side.
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    phrase: tuple[str, ...] = ()
    negated: bool = False


@dataclass(frozen=True)
class FieldTerm:
    name: str
    value: str
    negated: bool = False


@dataclass
class ParsedQuery:
    raw: str
    terms: list[Term] = field(default_factory=list)
    fields: list[FieldTerm] = field(default_factory=list)
    # Positive, unquoted, unfielded text in order: for the exact-title and phrase bonuses.
    plain_text: str = ""

    @property
    def positive_terms(self) -> list[Term]:
        return [term for term in self.terms if not term.negated]

    @property
    def negative_terms(self) -> list[Term]:
        return [term for term in self.terms if term.negated]

    def __bool__(self) -> bool:
        return bool(self.terms or self.fields)

    def highlight_terms(self) -> list[str]:
        """What to mark in results: the words typed and their synonyms (never negated ones)."""
        marks: list[str] = []
        for term in self.positive_terms:
            marks.append(term.text)
            marks.extend(" ".join(alt) for alt in term.alternatives[1:])
        return [mark for mark in dict.fromkeys(marks) if mark.strip()]


def clean(text: str) -> str:
    """The query as we read it: bounded, normalised, without NULs or control characters."""
    return " ".join(normalize(str(text or "")[: MAX_QUERY_LENGTH * 2]).translate(QUOTES).split())[
        :MAX_QUERY_LENGTH
    ]


def _valid_field(name: str, value: str) -> bool:

    if not value.strip():
        return False
    if name == "year":
        match = YEAR_SYNTAX.match(value)
        return bool(match and (match.group(1) or match.group(3)))
    if name == "kind":
        return kind_value(value) is not None
    return True


def kind_value(value: str) -> str | None:
    """The Kind named by its value or its English label ("paper", "Lecture notes")."""
    from resources.models import Kind

    wanted = value.casefold()
    for kind in Kind:
        if wanted in (kind.value, str(kind.label).casefold()):
            return kind.value
    return None


def year_range(value: str) -> tuple[int | None, int | None]:
    match = YEAR_SYNTAX.match(value)
    if not match:
        return None, None
    low = int(match.group(1)) if match.group(1) else None
    if not match.group(2):
        return low, low
    high = int(match.group(3)) if match.group(3) else None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def parse(text: str, synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] | None = None):
    """Parse `text`; `synonyms` maps a token tuple to the token tuples it is equivalent to."""
    synonyms = synonyms or {}
    raw = clean(text)
    parsed = ParsedQuery(raw=raw)
    plain_words: list[str] = []  # script runs of plain words, for synonym grouping
    for negated, name, quoted, bare in PIECE_SYNTAX.findall(raw):
        if len(parsed.terms) + len(parsed.fields) >= MAX_TERMS:
            break
        name = name.casefold()
        value = quoted if quoted or not bare else bare
        if name and name in FIELDS and _valid_field(name, value):
            parsed.fields.append(FieldTerm(name, " ".join(value.split()), bool(negated)))
            continue
        if name:  # an unknown field, or a bad value: read "name:value" as words
            value = f"{name} {value}"
        if quoted:
            tokens = tuple(query_tokens(value))
            if tokens:
                phrase = tuple(words(value)) if not has_han(value) else ()
                parsed.terms.append(
                    Term(value, (tokens,), phrase if len(phrase) > 1 else (), bool(negated))
                )
            continue
        if negated:
            tokens = tuple(query_tokens(value))
            if tokens:
                parsed.terms.append(Term(value, (tokens,), negated=True))
            continue
        plain_words.extend(han or word for han, word in PIECE.findall(value))
    parsed.terms.extend(_group_plain_words(plain_words, synonyms))
    parsed.plain_text = " ".join(plain_words)
    return parsed


def _group_plain_words(
    pieces: list[str], synonyms: dict[tuple[str, ...], list[tuple[str, ...]]]
) -> list[Term]:
    """One term per word, except that a run of words naming a synonym becomes one term."""
    terms: list[Term] = []
    longest = max((len(key) for key in synonyms), default=1)
    keys = [tuple(query_tokens(piece)) for piece in pieces]
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + longest), i, -1):
            tokens = tuple(token for key in keys[i:j] for token in key)
            if j - i == 1 or tokens in synonyms:
                break
        if tokens:
            others = [alt for alt in synonyms.get(tokens, []) if alt != tokens]
            terms.append(Term(" ".join(pieces[i:j]), (tokens, *others)))
        i = j
    return terms[:MAX_TERMS]
