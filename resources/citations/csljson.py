"""CSL-JSON of resources: the item format of citeproc processors and Zotero's own exchange."""

from __future__ import annotations

import json
from collections.abc import Iterable

from resources.citations.records import Record
from resources.models import Kind

TYPES = {
    "journal": "article-journal",
    "conference": "paper-conference",
    "book": "book",
    "preprint": "article",
}
KIND_TYPES = {
    Kind.BLOG: "post-weblog",
    Kind.VIDEO: "motion_picture",
    Kind.TALK: "speech",
    Kind.EVENT: "speech",
    Kind.CODE: "software",
    Kind.PAPER: "article",
}


def item(record: Record) -> dict:
    resource = record.resource
    data: dict = {
        "id": record.key,
        "type": TYPES.get(record.entry) or KIND_TYPES.get(resource.kind, "webpage"),
        "title": resource.title,
        "language": resource.language,
    }
    if record.names:
        data["author"] = [
            {"literal": name.literal}
            if name.literal
            else {"family": name.family, "given": name.given}
            for name in record.names
        ]
    if resource.published:
        date = resource.published
        data["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    elif resource.year:
        data["issued"] = {"date-parts": [[resource.year]]}
    if resource.venue:
        key = "publisher" if record.entry in ("book", "other") else "container-title"
        data[key] = resource.venue
    elif record.entry == "other" and record.kind_label:
        data["genre"] = record.kind_label
    if resource.url:
        data["URL"] = resource.url
    if resource.doi:
        data["DOI"] = resource.doi
    if resource.arxiv_id:
        data["number"] = f"arXiv:{resource.arxiv_id}"
    if resource.abstract:
        data["abstract"] = resource.abstract
    if record.tags:
        data["keyword"] = ", ".join(record.tags)
    notes = [record.note] if record.note else []
    notes += [f"{label or 'Link'}: {url}" for label, url in record.links]
    if notes:
        data["note"] = "\n".join(notes)
    return data


def render(records: Iterable[Record]) -> str:
    # Compact: indenting switches json to its pure-Python encoder, several times slower.
    return json.dumps([item(record) for record in records], ensure_ascii=False)
