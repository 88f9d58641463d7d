"""Headings that name a resource, with its links in the paragraph below:

    ### 1. C-Eval

    C-Eval 是一个全面的中文基础模型评估套件……

    \\[[官方网站](https://cevalbenchmark.com/)]   \\[[Github](https://github.com/SJTU-LIT/ceval)]

A heading with no entries and no sub-headings under it, whose text holds a paragraph made of
nothing but links naming kinds of pages (website, GitHub, paper, 官方网站, 论文, …), is an
entry of the section above it: the heading is its title (a leading `1.` its marker), the first
such link its URL, the text under the heading its description. Written back, it is a list
item with the same title, URL and description, which reads back the same.
"""

from __future__ import annotations

import re

from .document import Document, Entry, Section
from .inline import MD, extract_links, link_span, plain_text
from .lead import is_generic, usable

_MARKER = re.compile(r"^(?P<marker>\d{1,9}(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
_LINK_GLUE = re.compile(r"^[\s\[\]\\|/,，、·•]*$")  # what may stand between the links


def _links_paragraph_url(intro: str, env: dict) -> str:
    """The first link of the first paragraph made only of generic links, or ""."""
    for token in MD.parse(intro, {"references": dict(env.get("references", {}))}):
        if token.type != "inline":
            continue
        children = token.children or []
        index, first = 0, ""
        while index < len(children):
            child = children[index]
            if child.type == "link_open":
                close = link_span(children, index)
                label = plain_text(children[index + 1 : close]).strip(" []")
                if not (usable(children, index) and is_generic(label)):
                    break
                first = first or str(child.attrs.get("href", ""))
                index = close + 1
                continue
            if child.type not in ("text", "softbreak") or not _LINK_GLUE.match(child.content):
                break
            index += 1
        else:
            if first:
                return first
    return ""


def _as_entry(section: Section, env: dict) -> Entry | None:
    if section.entries or section.children or not section.intro:
        return None
    url = _links_paragraph_url(section.intro, env)
    if not url:
        return None
    match = _MARKER.match(section.title)
    title, marker = (match["title"], match["marker"]) if match else (section.title, "")
    entry = Entry(
        title=title, url=url, marker=marker, description="\n\n" + section.intro, line=section.line
    )
    entry.links = extract_links(section.intro, env)
    return entry


def _convert(sections: list[Section], parent_entries: list[Entry], env: dict) -> list[Section]:
    kept: list[Section] = []
    for section in sections:
        entry = _as_entry(section, env)
        if entry is None:
            section.children = _convert(section.children, section.entries, env)
            kept.append(section)
        else:
            parent_entries.append(entry)
    return kept


def link_headings_to_entries(document: Document, env: dict) -> None:
    """Turn headings that name a resource into entries (see the module docstring)."""
    document.sections = _convert(document.sections, document.entries, env)
