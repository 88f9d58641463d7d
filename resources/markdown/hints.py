"""Year, venue and author hints read from an entry's description.

Curators write these in a handful of habits; only those are read, and only from the first
paragraph of the description (nested notes talk about other things). Anything that does not
fit is left alone: an empty hint is better than a wrong one.

* `In *ICLR 2019*` (paper lists): venue and year.
* The first parenthesised group holding a year, with a date like `2022`, `2022.7` or
  `2022-07-15` at its start or end:
  `(2021)`, `(2022 Winter)`, `(2021, ICML)`, `(2021,nature)`, `(2022.7.马毅、沈向洋、曹颖)`,
  `(Tony Feng, 2026)`. What remains is a venue if it is a known venue name, else authors if
  every piece (split on `、`, `,`, `and`) looks like a name.
* A date at the very start: `2022.5,Xu Cheng等` (year; the names after it are authors).
* Names right before `等(2019)` at the start: `Rong Ge 等(2019)`.
* A known venue with its year anywhere: `arXiv 2023.`, `NeurIPS'19`, `【ICLR 2021】`.
* Else a year that ends the text: `` `Airbnb` `2018` ``, `… 4 Feb 2023`.
* Names right after a leading year group: `(2021)Daniel A. Roberts and Sho Yaida(mit)`,
  unless that group already named a venue or authors (then the names are likely a chair or a
  speaker, not authors).

A name is two to four capitalised Latin words (initials such as `W.T.` count) or two or three
Han characters. `等` / `etc.` / `et al.` mark the end of a list of names.
"""

from __future__ import annotations

import re

from .inline import inline_plain

_VENUE_NAMES = (
    "AAAI ACL AISTATS COLT CVPR ECCV EMNLP ICCV ICLR ICM ICML IJCAI JMLR KDD NAACL "
    "NeurIPS PNAS SIAM TMLR TPAMI UAI Nature Science arXiv CoRR TACL COLING ICASSP Interspeech "
    "SIGIR WWW CIKM WSDM RecSys ECIR MICCAI WACV BMVC IJCV TIP TNNLS TKDE TOIS TOG SIGGRAPH "
    "ICRA IROS CoRL ICDE VLDB SIGMOD ICDM SDM ALT"
)
VENUES = {name.casefold(): name for name in _VENUE_NAMES.split()}
VENUES["nips"] = "NeurIPS"
VENUES["aistat"] = "AISTATS"
# "arXiv 2023", "NeurIPS'19", "【ICLR 2021】", "(CVPR 2020)": a known venue and its year.
_VENUE_YEAR = re.compile(
    r"(?<![\w])(?P<venue>" + "|".join(sorted(VENUES, key=len, reverse=True)) + r")"
    r"(?:\s*(?P<year>(?:19|20)\d{2})|\s*['’‘](?P<short>\d{2}))(?!\d)",
    re.IGNORECASE,
)
# A year ending the text: "`Airbnb` `2018`", "… \\ 4 Feb 2023".
_LAST_YEAR = re.compile(r"(?:^|[\s,，(（])(?P<year>(?:19|20)\d{2})[\s.)）]*$")

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_TAIL = r"(?:[.\-/](?:0?[1-9]|1[0-2])(?:[.\-/]\d{1,2})?)?"
_IN_VENUE = re.compile(r"\bIn\s+(?P<venue>[A-Z][A-Za-z&\-]*)\s+" + _YEAR)
_GROUP = re.compile(r"[(（【](?P<body>[^()（）【】]{1,160})[)）】]")
_YEAR_FIRST = re.compile(
    r"^\s*" + _YEAR + _DATE_TAIL + r"(?![\d])\s*[.,，、:：;；]?\s*(?P<rest>.*)$"
)
_YEAR_LAST = re.compile(r"^(?P<rest>.*?)[\s,，;；]+" + _YEAR + _DATE_TAIL + r"\s*$")
_LEADING_DATE = re.compile(r"^\s*" + _YEAR + _DATE_TAIL + r"\s*[,，]\s*(?P<rest>[^,，。.(（]*)")
_NAMES_BEFORE_YEAR = re.compile(r"^\s*(?P<names>[^()（）。]{2,80}?)\s*等\s*[(（]" + _YEAR)
_LATIN_NAME = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){1,3}$")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_NAME_SPLIT = re.compile(r"\s*(?:、|,|，|;|；|\band\b|&)\s*")
_END_OF_NAMES = re.compile(r"(?:等|\betc\b\.?|\bet al\b\.?).*$")
_FOLLOWING_NAMES = re.compile(
    r"^\s*(?P<names>[A-Z][^()（）\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*)"
)


