"""Reading an uploaded or stored list as text before it is parsed and imported.

Curators (the admin's import page) and maintainers (`import_markdown`) reach this first.
"""

from __future__ import annotations

from resources.markdown.encoding import detect_double_encoding, repair_double_encoding


class ListEncodingError(ValueError):
    """The file is not text we can import as it stands; the message says why and where."""


def decode_list(raw: bytes, *, repair_encoding: bool = False) -> tuple[str, list[str]]:
    """The text of an uploaded or read list, and what a repair could not restore.

    UTF-8 with or without BOM, any line endings. A double-encoded file (UTF-8 read as
    Windows-1252 and saved again) is refused unless `repair_encoding` is set.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ListEncodingError(
            f"The file is not UTF-8 (invalid byte at line {line}). Save it as UTF-8 and retry."
        ) from error
    if "\x00" in text:
        raise ListEncodingError("The file contains NUL bytes; it is not a Markdown list.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    where = detect_double_encoding(text)
    if not where:
        return text, []
    if not repair_encoding:
        raise ListEncodingError(
            "The file looks double-encoded (UTF-8 read as Windows-1252 and saved again): "
            f"mojibake starts at line {where[0]}, column {where[1]}. Nothing was imported. "
            "Repair the encoding (--repair-encoding) to import what can be restored."
        )
    return repair_double_encoding(text)
