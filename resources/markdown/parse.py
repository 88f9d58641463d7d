"""Parse an awesome list (Markdown) into a `Document`.

Block and inline structure come from markdown-it (CommonMark); token line maps give line
numbers. `preprocess.prepare` first repairs what real lists get wrong (merge-conflict markers,
URLs broken across lines, `[x]((url))`, `2+.` numbering; see there).

Structure:

* The first heading, if it is an H1, is the title. Every later heading is a section, nested
  under the closest earlier heading of a lower level (so later H1s are top-level sections).
  A heading that starts with a link (`#### 1. [Title](url)`) is an entry, not a section.
* Entries are: list items at any depth, paragraphs and headings that start (after an optional
  🔥 and marker) the way `lead` describes — a link, a bold title with a link to a kind of
  file after it, and for list items and headings also a text title before a generic link
  (`Title. In *COLT 2016*. [[pdf](url)]`), a short name before a link, a title before a URL;
  rows of tables of papers (`tables`); headings over a paragraph of links to the resource's
  pages (`headings`); and list items without a link of their own whose nested lists hold
  entries (`6. NN Approximation Theory`): those get url "" and the nested entries as
  children (they need a title: an item that is only an image is not one). Links to
  `#anchors`, to the list's own files and around images (badges) never lead an entry. Code
  blocks, HTML blocks and block quotes are text: nothing inside them becomes an entry.
  Above the first section, a list that is mostly sentences is the list's introduction.
* A list item that is none of these is prose ("a note"). Nested under an entry it stays in
  the entry's description; at the top of a section it is text like any other.
* Everything that is not an entry or a heading, between a heading and its first entry, is the
  section's `intro` (the document's, before the first section; entries before the first
  section go to `Document.entries`). After an entry, it belongs to that entry: it is appended
  to its `description`, so images and remarks placed under an entry stay with it and no text
  is lost.
* Nested items that are entries become `children`. One exception, for lists of notes such as
  seed item 31 (`1. …` `2. …` `3. …` `4. [原作者解析](url)`): in a nested list that also holds
  notes, an item that is nothing but a link, under an entry that has a URL, is one more note
  (its link becomes a secondary link of the entry), not a child entry. A nested list of
  nothing but links stays a list of children.
* `description` is the Markdown after the main link as written, nested notes included,
  dedented to the entry's content column, trailing spaces and surplus blank lines removed,
  and lazy continuation lines that would read as a block once indented escaped (`dedent`).
  `links` are all links of the description except those to the entry's own URL; year, venue
  and authors are read from the rest of the entry's first paragraph (`hints`).
* Merge conflicts and URLs listed twice are handled after the walk (`conflicts`).
* Each section counts what it did not take as entries (`Section.prose_blocks`,
  `Section.unplaced`) for the import report (`understanding`).
"""

from __future__ import annotations

from markdown_it.token import Token

from .blocks import (
    LISTS,
    Block,
    block_links,
    build_blocks,
    clean_lines,
    compose,
    dedent,
    is_bare_link,
    join_text,
)
from .conflicts import merge_conflict, warn_duplicates
from .document import (
    Document,
    Entry,
    Link,
    Section,
    all_entries,
)
from .headings import link_headings_to_entries
from .hints import hints_from_text, names_in
from .inline import MD, first_link_start, inline_plain, links_in_inline, plain_text
from .lead import Lead, is_navigation, read_lead
from .preprocess import Prepared, prepare
from .tables import body_rows, table_entries
from .urls import normalize_url


def emphasized_names(tokens: list[Token]) -> list[str]:
    """Authors written as the first italic span after the title: `*Yang Song, D. P. Kingma*`."""
    for index, token in enumerate(tokens):
        if token.type == "em_open":
            end = next(
                (i for i in range(index, len(tokens)) if tokens[i].type == "em_close"), index
            )
            return names_in(plain_text(tokens[index + 1 : end]))
    return []


