"""Tables of papers: each body row with a link of its own is an entry.

    | Model | Date    | Download          | Project           |
    | ----- | ------- | ----------------- | ----------------- |
    | Qwen  | 2024-09 | [🤗HF](https://…) | [GitHub](https://…) |

* The title is the cell of the first column named like a title (title, name, paper, model,
  标题, 名称, 论文, 模型, …), else of the first column; a link in that cell is the URL, else the
  row's first link that is neither navigation nor a badge (`lead.usable`).
* A column named like a date or a year (date, year, 时间, 日期, 年份, …) gives the year and a
  column named like a venue (venue, conference, journal, 会议, 期刊, …) the venue.
* The other cells become the description, one `header: cell` after the other, so no cell is
  lost and the entry renders as a list item that reads back the same: date and venue first,
  in parentheses, where `hints` finds them again.
* A table none of whose rows has such a link (an index of the list's own sections, say) is
  not a table of entries: it stays text. Rows without a link in a table of entries are
  reported as lines the parser could not place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .document import Entry, Link
from .hints import VENUES, hints_from_text
from .inline import MD, inline_plain, link_span, links_in_inline, plain_text
from .lead import usable

if TYPE_CHECKING:
    from .blocks import Block

_NAMES = {
    "title": "title name paper papers model models work method resource book 标题 名称 论文 模型 "
    "书名 项目名称",
    "date": "date year time published release 时间 日期 年份 发布时间 发布日期",
    "venue": "venue conference conf journal publication 会议 期刊 出处 发表",
}
COLUMNS = {kind: frozenset(names.split()) for kind, names in _NAMES.items()}
_DATE = re.compile(r"(?:19|20)\d{2}(?:[.\-/](?:0?[1-9]|1[0-2]))?")
_EMPTY_CELLS = ("", "-", "–", "—", "/", "n/a", "N/A")


def _header_kind(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text).casefold().split()
    key = " ".join(words)
    for kind, names in COLUMNS.items():
        if key in names or any(word in names for word in words[:2]):
            return kind
    return ""


def _cells(row: Block) -> list[Block]:
    return [cell for cell in row.children if cell.type in ("th", "td")]


def _rows(block: Block, part: str) -> list[Block]:
    return [row for section in block.children if section.type == part for row in section.children]


def body_rows(block: Block) -> list[Block]:
    """The rows of a table's body."""
    return _rows(block, "tbody")


def _usable_links(cell: Block) -> list[int]:
    children = cell.inline.children or [] if cell.inline else []
    return [i for i, t in enumerate(children) if t.type == "link_open" and usable(children, i)]


def _title_of(cell: Block) -> str:
    """The cell's text without its links' labels, or the first link's label if that is all."""
    children = cell.inline.children or [] if cell.inline else []
    kept, index = [], 0
    while index < len(children):
        if children[index].type == "link_open":
            index = link_span(children, index) + 1
            continue
        kept.append(children[index])
        index += 1
    title = plain_text(kept).strip(" \t-–—|:：")
    return title or plain_text(children).strip()


def table_entries(block: Block, env: dict) -> list[tuple[Entry, Block]]:
    """The entries of a table of papers, with their rows; [] if the table is not one."""
    header = _rows(block, "thead")
    cells = _cells(header[0]) if header else []
    names = [plain_text(c.inline.children).strip() if c.inline else "" for c in cells]
    kinds = [_header_kind(name) for name in names]
    title_column = kinds.index("title") if "title" in kinds else 0
    found: list[tuple[Entry, Block]] = []
    for row in _rows(block, "tbody"):
        entry = _row_entry(_cells(row), names, kinds, title_column, env)
        if entry is not None:
            found.append((entry, row))
    return found


def _row_entry(
    cells: list[Block], names: list[str], kinds: list[str], title_column: int, env: dict
) -> Entry | None:
    if title_column >= len(cells):
        return None
    order = [title_column] + [i for i in range(len(cells)) if i != title_column]
    url = ""
    for column in order:
        links = _usable_links(cells[column])
        if links:
            children = cells[column].inline.children
            url = str(children[links[0]].attrs.get("href", ""))
            break
    if not url:
        return None
    title = _title_of(cells[title_column])
    if not title:
        return None
    date, venue, others = "", "", []
    for column, cell in enumerate(cells):
        source = cell.inline.content.strip() if cell.inline else ""
        if column == title_column or source in _EMPTY_CELLS:
            continue
        kind = kinds[column] if column < len(kinds) else ""
        plain = inline_plain(source).strip()
        if kind == "date" and not date and (match := _DATE.search(plain)):
            date = match.group()
            if plain == date:
                continue
        if kind == "venue" and not venue and plain.casefold() in VENUES:
            venue = VENUES[plain.casefold()]
            continue
        name = names[column] if column < len(names) else ""
        others.append(f"{name}: {source}" if name else source)
    group = ", ".join(part for part in (venue, date) if part)
    description = (f" ({group})" if group else "") + (" — " + " · ".join(others) if others else "")
    entry = Entry(title=title, url=url, description=description)
    entry.year, entry.venue, entry.authors = hints_from_text(inline_plain(description))
    links: list[Link] = []
    tokens = MD.parseInline(description, env)[0].children if description else []
    links_in_inline(tokens or [], links)
    entry.links = links
    return entry
