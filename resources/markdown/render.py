"""Render a `Document` back to an awesome-list README, in the seed's own layout.

    # Title
    intro

    ## Section
    intro

    1. 🔥 [Title](url)description
       description continued (indented to the entry's content column)
        + 6.0 [Child](url)child description
    - [Entry without numbering](url)

Rules, chosen so that `render(parse(render(d))) == render(d)`:

* Headings use each section's own `level`. A heading is followed directly by its intro or
  entries; blocks are separated by one blank line; the text ends with exactly one newline.
* Numbered entries are `{marker}. `, unnumbered ones `- `. Entries follow each other without
  blank lines, except where numbered and unnumbered entries meet: there a blank line ends the
  list, so that `3. ` is not read as the continuation of the previous item's paragraph.
* Children are `+ {marker} [title](url)`, indented 4 columns (or the parent's content column
  if wider). When the parent's description holds a list of notes, the children are put at
  that list's column (deeper, they would nest inside its last note) and use `-` if the notes
  use `+` (so a bare-link child is never mistaken for a note of the same list).
  A code fence or HTML comment the description leaves open is closed before the children,
  or it would swallow them (markdown-it is asked).
* Entries without a URL are `{marker}. {title}`; such an entry only survives a round trip if
  it has children (without them, it is just a line of prose). Its description goes below
  the title, after a blank line.
* Titles are plain text; brackets, and other Markdown-significant characters where they
  would change the text, are backslash-escaped; a title without URL that would be read as a
  marker or a 🔥 is protected with a character reference (`&#50;021 papers`). URLs with
  spaces or unbalanced parentheses are written in `<…>`.
* A marker that is not a number (`1`, `2+`, `6.0`) cannot be written as a list marker and is
  dropped (the entry is written with `- `).
"""

from __future__ import annotations

import re

from .document import Document, Entry, Section
from .inline import MD, inline_plain, plain_text

