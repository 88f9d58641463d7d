"""Turning text into index tokens, the same way for documents and for queries.

Han text has no spaces, and neither PostgreSQL's `simple` parser nor SQLite's `unicode61`
tokenizer split it into words, so we index every Han character and every pair of adjacent
characters: a one-character query looks up the character, a longer one the pairs it is made of.
Other scripts are split into words, lowercased and lightly stemmed, so "networks" finds
"network" and "generalizing" finds "generalized". Every token is plain letters or digits, which
both databases' tokenizers keep as one word.
"""

from __future__ import annotations

import re
import unicodedata

HAN_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN_CHAR}]+")
# A Han run, or a run of letters and digits of any other script.
PIECE = re.compile(f"([{HAN_CHAR}]+)|([^\\W_{HAN_CHAR}]+)")
# Kept apart from the stemmer's reach: acronyms and words whose final "s" is not a plural.
UNSTEMMED = frozenset(
    {"bias", "lens", "news", "series", "species", "analysis", "basis", "thesis", "axis", "gas"}
)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalize(text: str) -> str:
    """NFKC (full-width letters and colons become ASCII), accents dropped, controls removed."""
    text = CONTROL.sub(" ", text or "")
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed != text:
        text = unicodedata.normalize("NFC", COMBINING.sub("", decomposed))
    return text


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" and word[-1].isalpha():
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ed, -ing, -ly, a final -e; acronyms and digits kept.

    Over-stemming is harmless here because documents and queries pass through the same
    function; what matters is that inflected forms of one word meet.
    """
    if len(word) < 4 or not word.isascii() or not word.isalpha() or word in UNSTEMMED:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def han_pairs(run: str) -> list[str]:
    """Every pair of neighbouring characters of a Han run, in order."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def han_tokens(run: str) -> list[str]:
    """Every character of a Han run, then every pair of neighbours."""
    return list(run) + han_pairs(run)


def document_tokens(text: str) -> list[str]:
    """Index tokens of a document in reading order (word order matters for phrases)."""
    tokens: list[str] = []
    for han, word in PIECE.findall(normalize(text).casefold()):
        if han:
            tokens.extend(han_tokens(han))
        else:
            tokens.append(stem(word))
    return tokens


def query_tokens(text: str) -> list[str]:
    """Tokens a document must hold to contain `text`: pairs stand for Han runs longer than one."""
    tokens: list[str] = []
    for han, word in PIECE.findall(normalize(text).casefold()):
        if han:
            tokens.extend([han] if len(han) == 1 else han_pairs(han))
        else:
            tokens.append(stem(word))
    return tokens


def has_han(text: str) -> bool:
    return bool(HAN_RUN.search(text))


def words(text: str) -> list[str]:
    """Stemmed non-Han words in order, for phrase checks; empty if `text` holds Han."""
    if has_han(text):
        return []
    return [stem(word) for _, word in PIECE.findall(normalize(text).casefold())]
