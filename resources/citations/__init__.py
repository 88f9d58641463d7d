"""Citations of resources in BibTeX, RIS and CSL-JSON, the formats reference managers import.

`citation_response(resources, fmt, filename)` is the download; `records.py` works out what
every format shares (entry type, names, keys); each format's module writes its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from resources.citations import bibtex, csljson, ris
from resources.citations.records import records

# An export is built in memory in one go; past this a view is refused, not cut short.
MAX_EXPORT = 10_000


class Format(NamedTuple):
    render: object
    content_type: str
    extension: str
    label: str


FORMATS = {
    "bibtex": Format(bibtex.render, "application/x-bibtex", "bib", "BibTeX"),
    "ris": Format(ris.render, "application/x-research-info-systems", "ris", "RIS"),
    "csljson": Format(
        csljson.render, "application/vnd.citationstyles.csl+json", "json", "CSL-JSON"
    ),
}


def citation_text(resources: Iterable, fmt: str, *, notes: Mapping[int, str] | None = None) -> str:
    """`resources` (from `records.cited(queryset)`) written in format `fmt`."""
    return FORMATS[fmt].render(records(resources, notes=notes))


def citation_response(
    resources: Iterable, fmt: str, filename: str, *, notes: Mapping[int, str] | None = None
) -> HttpResponse:
    """A UTF-8 download of `resources` in `fmt`, named `filename` plus the format's extension."""
    spec = FORMATS[fmt]
    response = HttpResponse(
        citation_text(resources, fmt, notes=notes).encode("utf-8"),
        content_type=f"{spec.content_type}; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{filename}.{spec.extension}"
    )
    return response
