"""RIS of resources (Zotero, EndNote, Mendeley): one tagged line per field, UTF-8."""

from __future__ import annotations

from collections.abc import Iterable

from resources.citations.records import Record
from resources.models import Kind

TYPES = {"journal": "JOUR", "conference": "CPAPER", "book": "BOOK", "preprint": "UNPB"}
KIND_TYPES = {
    Kind.BLOG: "BLOG",
    Kind.VIDEO: "VIDEO",
    Kind.TALK: "VIDEO",
    Kind.CODE: "COMP",
    Kind.COURSE: "ELEC",
    Kind.WEBSITE: "ELEC",
    Kind.DISCUSSION: "ELEC",
    Kind.EVENT: "GEN",
    Kind.NOTES: "GEN",
    Kind.PAPER: "GEN",
}


def _line(tag: str, value: str) -> str:
    # A value is one line: a newline would start what a reader takes for a new tag.
    return f"{tag}  - {' '.join(str(value).split())}"


def lines(record: Record) -> list[str]:
    resource = record.resource
    kind = TYPES.get(record.entry) or KIND_TYPES.get(resource.kind, "GEN")
    out = [_line("TY", kind), _line("ID", record.key)]
    out += [_line("AU", name.inverted) for name in record.names]
    out.append(_line("TI", resource.title))
    if resource.venue:
        venue_tag = {"journal": "JO", "conference": "T2", "book": "PB"}.get(record.entry, "PB")
        out.append(_line(venue_tag, resource.venue))
    if resource.year:
        out.append(_line("PY", str(resource.year)))
    if resource.published:
        out.append(_line("DA", resource.published.strftime("%Y/%m/%d")))
    if resource.doi:
        out.append(_line("DO", resource.doi))
    if resource.url:
        out.append(_line("UR", resource.url))
    out += [_line("UR", url) for _label, url in record.links]
    out.append(_line("LA", resource.language))
    out += [_line("KW", tag) for tag in record.tags]
    if resource.abstract:
        out.append(_line("AB", resource.abstract))
    if resource.arxiv_id:
        out.append(_line("N1", f"arXiv: {resource.arxiv_id}"))
    if record.note:
        out.append(_line("N1", record.note))
    out.append("ER  - ")
    return out


def render(records: Iterable[Record]) -> str:
    # CRLF line ends, as the format's specification writes them.
    return "".join("\r\n".join(lines(record)) + "\r\n\r\n" for record in records)
