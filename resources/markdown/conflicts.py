"""After the walk: merge entries listed on both sides of a merge conflict, report duplicates.

* Merge-conflict blocks: entries from both sides are kept; an entry whose URL appears on both
  sides is kept once, with the longer description; a warning names the block's lines.
* The same URL (by `urls.normalize_url`) listed more than once: every entry is kept, and a
  warning names the lines.
"""

from __future__ import annotations

from .document import Document, Entry, all_entries, iter_entries, iter_sections
from .preprocess import Conflict
from .urls import normalize_url


def entry_lists(document: Document) -> list[list[Entry]]:
    """Every list of entries in the document (top level and children)."""
    lists = [document.entries]
    lists += [section.entries for section in iter_sections(document.sections)]
    for entries in list(lists):
        lists += [entry.children for entry in iter_entries(entries)]
    return lists


def merge_conflict(document: Document, conflict: Conflict) -> None:
    """Keep entries of both sides; one listed on both sides is kept once (richer text)."""
    ours: dict[str, Entry] = {}
    theirs: list[tuple[list[Entry], Entry]] = []
    for entries in entry_lists(document):
        for entry in entries:
            side = conflict.side(entry.line)
            key = normalize_url(entry.url) if entry.url else ""
            if side == "ours" and key:
                ours.setdefault(key, entry)
            elif side == "theirs" and key in ours:
                theirs.append((entries, entry))
    merged = []
    for entries, entry in theirs:
        kept = ours[normalize_url(entry.url)]
        if len(entry.description) > len(kept.description):
            kept.description, kept.links = entry.description, entry.links
            kept.year, kept.venue, kept.authors = entry.year, entry.venue, entry.authors
        kept.featured = kept.featured or entry.featured
        kept.children = kept.children or entry.children
        entries[:] = [other for other in entries if other is not entry]
        merged.append(f"{kept.line}/{entry.line}")
    note = f"; merged the entries on both sides (lines {', '.join(merged)})" if merged else ""
    sides = " vs ".join(label[:12] for label in (conflict.ours, conflict.theirs) if label)
    document.warnings.append(
        f"lines {conflict.first_line}-{conflict.last_line}: unresolved merge conflict"
        f"{f' ({sides})' if sides else ''}; kept the entries of both sides{note}"
    )


def warn_duplicates(document: Document) -> None:
    seen: dict[str, list[Entry]] = {}
    for entry in all_entries(document):
        if entry.url:
            seen.setdefault(normalize_url(entry.url), []).append(entry)
    for entries in seen.values():
        if len(entries) < 2:
            continue
        lines = [str(entry.line) for entry in entries]
        where = " and ".join([", ".join(lines[:-1]), lines[-1]])
        times = "twice" if len(entries) == 2 else f"{len(entries)} times"
        document.warnings.append(f"{entries[0].url} listed {times} (lines {where})")
