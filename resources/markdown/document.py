"""The document tree an awesome list is parsed into (and rendered from).

Plain dataclasses, no behaviour: `parse.parse_markdown` builds them, `render.render_markdown`
writes them back, and the Django importer maps them onto models.

Text fields hold Markdown source (`intro`, `description`) or plain text (`title`), never HTML.
Line numbers are 1-based and refer to the text given to `parse_markdown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Link:
    """A secondary link of an entry (inline, reference, autolink or bare URL)."""

    label: str  # link text; "" for bare URLs and autolinks
    url: str  # as written, after quirk repair


@dataclass
class Entry:
    """One resource of the list: a list item (or heading, or paragraph) led by a link."""

    title: str
    url: str  # "" when the entry has no link of its own (e.g. "6. NN Approximation Theory")
    marker: str = ""  # numbering as written, without the trailing dot: "1", "2+", "6.0"
    featured: bool = False  # the 🔥 marker
    description: str = ""  # Markdown after the main link, nested notes included
    links: list[Link] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    authors: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    title: str
    level: int
    intro: str = ""  # Markdown between the heading and the first entry
    entries: list[Entry] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    line: int = 0
    # What the parser read here but did not take as entries (for the import report).
    prose_blocks: int = 0  # paragraphs, notes, quotes, code, HTML, tables of text
    unplaced: list[int] = field(default_factory=list)  # lines of list items with a link


@dataclass
class Document:
    """A whole list: its H1 title, intro, sections and what the parser had to say about it."""

    title: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Entries written before the first section heading (rare; the seed has none).
    entries: list[Entry] = field(default_factory=list)


def iter_entries(entries: list[Entry]):
    """Every entry of `entries` and of their children, depth first, in document order."""
    for entry in entries:
        yield entry
        yield from iter_entries(entry.children)


def iter_sections(sections: list[Section]):
    """Every section and sub-section, depth first, in document order."""
    for section in sections:
        yield section
        yield from iter_sections(section.children)


def all_entries(document: Document):
    """Every entry of the document, children included, in document order."""
    yield from iter_entries(document.entries)
    for section in iter_sections(document.sections):
        yield from iter_entries(section.entries)