class _Parser:
    """One parse: walks the block tree once, then merges conflicts and warns."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.lines = prepared.lines
        self.env: dict = {}
        self.blocks = build_blocks(MD.parse(prepared.text, self.env))
        self.document = Document(title="")
        self.root = Section(title="", level=0)
        self.stack: list[Section] = [self.root]
        self.current: Entry | None = None  # the entry that text after it is appended to
        self.cursor = 0  # first prepared line not yet given to an intro or description
        self.pending: list[Block] = []  # blocks of that text, for their links
        self.seen_heading = False

    def source_line(self, index: int) -> int:
        return self.prepared.source_line(index)

    # The walk ----------------------------------------------------------------------------
    def run(self) -> Document:
        for block in self.blocks:
            if block.type == "heading":
                self.heading(block)
            elif block.type in LISTS:
                self.list_entries(block)
            elif block.type == "paragraph":
                self.paragraph(block)
            elif block.type == "table":
                self.table(block)
            else:
                self.pending.append(block)
        self.flush(len(self.lines))
        document = self.document
        document.intro, document.entries = self.root.intro, self.root.entries
        document.sections = self.root.children
        document.warnings.extend(self.prepared.warnings)
        link_headings_to_entries(document, self.env)
        for conflict in self.prepared.conflicts:
            merge_conflict(document, conflict)
        for entry in all_entries(document):
            own = normalize_url(entry.url) if entry.url else None
            entry.links = [link for link in entry.links if normalize_url(link.url) != own]
        warn_duplicates(document)
        return document

    def flush(self, upto: int) -> None:
        """Give the lines from the cursor up to `upto` to the current entry or intro."""
        pending, self.pending = self.pending, []
        self.note_prose(pending)
        if upto <= self.cursor:
            return
        _, lines = clean_lines([self.prepared.raw(i) for i in range(self.cursor, upto)])
        self.cursor = upto
        if not lines:
            return
        text = "\n".join(lines)
        if self.current is not None:
            if self.current.description:
                self.current.description = join_text(self.current.description, text)
            else:
                self.current.description = "\n\n" + text
            self.current.links += block_links(pending)
        else:
            self.stack[-1].intro = join_text(self.stack[-1].intro, text)

    def note_prose(self, blocks: list[Block]) -> None:
        """Count what was not taken as entries; list items with a link are "not placed"."""
        section = self.stack[-1]
        section.prose_blocks += len(blocks)
        for block in blocks:
            if block.type == "list_item" and any(
                not is_navigation(link.url) for link in block_links([block])
            ):
                section.unplaced.append(self.source_line(block.start))

    def add_entry(self, entry: Entry, block: Block) -> None:
        self.flush(block.start)
        self.stack[-1].entries.append(entry)
        self.current = entry
        self.cursor = max(self.cursor, block.end)

    def heading(self, block: Block) -> None:
        level = int(block.token.tag[1:])
        first_heading, self.seen_heading = not self.seen_heading, True
        inline = block.inline
        title = plain_text(inline.children).strip() if inline is not None else ""
        if first_heading and level == 1:
            self.flush(block.start)
            self.document.title = title
            self.cursor = block.end
            return
        lead = read_lead(inline, self.env, allow_marker=True) if inline else None
        if lead is not None and (lead.linked or lead.kind == "text"):
            self.add_entry(self.new_entry(lead, lead.marker, block.start), block)
            return
        self.flush(block.start)
        section = Section(title=title, level=level, line=self.source_line(block.start))
        while len(self.stack) > 1 and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack[-1].children.append(section)
        self.stack.append(section)
        self.current = None
        self.cursor = block.end

    def list_entries(self, block: Block) -> None:
        entries = [(self.item_entry(item), item) for item in block.children]
        found = sum(entry is not None for entry, _ in entries)
        # Above the first heading, a list mostly of sentences is the list's own introduction:
        # a link leading one of its items ("see my R tutorials") is part of it, not a resource.
        if self.stack[-1] is self.root and found * 2 <= len(entries):
            entries = [(None, item) for _, item in entries]
        for entry, item in entries:
            if entry is None:
                self.pending.append(item)
            else:
                self.add_entry(entry, item)

    def paragraph(self, block: Block) -> None:
        lead = read_lead(block.inline, self.env, allow_marker=True) if block.inline else None
        if lead is not None and lead.linked:
            self.add_entry(self.new_entry(lead, lead.marker, block.start), block)
        else:
            self.pending.append(block)

    def table(self, block: Block) -> None:
        """Rows of a table of papers are entries (see `tables`); other tables are text."""
        entries = table_entries(block, self.env)
        if not entries:
            self.pending.append(block)
            return
        taken = {id(row) for _, row in entries}
        self.stack[-1].unplaced += [
            self.source_line(row.start) for row in body_rows(block) if id(row) not in taken
        ]
        for entry, row in entries:
            entry.line = self.source_line(row.start)
            self.add_entry(entry, block)

    def new_entry(self, lead: Lead, marker: str, start: int, rest: str | None = None) -> Entry:
        """An entry from a lead; hints and links from the lead paragraph's remaining text."""
        entry = Entry(
            title=lead.title or "",
            url=lead.url,
            marker=marker,
            featured=lead.featured,
            description=compose(lead.rest if rest is None else rest, []),
            line=self.source_line(start),
        )
        links: list[Link] = []
        links_in_inline(lead.rest_tokens, links)
        entry.links = links
        entry.year, entry.venue, entry.authors = hints_from_text(plain_text(lead.rest_tokens))
        entry.authors = entry.authors or emphasized_names(lead.rest_tokens)
        return entry

    # List items --------------------------------------------------------------------------
    def item_entry(self, item: Block) -> Entry | None:
        """The entry a list item is, or None if it is prose (see the module docstring)."""
        if not item.children or item.children[0].type != "paragraph":
            return None
        paragraph = item.children[0]
        if paragraph.inline is None:
            return None
        written = self.prepared.markers.get(item.start)
        list_marker = written or (item.token.info if item.token.markup in ".)" else "")
        lead = read_lead(paragraph.inline, self.env, allow_marker=not list_marker)
        children = self.children_of(item, has_url=bool(lead.url))
        if lead.title is not None:
            rest = lead.rest
        elif children:
            lead.title, rest = self.untitled(lead, paragraph.inline)
            if not lead.title:  # only an image, say: nothing to call it by
                return None
        else:
            return None
        column = self.content_column(item)
        rest = self.lazy_safe(rest, paragraph, column)
        if not lead.url and rest.strip():
            # Written back, a title without URL is a paragraph of its own (see `render`).
            rest = "\n\n" + rest.lstrip()
        entry = self.new_entry(lead, list_marker or lead.marker, item.start, rest)
        entry.children = [child for child, _ in children]
        skip = {line for _, block in children for line in range(block.start, block.end)}
        tail = [
            dedent(self.prepared.raw(index), column)
            for index in range(paragraph.end, item.end)
            if index not in skip
        ]
        entry.description = compose(entry.description, tail)
        entry.links += block_links(item.children[1:], {id(block) for _, block in children})
        return entry

    def lazy_safe(self, rest: str, paragraph: Block, column: int) -> str:
        """The lead paragraph's remainder, its lazy continuation lines made safe (`dedent`)."""
        if "\n" not in rest:
            return rest
        first, *others = rest.split("\n")
        start = paragraph.end - len(others)  # the remainder's last lines are the paragraph's
        return "\n".join(
            [first] + [dedent(self.prepared.raw(start + i), column) for i in range(len(others))]
        )

    def children_of(self, item: Block, *, has_url: bool) -> list[tuple[Entry, Block]]:
        """Entries of the lists nested directly in a list item, with their blocks."""
        found: list[tuple[Entry, Block]] = []
        for block in item.children[1:]:
            if block.type not in LISTS:
                continue
            candidates = [(self.item_entry(sub), sub) for sub in block.children]
            has_notes = any(entry is None for entry, _ in candidates)
            for entry, sub in candidates:
                if entry is None or (has_url and has_notes and is_bare_link(entry)):
                    continue
                found.append((entry, sub))
        return found

    def untitled(self, lead: Lead, inline: Token) -> tuple[str, str]:
        """Title and description start of an item with no leading link (but with children)."""
        source = inline.content[lead.start :]
        start = first_link_start(source, self.env)
        title_source = (source if start is None else source[:start]).rstrip()
        title = inline_plain(title_source).strip()
        if not title and start == 0:  # `- [General](#general)` over its entries: a label
            return inline_plain(source).strip(), ""
        return title, source[len(title_source) :]

    def content_column(self, item: Block) -> int:
        """The column where a list item's content starts (CommonMark's rule)."""
        line = self.lines[item.start]
        indent = len(line) - len(line.lstrip(" "))
        width = len(item.token.info) + 1 if item.token.markup in ".)" else 1
        after = line[indent + width :]
        spaces = len(after) - len(after.lstrip(" "))
        if not after.strip() or spaces > 4:
            spaces = 1
        return indent + width + spaces


def parse_markdown(text: str) -> Document:
    """Parse an awesome list into a `Document` (see the module docstring for the rules)."""
    return _Parser(prepare(text)).run()
