"""Line-level repairs done before markdown-it sees the text.

Real awesome lists are not quite CommonMark. These quirks are repaired here, line by line,
never inside code or HTML blocks (markdown-it's own block parse says which lines those are),
keeping a map from each resulting line to its source line so that line numbers in entries
and warnings always refer to the text the curator wrote:

* A byte-order mark is dropped; CRLF and CR become LF; tabs in indentation (and right after
  list markers) become spaces (4-column tab stops, as CommonMark counts them), so
  indentation can be measured in columns.
* Unresolved merge-conflict blocks (`<<<<<<< HEAD` … `=======` … `>>>>>>> sha`, with an
  optional diff3 `|||||||` base part): the marker lines become blank lines (a blank line, not
  nothing, so `=======` can never turn the line above it into a setext heading) and the base
  part is blanked too. Both sides stay; the parser later merges entries that appear on both.
  A `<<<<<<<` line without its `=======` and `>>>>>>>` lines is not a conflict: it stays text.
* A link destination broken across lines (`[x](https://minerva-demo.` + newline +
  `github.io/…)`) is joined back into one line: CommonMark does not allow a line break there,
  so the link would otherwise be lost.
* `[text]((url))` becomes `[text](url)`: the doubled parentheses would make `(url)` the URL.
* Numbering CommonMark does not know (`2+. `, `6.0. `) is rewritten to a plain ordered-list
  marker of the same width (`2.  `), so the item and everything nested under it keep their
  columns; the marker as written is remembered per line and restored on the entry.

Every repair adds a warning naming its source lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_CONFLICT_START = re.compile(r"^<{7}(?: (?P<label>.*))?$")
_CONFLICT_BASE = re.compile(r"^\|{7}(?: .*)?$")
_CONFLICT_MIDDLE = re.compile(r"^={7}$")
_CONFLICT_END = re.compile(r"^>{7}(?: (?P<label>.*))?$")
# A line that ends inside an unclosed http(s) link destination …
_OPEN_DESTINATION = re.compile(r"(?<!\\)\]\(\s*https?://[^\s()<>]*\s*$")
# … and a next line that finishes it (and is not an ordered list item such as "3) x").
_DESTINATION_TAIL = re.compile(r"^\s*(?!\d{1,9}\)(?:\s|$))[^\s()<>\[\]]+\)")
_DOUBLED_PARENS = re.compile(r"\]\(\((?P<url>[a-zA-Z][a-zA-Z0-9+.-]*:[^\s()]+)\)\)")
_ODD_MARKER = re.compile(
    r"^(?P<indent> *)(?P<marker>(?P<number>\d{1,9})(?:\+|(?:\.\d+)+\+?))\.(?P<space> +)(?=\S)"
)


@dataclass
class Conflict:
    """One merge-conflict block, in source line numbers (1-based, marker lines included)."""

    first_line: int  # the <<<<<<< line
    middle_line: int  # the ======= line
    last_line: int  # the >>>>>>> line
    ours: str = ""  # labels as written after the markers ("HEAD", a commit, a branch)
    theirs: str = ""

    def side(self, line: int) -> str | None:
        """Which side of the block a source line is on: "ours", "theirs" or None."""
        if self.first_line < line < self.middle_line:
            return "ours"
        if self.middle_line < line < self.last_line:
            return "theirs"
        return None


@dataclass
class Prepared:
    """The repaired text, split into lines, and what was done to it."""

    lines: list[str]
    line_map: list[int]  # prepared line index -> 1-based source line
    markers: dict[int, str] = field(default_factory=dict)  # line index -> marker as written
    written: dict[int, str] = field(default_factory=dict)  # line index -> line before rewrite
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def raw(self, index: int) -> str:
        """A line as the text shows it (list markers as written, not as rewritten)."""
        return self.written.get(index, self.lines[index])

    def source_line(self, index: int) -> int:
        if not self.line_map:
            return 1
        return self.line_map[min(max(index, 0), len(self.line_map) - 1)]


def normalize_newlines(text: str) -> str:
    """Drop a BOM, turn CRLF and CR into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Indentation with list and quote markers: where tabs decide the block structure.
_STRUCTURE_PREFIX = re.compile(r"^(?:[ \t]*(?:[-+*>]|\d{1,9}[.)])(?=[ \t]))*[ \t]*")


def _expand_indent(line: str) -> str:
    """Tabs in the indentation (and between list markers) become spaces, 4-column stops.

    Elsewhere tabs are text. In the indentation they are columns, and the columns must stay
    the same when an entry is later written at another depth.
    """
    if "\t" not in line:
        return line
    prefix = _STRUCTURE_PREFIX.match(line).group()
    return prefix.expandtabs(4) + line[len(prefix) :]


