"""Find and repair double-encoded text ("mojibake": UTF-8 bytes read as Windows-1252).

When UTF-8 text is decoded as Windows-1252 and saved again, every non-ASCII character
becomes two to four characters: a "lead" (`æ`, `ç`, `ð`…, bytes 0xC2–0xF4) followed by
"continuation" characters (`€`, `‰`, `¦`…, bytes 0x80–0xBF). 整 becomes `æ•´`.

Detection looks for such runs whose bytes decode to one valid UTF-8 character. Legitimate
text does not contain them: `é`, `’`, `—` or `Veličković` on their own never form one (a
lone lead, a lone continuation, or characters outside Windows-1252). One run is enough when
it stands for a Latin letter, punctuation or an emoji (`Ã©`, `â€™`, `ðŸ”¥`); a line needs two
when they stand for other characters, so that French `café »` (é, no-break space, ») is not
taken for a Chinese character in disguise.

Repair goes line by line, so one bad line cannot spoil the others. Only lines that hold
mojibake are touched (call it on a text `detect_double_encoding` flagged: there, every
non-ASCII character went through the same damage).

1. Each run of characters that map back to bytes 0x80–0xFF (through ftfy's sloppy
   Windows-1252 codec, plus the Windows-1254 letters `ğ Ğ ı İ ş Ş`, which some tools use for
   the same bytes) is turned back into bytes and decoded as UTF-8. This exact inverse shows
   whether bytes were lost: Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined
   and such bytes are usually dropped on the way (the seed also lost 0x8E, 0x9E and soft
   hyphens), taking their character with them. Several characters fit each gap, so it is
   marked with U+FFFD, never guessed.
2. A line that lost nothing is repaired by ftfy (`fix_encoding`, with only its encoding fixes
   switched on: no quote uncurling, width folding or normalisation, which would change
   legitimate text); should ftfy leave mojibake behind, the exact inverse is used instead.
   A line that lost bytes keeps the exact inverse: ftfy cannot rebuild lost bytes either,
   and what it makes of a damaged sequence is a guess (even a valid-looking wrong character).
3. Every line that ends up with a U+FFFD or leftover mojibake is reported with its number.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.bad_codecs  # noqa: F401 - registers the "sloppy-windows-1252" codec

_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
REPLACEMENT = "\ufffd"


def _byte_table() -> dict[str, int]:
    """Character → the byte 0x80–0xFF it stands for when UTF-8 was read as Windows-1252."""
    table = {bytes([b]).decode("sloppy-windows-1252"): b for b in range(0x80, 0x100)}
    for byte in (0xD0, 0xDD, 0xDE, 0xF0, 0xFD, 0xFE):  # Windows-1254's Turkish letters
        table.setdefault(bytes([byte]).decode("cp1254"), byte)
    return table


_BYTES = _byte_table()
_LEADS = "".join(re.escape(c) for c, b in _BYTES.items() if 0xC2 <= b <= 0xF4)
_CONTINUATIONS = "".join(re.escape(c) for c, b in _BYTES.items() if 0x80 <= b <= 0xBF)
# A lead and one to three continuations: a whole (or damaged) character in disguise.
_SEQUENCE = re.compile(f"[{_LEADS}][{_CONTINUATIONS}]{{1,3}}")
_RUN = re.compile(f"[{''.join(re.escape(c) for c in _BYTES)}]+")


def _decodes(chunk: str) -> str | None:
    """The character a mojibake sequence stands for, if its bytes form valid UTF-8."""
    data = bytes(_BYTES[c] for c in chunk)
    for size in range(len(data), 1, -1):
        try:
            return data[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _is_strong(char: str) -> bool:
    """Characters whose disguise legitimate text practically never contains."""
    code = ord(char)
    return code < 0x800 or 0x2000 <= code <= 0x206F or code >= 0x10000


def _first_mojibake(line: str) -> int | None:
    """0-based column where mojibake starts in a line, or None (rules: module docstring)."""
    found = [(m.start(), char) for m in _SEQUENCE.finditer(line) if (char := _decodes(m.group()))]
    if len(found) >= 2 or (found and _is_strong(found[0][1])):
        return found[0][0]
    return None


def detect_double_encoding(text: str) -> tuple[int, int] | None:
    """(line, column), both 1-based, where mojibake first appears; None for clean text."""
    for number, line in enumerate(text.split("\n"), 1):
        column = _first_mojibake(line)
        if column is not None:
            return number, column + 1
    return None


def _salvage(line: str) -> str:
    """Decode every run of byte-mapped characters as UTF-8; lost bytes become U+FFFD.

    Only for lines that hold mojibake: in a double-encoded text every non-ASCII character
    went through the same damage, so each run of such characters is UTF-8 in disguise.
    """

    def decode(match: re.Match[str]) -> str:
        return bytes(_BYTES[c] for c in match.group()).decode("utf-8", errors="replace")

    return _RUN.sub(decode, line)


def _repair_line(line: str) -> str:
    """ftfy where the line is intact mojibake; the exact inverse, marking losses, elsewhere."""
    if not _SEQUENCE.search(line):
        return line
    salvaged = _salvage(line)
    if REPLACEMENT in salvaged:
        # Bytes were lost: ftfy cannot rebuild them either, and what it would make of the
        # damaged sequences is a guess (even a valid-looking wrong character).
        return salvaged
    fixed = ftfy.fix_encoding(line, config=_ENCODING_ONLY)
    if REPLACEMENT in fixed or _SEQUENCE.search(fixed):
        return salvaged
    return fixed


def _columns(line: str, char: str) -> list[int]:
    return [index + 1 for index, found in enumerate(line) if found == char]


def repair_double_encoding(text: str) -> tuple[str, list[str]]:
    """Repair mojibake line by line; return the text and what could not be repaired."""
    problems: list[str] = []
    repaired: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        fixed = _repair_line(line)
        repaired.append(fixed)
        lost = _columns(fixed, REPLACEMENT)
        if len(lost) > line.count(REPLACEMENT):
            shown = ", ".join(map(str, lost[:10])) + (", …" if len(lost) > 10 else "")
            problems.append(
                f"line {number}: {len(lost)} character(s) lost in transit (bytes dropped), "
                f"marked U+FFFD at column(s) {shown}"
            )
        leftover = _SEQUENCE.search(fixed)
        if leftover:
            problems.append(
                f"line {number}, column {leftover.start() + 1}: leftover mojibake "
                f"{leftover.group()!r} could not be decoded"
            )
    return "\n".join(repaired), problems
