"""BibTeX of resources, for Zotero, JabRef and biblatex (UTF-8: biber reads Chinese as is)."""

from __future__ import annotations

from collections.abc import Iterable

from resources.citations.records import Record

# Characters BibTeX/LaTeX treat as commands or groups, written so they print as themselves.
SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
ESCAPE = str.maketrans(SPECIAL)
ENTRY_TYPES = {
    "journal": "article",
    "conference": "inproceedings",
    "book": "book",
    "preprint": "misc",
    "other": "misc",
}


def escape(text: str) -> str:
    return " ".join(text.split()).translate(ESCAPE)


def _url(url: str) -> str:
    # Read verbatim by the url package; only braces could unbalance the field.
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _name(name) -> str:
    if name.literal:
        # Braced: a Chinese or one-word name is one unit, not "Given Family".
        return "{" + escape(name.literal) + "}"
    return escape(name.inverted)


def fields(record: Record) -> list[tuple[str, str]]:
    """(field, value already escaped) pairs of one entry, in a conventional order."""
    resource = record.resource
    pairs: list[tuple[str, str]] = []
    if record.names:
        pairs.append(("author", " and ".join(_name(name) for name in record.names)))
    pairs.append(("title", escape(resource.title)))
    venue = escape(resource.venue)
    if venue:
        venue_field = {"journal": "journal", "conference": "booktitle", "book": "publisher"}
        pairs.append((venue_field.get(record.entry, "howpublished"), venue))
    elif record.entry == "other" and record.kind_label:
        pairs.append(("howpublished", escape(record.kind_label)))
    if resource.year:
        pairs.append(("year", str(resource.year)))
    if resource.published:
        pairs.append(("date", resource.published.isoformat()))
    if resource.doi:
        pairs.append(("doi", escape(resource.doi)))
    if resource.arxiv_id:
        pairs += [("eprint", escape(resource.arxiv_id)), ("archiveprefix", "arXiv")]
        if resource.arxiv_category:
            pairs.append(("primaryclass", escape(resource.arxiv_category)))
    if resource.url:
        pairs.append(("url", _url(resource.url)))
    if record.links:
        others = "; ".join(
            f"{escape(label or 'Link')}: \\url{{{_url(url)}}}" for label, url in record.links
        )
        pairs.append(("addendum", others))
    if resource.language == "zh":
        pairs.append(("langid", "chinese"))
    if record.tags:
        pairs.append(("keywords", escape(", ".join(record.tags))))
    if resource.abstract:
        pairs.append(("abstract", escape(resource.abstract)))
    if record.note:
        pairs.append(("note", escape(record.note)))
    return pairs


def entry(record: Record) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields(record))
    return f"@{ENTRY_TYPES[record.entry]}{{{record.key},\n{body}\n}}\n"


def render(records: Iterable[Record]) -> str:
    return "\n".join(entry(record) for record in records)
