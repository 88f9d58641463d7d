"""Small lookups shared by the Markdown parser tests."""

from resources.markdown.document import (
    Document,
    Entry,
    Section,
    all_entries,
    iter_entries,
    iter_sections,
)


def section(document: Document, title: str) -> Section:
    """The (sub-)section with this title; fails the test if there is none."""
    found = [s for s in iter_sections(document.sections) if s.title == title]
    assert found, f"no section {title!r}"
    return found[0]


def entry(document: Document, title: str) -> Entry:
    """The one entry (at any depth) with this title."""
    found = [e for e in all_entries(document) if e.title == title]
    assert len(found) == 1, f"{len(found)} entries titled {title!r}"
    return found[0]


def all_text(document: Document) -> list[str]:
    """Every Markdown text field of a document: intros and descriptions."""
    texts = [document.intro]
    texts += [s.intro for s in iter_sections(document.sections)]
    texts += [e.description for e in all_entries(document)]
    return texts


def entries_of(section: Section) -> list[Entry]:
    """The section's entries and their children, in order."""
    return list(iter_entries(section.entries))
