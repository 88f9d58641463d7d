"""Block-level helpers of the parser: markdown-it's flat tokens as a tree, and source lines.

`build_blocks` nests the token stream (inline tokens hang off their block); the others clean,
join and dedent the source lines that become intros and descriptions (see `parse`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .document import Entry, Link
from .inline import links_in_inline

LISTS = ("bullet_list", "ordered_list")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")


@dataclass
class Block:
    """A block-level node built from markdown-it's flat token stream."""

    type: str
    token: Token
    children: list[Block] = field(default_factory=list)
    inline: Token | None = None

    @property
    def start(self) -> int:
        return self.token.map[0] if self.token.map else 0

    @property
    def end(self) -> int:
        return self.token.map[1] if self.token.map else 0


def build_blocks(tokens: list[Token]) -> list[Block]:
    """Nest markdown-it's flat block tokens into a tree (inline tokens hang off their block)."""
    root: list[Block] = []
    containers: list[list[Block]] = [root]
    owners: list[Block] = []
    for token in tokens:
        if token.nesting == 1:
            block = Block(token.type.removesuffix("_open"), token)
            containers[-1].append(block)
            containers.append(block.children)
            owners.append(block)
        elif token.nesting == -1:
            containers.pop()
            owners.pop()
        elif token.type == "inline" and owners:
            owners[-1].inline = token
        else:
            containers[-1].append(Block(token.type, token))
    return root


def clean_lines(lines: list[str]) -> tuple[bool, list[str]]:
    """Strip trailing spaces, outer blank lines and runs of blank lines (outside fences).

    Returns whether there were blank lines before the first text line, and the lines.
    """
    lines = [line.rstrip() for line in lines]
    leading_blank = False
    while lines and not lines[0]:
        lines.pop(0)
        leading_blank = True
    while lines and not lines[-1]:
        lines.pop()
    result: list[str] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1).startswith(fence)):
            fence = match.group(1)[:3] if fence is None else None
        if not line and result and not result[-1] and fence is None:
            continue
        result.append(line)
    return leading_blank, result


# A line that, right under a paragraph, would underline it (setext heading) or that cannot
# start a list there (an empty item). Once children are moved out from between, such a
# line would follow the lead paragraph directly: a blank line keeps it what it was.
_NEEDS_BLANK_ABOVE = re.compile(r"^\s*(?:-+|=+|[-+*]|\d{1,9}[.)])\s*$")


def compose(first: str, tail: list[str]) -> str:
    """A description: the rest of the lead paragraph, then the block lines below it."""
    first = "\n".join(line.rstrip() for line in first.split("\n"))
    leading_blank, tail = clean_lines(tail)
    if not tail:
        return first.rstrip("\n")
    blank = leading_blank or bool(_NEEDS_BLANK_ABOVE.match(tail[0]))
    return first + ("\n\n" if blank else "\n") + "\n".join(tail)


def join_text(before: str, after: str) -> str:
    """Append a block of Markdown to an intro or description (blank line between)."""
    if not before:
        return after
    return before + "\n\n" + after


# Text that starts a block (list item, heading, quote, fence, HTML, rule or setext line).
_BLOCK_LIKE = re.compile(
    r"^(?:[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|>|`{3}|~{3}|<|=+\s*$)"
)


def dedent(line: str, columns: int) -> str:
    """Remove up to `columns` spaces of indentation.

    A line indented less than `columns` inside an item is a lazy continuation of a paragraph.
    Rendered at the item's column it would be read as a block if it looks like one (`* x`,
    `===`), so its first character is backslash-escaped: same text, read the same way.
    """
    spaces = len(line) - len(line.lstrip(" "))
    text = line[min(spaces, columns) :]
    if spaces < columns and _BLOCK_LIKE.match(text):
        digits = len(text) - len(text.lstrip("0123456789"))
        return text[:digits] + "\\" + text[digits:]
    return text


def is_bare_link(entry: Entry) -> bool:
    return bool(entry.url) and not entry.description.strip() and not entry.children


def block_links(blocks: list[Block], skip: set[int] = frozenset()) -> list[Link]:
    """Every link in the inline text of `blocks`, in order, leaving out blocks in `skip`."""
    found: list[Link] = []
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if id(block) in skip:
            continue
        if block.inline is not None:
            links_in_inline(block.inline.children or [], found)
        stack.extend(reversed(block.children))
    return found