# Block structure only (no inline parsing): enough to know which lines are code or HTML.
_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"])
_VERBATIM = ("fence", "code_block", "html_block")


def verbatim_lines(lines: list[str]) -> set[int]:
    """Indices of the lines markdown-it reads as code or HTML blocks: never to be repaired."""
    found: set[int] = set()
    for token in _BLOCKS.parse("\n".join(lines) + "\n"):
        if token.type in _VERBATIM and token.map:
            found.update(range(*token.map))
    return found


class _ConflictTracker:
    """Follows merge-conflict blocks; their marker lines and diff3 base part become blank."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.block: dict | None = None

    def consume(self, line: str, number: int) -> bool:
        """True if the line was a marker or base line (and was appended as a blank line)."""
        block = self.block
        if block is None:
            start = _CONFLICT_START.match(line)
            if not start:
                return False
            self.block = {
                "middle": None,
                "first_line": number,
                "ours": (start["label"] or "").strip(),
                "base": False,
                "blanked": {},  # line index -> text, to restore if the block never closes
            }
        elif block["middle"] is None and _CONFLICT_BASE.match(line):
            block["base"] = True
        elif block["middle"] is None and _CONFLICT_MIDDLE.match(line):
            block["middle"], block["base"] = number, False
        elif block["middle"] is not None and (end := _CONFLICT_END.match(line)):
            self.prepared.conflicts.append(
                Conflict(
                    first_line=block["first_line"],
                    middle_line=block["middle"],
                    last_line=number,
                    ours=block["ours"],
                    theirs=(end["label"] or "").strip(),
                )
            )
            self.block = None
        elif not block["base"]:
            return False
        if self.block is not None:
            self.block["blanked"][len(self.prepared.lines)] = line
        _append(self.prepared, "", number)
        return True

    def finish(self) -> None:
        """A block that never closes was not a conflict: its lines are text after all."""
        if self.block is None:
            return
        for index, line in self.block["blanked"].items():
            self.prepared.lines[index] = line
        self.prepared.warnings.append(
            f"line {self.block['first_line']}: a merge-conflict marker without its "
            "======= and >>>>>>> lines; read as text"
        )


def prepare(text: str) -> Prepared:
    """Apply every repair described in the module docstring."""
    source = [_expand_indent(line) for line in normalize_newlines(text).split("\n")]
    if source and source[-1] == "":
        source.pop()
    prepared = Prepared(lines=[], line_map=[])
    verbatim = verbatim_lines(source)
    conflicts = _ConflictTracker(prepared)
    index = 0
    while index < len(source):
        line, first = source[index], index + 1
        index += 1
        if index - 1 in verbatim:
            _append(prepared, line, first)
            continue
        while _OPEN_DESTINATION.search(line) and index < len(source):
            if index in verbatim or not _DESTINATION_TAIL.match(source[index]):
                break
            line = line.rstrip() + source[index].lstrip()
            index += 1
        if index > first:
            prepared.warnings.append(
                f"lines {first}-{index}: a link URL was broken across lines; joined"
            )
        line = _repair_doubled_parens(prepared, line, first)
        if conflicts.consume(line, first):
            continue
        line = _rewrite_marker(prepared, line, first)
        _append(prepared, line, first)
    conflicts.finish()
    return prepared


def _append(prepared: Prepared, line: str, number: int) -> None:
    prepared.lines.append(line)
    prepared.line_map.append(number)


def _repair_doubled_parens(prepared: Prepared, line: str, number: int) -> str:
    repaired, count = _DOUBLED_PARENS.subn(r"](\g<url>)", line)
    if count:
        prepared.warnings.append(f"line {number}: link written as [text]((url)); read as a link")
    return repaired


def _rewrite_marker(prepared: Prepared, line: str, number: int) -> str:
    """`2+. x` → `2.  x` (same width); the marker as written is kept in `prepared.markers`."""
    match = _ODD_MARKER.match(line)
    if not match:
        return line
    width = len(match["marker"]) + 1 + len(match["space"])
    plain = match["number"] + "."
    # More than 4 spaces after a marker would start an indented code block.
    spaces = min(max(width - len(plain), 1), 4)
    prepared.markers[len(prepared.lines)] = match["marker"]
    prepared.written[len(prepared.lines)] = line
    prepared.warnings.append(
        f"line {number}: numbering {match['marker']}. is not Markdown; read as marker "
        f"{match['marker']}"
    )
    return match["indent"] + plain + " " * spaces + line[match.end() :]