def _first_paragraph(description: str) -> str:
    """The description up to its first blank line or nested list."""
    lines = []
    for index, line in enumerate(description.split("\n")):
        stripped = line.strip()
        if index and (not stripped or re.match(r"^(?:[-+*]|\d+[.)])\s", stripped)):
            break
        lines.append(stripped)
    return " ".join(lines)


def _year(text: str) -> int | None:
    year = int(text)
    return year if 1900 <= year <= 2100 else None


def _names(text: str) -> list[str]:
    """Names in `text` if every piece is a name (see the module docstring), else []."""
    text = _END_OF_NAMES.sub("", text).strip().rstrip(".… ").strip()
    if not text:
        return []
    pieces = [piece.strip().rstrip(".…").strip() for piece in _NAME_SPLIT.split(text)]
    pieces = [piece for piece in pieces if piece]
    if pieces and all(_LATIN_NAME.match(p) or _HAN_NAME.match(p) for p in pieces):
        return pieces
    return []


def names_in(text: str) -> list[str]:
    """The names of an author line (`*Yang Song, Diederik P. Kingma*`), or [] if not all are."""
    return _names(text)


def _following_names(text: str) -> list[str]:
    """Names written right after a leading `(year)`, ended by `(`, `，`, `etc.`/`等` or the end."""
    match = _FOLLOWING_NAMES.match(text)
    if not match:
        return []
    names, after = match.group("names"), text[match.end() :]
    if after and after[0] not in "(（，。；" and not _END_OF_NAMES.search(names):
        return []
    return _names(names)


def _venue(text: str) -> str:
    return VENUES.get(text.strip().strip(".").casefold(), "")


def _from_group(body: str) -> tuple[int | None, str, list[str]] | None:
    """Year, venue and authors from the inside of one parenthesised group, if it has a year."""
    match = _YEAR_FIRST.match(body) or _YEAR_LAST.match(body)
    if not match:
        return None
    rest = match.group("rest").strip()
    venue = _venue(rest)
    return _year(match.group("year")), venue, ([] if venue else _names(rest))


def extract_hints(description: str) -> tuple[int | None, str, list[str]]:
    """(year, venue, authors) hinted at by a description; (None, "", []) when unsure."""
    return hints_from_text(inline_plain(_first_paragraph(description)))


def hints_from_text(text: str) -> tuple[int | None, str, list[str]]:
    """The same, from the plain text (markup removed) of the description's first paragraph."""
    if not text.strip():
        return None, "", []
    if found := _IN_VENUE.search(text):
        name = found.group("venue")
        venue = VENUES.get(
            name.casefold(), name if re.fullmatch(r"[A-Z][A-Za-z]{1,15}", name) else ""
        )
        return _year(found.group("year")), venue, []
    if found := _LEADING_DATE.match(text):
        return _year(found.group("year")), "", _names(found.group("rest"))
    if found := _NAMES_BEFORE_YEAR.match(text):
        names = _names(found.group("names"))
        if names:
            return _year(found.group("year")), "", names
    for group in _GROUP.finditer(text):
        hints = _from_group(group.group("body"))
        if hints is None:
            continue
        year, venue, authors = hints
        if not venue and not authors and not text[: group.start()].strip():
            authors = _following_names(text[group.end() :])
        return year, venue, authors
    if found := _VENUE_YEAR.search(text):
        short = found.group("short")
        year = int(found.group("year") or (("20" if int(short) <= 40 else "19") + short))
        return year, VENUES[found.group("venue").casefold()], []
    if found := _LAST_YEAR.search(text):
        return _year(found.group("year")), "", []
    return None, "", []