_VALID_MARKER = re.compile(r"^\d{1,9}(?:\.\d+)*\+?$")
_RISKY = re.compile(r"[\\`*_\[\]<>&!|~]")
_BRACKET = re.compile(r"[\[\]]")
_ESCAPABLE = re.compile(r"[\\`*_\[\]()<>&!#|~]")
_BLOCK_START = re.compile(r"^(?:[-+*>#=<]|\d+[.)]|`{3}|~{3})")
_MARKER_LIKE = re.compile(r"^\d{1,9}(?:\.\d+)*\+?\.?(?:\s|$)")
_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<bullet>[-+*]|\d{1,9}[.)])(?P<space> +|$)")
_NEEDS_BLANK = re.compile(r"^\s*(?:<|```|~~~)")
_OPENS_BLOCK = re.compile(r"^\s*(?:```|~~~|<!--|<[A-Za-z])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ESCAPED_PUNCT = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def escape_text(text: str) -> str:
    """Plain text as inline Markdown that reads back as the same text.

    Brackets are always escaped: `[x]` is literal text only while no `[x]: url` definition
    exists anywhere in the document, which a title cannot know.
    """
    if not _RISKY.search(text):
        return text
    bracketed = _BRACKET.sub(r"\\\g<0>", text)
    if inline_plain(bracketed) == text:
        return bracketed
    return _ESCAPABLE.sub(r"\\\g<0>", text)


def escape_line_start(text: str, *, bullet_context: bool) -> str:
    """Also protect text that starts a line inside a list item (url-less titles)."""
    text = escape_text(text)
    if text.startswith("🔥"):
        return "&#128293;" + text[1:]
    if bullet_context and _MARKER_LIKE.match(text):
        return f"&#{ord(text[0])};" + text[1:]
    if _BLOCK_START.match(text):
        digits = len(text) - len(text.lstrip("0123456789"))
        return text[:digits] + "\\" + text[digits:]
    return text


def escape_label(text: str) -> str:
    """Plain text as the text of a link, checked in place: `[text](u)` must read back."""
    if not _RISKY.search(text):
        return text
    candidate = escape_text(text)
    if not _reads_back_as_label(candidate, text):
        candidate = _ESCAPABLE.sub(r"\\\g<0>", text)
    return candidate


def _reads_back_as_label(candidate: str, text: str) -> bool:
    tokens = MD.parseInline(f"[{candidate}](u)")[0].children or []
    return (
        len(tokens) >= 2
        and tokens[0].type == "link_open"
        and tokens[-1].type == "link_close"
        and sum(token.type == "link_open" for token in tokens) == 1
        and plain_text(tokens[1:-1]) == text
    )


def escape_heading(text: str) -> str:
    text = escape_text(text)
    trailing = len(text) - len(text.rstrip("#"))
    if trailing:
        text = text[:-trailing] + "\\#" * trailing
    return text


def format_url(url: str) -> str:
    """A link destination that reads back as `url`."""
    escaped = _ENTITY_LIKE.sub(r"\\&", _ESCAPED_PUNCT.sub(r"\\\\", url))
    if not escaped or re.search(r"[\s<>]", escaped) or not _balanced(escaped):
        return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"
    return escaped


def _balanced(url: str) -> bool:
    depth = 0
    for char in url:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _indent(lines: list[str], columns: int) -> list[str]:
    pad = " " * columns
    return [pad + line if line else "" for line in lines]


def _notes_list(tail: list[str]) -> tuple[int, str, int] | None:
    """(indent, bullet, content width) of the least indented list item line in `tail`."""
    best = None
    for line in tail:
        match = _LIST_ITEM.match(line)
        if match and (best is None or len(match["indent"]) < best[0]):
            width = len(match["bullet"]) + max(1, min(len(match["space"]), 4))
            best = (len(match["indent"]), match["bullet"], width)
    return best


def entry_lines(entry: Entry, bullet: str, inner_marker: str = "") -> list[str]:
    """The lines of one entry, its children included, relative to the bullet's column."""
    lead = (f"{inner_marker} " if inner_marker else "") + ("🔥 " if entry.featured else "")
    description = entry.description
    if entry.url:
        head = f"[{escape_label(entry.title)}]({format_url(entry.url)})"
    else:
        # In bullet items a leading number would be read as the marker (see `inline`).
        bullet_context = bullet in ("- ", "+ ") and not inner_marker
        head = escape_line_start(entry.title, bullet_context=bullet_context)
        # The title is the whole first paragraph: keep the description out of it.
        if description and not description.startswith("\n\n"):
            description = "\n\n" + description.removeprefix("\n")
    first, *tail = description.split("\n")
    width = len(bullet)
    lines = [bullet + lead + head + first, *_indent(tail, width)]
    if entry.children:
        lines += _close_open_blocks(lines, width)
        lines += _children_lines(entry.children, tail, width)
    return lines


def _close_open_blocks(lines: list[str], width: int) -> list[str]:
    """Lines that end a code fence or HTML comment the description leaves open.

    Children come after the description, inside the same list item: an open fence would
    swallow them. markdown-it itself is asked whether a line placed there is still inside one.
    """
    if not any(_OPENS_BLOCK.match(line) for line in lines):
        return []
    added: list[str] = []
    for _ in range(3):
        probe = [*lines, *added, " " * width + "probe"]
        swallowing = next(
            (
                token
                for token in MD.parse("\n".join(probe))
                if token.map
                and token.map[0] < len(probe) - 1 < token.map[1]
                and token.type in ("fence", "html_block", "code_block")
            ),
            None,
        )
        if swallowing is None:
            break
        opener = probe[swallowing.map[0]]
        indent = " " * (len(opener) - len(opener.lstrip(" ")))
        if swallowing.type == "fence":
            added.append(indent + swallowing.markup)
        elif opener.lstrip().startswith("<!--"):
            added.append(indent + "-->")
        else:
            added.append("")
    return added


def _children_lines(children: list[Entry], tail: list[str], width: int) -> list[str]:
    column, bullet = max(4, width), "+ "
    notes = _notes_list(tail)
    if notes is not None:
        indent, notes_bullet, notes_width = notes
        if column - width >= indent + notes_width:
            column = width + indent
        if notes_bullet == "+":
            bullet = "- "
    lines = [""] if any(_NEEDS_BLANK.match(line) for line in tail) else []
    for child in children:
        marker = child.marker if _VALID_MARKER.match(child.marker) else ""
        lines += _indent(entry_lines(child, bullet, marker), column)
    return lines


def entries_text(entries: list[Entry]) -> str:
    lines: list[str] = []
    previous = None
    for entry in entries:
        numbered = bool(_VALID_MARKER.match(entry.marker))
        if previous is not None and numbered != previous:
            lines.append("")
        bullet = f"{entry.marker}. " if numbered else "- "
        lines += entry_lines(entry, bullet)
        previous = numbered
    return "\n".join(lines)


def _body(intro: str, entries: list[Entry]) -> str:
    return "\n\n".join(part for part in (intro, entries_text(entries) if entries else "") if part)


def section_text(section: Section) -> str:
    heading = ("#" * min(max(section.level, 1), 6) + " " + escape_heading(section.title)).rstrip()
    body = _body(section.intro, section.entries)
    parts = [heading + ("\n" + body if body else "")]
    parts += [section_text(child) for child in section.children]
    return "\n\n".join(parts)


def render_markdown(document: Document) -> str:
    """The document as a README (see the module docstring for the layout)."""
    body = _body(document.intro, document.entries)
    heading = f"# {escape_heading(document.title)}" if document.title else ""
    if not heading and any(section.level <= 1 for section in document.sections):
        heading = "#"  # an empty title still has to come first, or a section H1 becomes it
    top = heading + ("\n" + body if heading and body else body)
    parts = [top] if top else []
    parts += [section_text(section) for section in document.sections]
    return "\n\n".join(parts).rstrip("\n") + "\n"
