"""How well a parse matches what a person reading the list expects (an expectation file).

An expectation file (JSON, written by reading the list, see `tests/markdown/corpus/`) holds:

* `entries`: a sample of the list's entries: `title`, `url`, `section` (the heading it is
  listed under, as the topic will be named) and `year` where the list gives one; optionally
  `venue`, `authors` and `links` (secondary URLs).
* `not_entries`: links or titles that must not become entries (tables of contents, badges,
  links in prose, navigation): `{"url": …}` or `{"title": …}`.
* `prose_sections`: headings of prose that must not become topics.

An expected entry is right when an imported entry has its URL (or, failing that, its title)
and title, URL, section and year all agree. Entries of sections that do not become topics
are not imported, so they count as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document, Entry, iter_entries
from .lead import is_navigation
from .understanding import PlannedTopic, plan_topics
from .urls import normalize_url


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().rstrip(".。").casefold()


def imported_entries(document: Document) -> list[tuple[Entry, str]]:
    """(entry, topic title) for every entry an import of `document` takes, in order."""
    found = [(entry, document.title or "Unsorted") for entry in iter_entries(document.entries)]

    def walk(planned: list[PlannedTopic]) -> None:
        for plan in planned:
            found.extend(
                (entry, plan.section.title) for entry in iter_entries(plan.section.entries)
            )
            walk(plan.children)

    walk(plan_topics(document.sections))
    return found


@dataclass
class ListScore:
    """The figures of one list: see `score`."""

    expected: int = 0
    right: int = 0
    problems: list[str] = field(default_factory=list)  # what was wrong, entry by entry
    fields_checked: int = 0  # venue, authors and secondary links, where the file gives them
    fields_right: int = 0
    navigation_entries: int = 0  # TOC anchors, badges, prose links imported as entries
    prose_topics: int = 0  # prose sections that became topics
    imported: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.expected if self.expected else 100.0


def _find(entries: list[tuple[Entry, str]], wanted: dict) -> tuple[Entry, str] | None:
    key = normalize_url(wanted["url"]) if wanted.get("url") else None
    by_url = [pair for pair in entries if key and pair[0].url and normalize_url(pair[0].url) == key]
    same_title = [pair for pair in by_url if _text(pair[0].title) == _text(wanted["title"])]
    if same_title or by_url:
        return (same_title or by_url)[0]
    by_title = [pair for pair in entries if _text(pair[0].title) == _text(wanted["title"])]
    return by_title[0] if by_title else None


def _check(entry: Entry, section: str, wanted: dict) -> list[str]:
    wrong = []
    if _text(entry.title) != _text(wanted["title"]):
        wrong.append(f"title {entry.title!r}")
    if normalize_url(entry.url or "-") != normalize_url(wanted.get("url") or "-"):
        wrong.append(f"url {entry.url!r}")
    if _text(section) != _text(wanted["section"]):
        wrong.append(f"section {section!r}")
    if "year" in wanted and wanted["year"] is not None and entry.year != wanted["year"]:
        wrong.append(f"year {entry.year!r}")
    return wrong


def score(document: Document, expected: dict) -> ListScore:
    """Compare an import of `document` with an expectation file (see the module docstring)."""
    entries = imported_entries(document)
    result = ListScore(expected=len(expected.get("entries", [])), imported=len(entries))
    for wanted in expected.get("entries", []):
        found = _find(entries, wanted)
        if found is None:
            result.problems.append(f"missing: {wanted['title']!r}")
            continue
        wrong = _check(found[0], found[1], wanted)
        if wrong:
            result.problems.append(f"{wanted['title']!r}: " + ", ".join(wrong))
        else:
            result.right += 1
        _check_fields(result, found[0], wanted)
    forbidden_urls = {
        normalize_url(i["url"]) for i in expected.get("not_entries", []) if "url" in i
    }
    forbidden_titles = {_text(i["title"]) for i in expected.get("not_entries", []) if "title" in i}
    for entry, _ in entries:
        if (
            is_navigation(entry.url or "https://x")
            or (entry.url and normalize_url(entry.url) in forbidden_urls)
            or _text(entry.title) in forbidden_titles
        ):
            result.navigation_entries += 1
            result.problems.append(f"not an entry: {entry.title!r} {entry.url!r}")
    topics = {_text(section) for _, section in entries}
    for title in expected.get("prose_sections", []):
        if _text(title) in topics:
            result.prose_topics += 1
            result.problems.append(f"prose section became a topic: {title!r}")
    return result


def _check_fields(result: ListScore, entry: Entry, wanted: dict) -> None:
    if "venue" in wanted:
        result.fields_checked += 1
        result.fields_right += entry.venue == wanted["venue"]
    if "authors" in wanted:
        result.fields_checked += 1
        result.fields_right += entry.authors == wanted["authors"]
    if "links" in wanted:
        result.fields_checked += 1
        have = {normalize_url(link.url) for link in entry.links}
        result.fields_right += all(normalize_url(url) in have for url in wanted["links"])
