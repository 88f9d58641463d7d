"""Awesome lists in Markdown ⇄ a document tree. Pure Python: nothing here imports Django.

    from resources.markdown import parse_markdown, render_markdown

    document = parse_markdown(text)        # Document → Section → Entry → Link
    text = render_markdown(document)       # render(parse(render(d))) == render(d)

Modules: `document` (the dataclasses), `parse` (and `preprocess`, `inline`, `hints`, which it
uses), `render`, `urls` (URL keys: "one work, one resource"), `encoding` (mojibake).
Each module's docstring states its rules.
"""

from .document import Document, Entry, Link, Section, all_entries
from .encoding import detect_double_encoding, repair_double_encoding
from .hints import extract_hints
from .inline import extract_links
from .parse import parse_markdown
from .render import render_markdown
from .urls import arxiv_id, doi, normalize_url

__all__ = [
    "Document",
    "Entry",
    "Link",
    "Section",
    "all_entries",
    "arxiv_id",
    "detect_double_encoding",
    "doi",
    "extract_hints",
    "extract_links",
    "normalize_url",
    "parse_markdown",
    "render_markdown",
    "repair_double_encoding",
]
