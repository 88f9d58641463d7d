"""Inline-level reading: how an entry's first paragraph starts, and which links a text holds.

All Markdown goes through one markdown-it (CommonMark) instance whose link normaliser is the
identity, so link URLs come back as written (markdown-it would otherwise percent-encode them).

Rules for the start of an entry (the "lead"):

* An optional 🔥 (featured) and an optional marker (`6.0`, `2+`, `7`) may come first, in
  either order, separated by spaces. A marker is only read where the list itself gives none
  (bullet items, headings, paragraphs): in `3. 2021 papers` the marker is `3` and the title
  `2021 papers`.
* A link right after that makes a link-led entry: its text is the title, its URL the URL,
  and the source after it is the start of the description. A link whose text is an image
  (a badge) never leads an entry.
* "Text title" entries, as in paper lists: `Title. In *COLT 2016*. [[pdf](url)]`: the first
  link of the paragraph has a generic label (pdf, paper, arXiv, code, …). The title is the
  text before it, up to `. In *` (the venue clause) or without trailing punctuation; the URL is
  the generic link's; the rest (`. In *COLT 2016*. [[pdf](url)]`) is the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token

from .document import Link

# Link texts that name a kind of file, not a work: "Title. [[pdf](url)]" is titled by its text.
_GENERIC_WORDS = (
    "pdf paper link arxiv code html url web website project page slides video doi openreview "
    "论文 链接 地址 原文 网页 代码"
)
GENERIC_LABELS = frozenset(_GENERIC_WORDS.split())
BADGE_HOSTS = ("shields.io", "badgen.net", "badge.fury.io", "travis-ci.org", "codecov.io")

_LEAD = re.compile(
    r"(?P<fire1>🔥\ufe0f?)?[ \t]*"
    r"(?:(?P<marker>\d{1,9}(?:\.\d+)*\+?)\.?[ \t]+)?"
    r"(?P<fire2>🔥\ufe0f?)?[ \t]*"
)
_FIRE_ONLY = re.compile(r"(?P<fire1>🔥\ufe0f?)?[ \t]*")
_VENUE_CLAUSE = re.compile(r"(?<=[.?!])\s+In\s+\*")
_TITLE_TRAILER = " \t.:：,，;；-–—"
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`，。、；：！？（）【】《》「」“”‘’]+")
_URL_TRAILER = ".,;:!?*_~'\""


def new_markdown() -> MarkdownIt:
    """A CommonMark parser that keeps link URLs exactly as written."""
    md = MarkdownIt("commonmark")
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    return md


MD = new_markdown()


@dataclass
class Lead:
    """How a paragraph starts: 🔥, marker and, for link-led and text-title paragraphs, the link."""

    featured: bool
    marker: str
    start: int  # source offset right after 🔥 and marker
    title: str | None = None  # None: the paragraph is not led by a link
    url: str = ""
    rest: str = ""  # source after the title (the start of the description)
    linked: bool = False  # the title is the text of a leading link
    rest_tokens: list[Token] = field(default_factory=list)  # inline tokens of the description


def plain_text(tokens: list[Token] | None) -> str:
    """The text a reader sees in inline tokens (markup, HTML and images dropped)."""
    parts: list[str] = []
    for token in tokens or []:
        if token.type in ("text", "code_inline", "text_special"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def inline_plain(source: str) -> str:
    """Plain text of a one-line Markdown inline source."""
    tokens = MD.parseInline(source)
    return plain_text(tokens[0].children if tokens else [])


def link_end(source: str, pos: int, env: dict) -> int | None:
    """End offset of the link starting at `pos` (markdown-it's own rule), or None."""
    state = StateInline(source, MD, env, [])
    state.pos = pos
    return state.pos if _link_rule(state, True) else None


_SIMPLE_LINK = re.compile(r"\[[^\[\]\\`<]*\]\([ \t]*(?P<url>[^\s()<>\\\"']*)[ \t]*\)")


def _simple_link_end(source: str, pos: int, href: str) -> int | None:
    """End of a plain `[text](url)` at `pos` without running the link rule (the common case).

    Only text and URLs without characters that could change how markdown-it reads them.
    """
    match = _SIMPLE_LINK.match(source, pos)
    if match and match.group("url") == href and "&" not in href:
        return match.end()
    return None


def first_link_start(source: str, env: dict) -> int | None:
    """Offset of the first `[` in `source` that opens a link, or None."""
    pos = source.find("[")
    while pos >= 0:
        escaped = len(source[:pos]) - len(source[:pos].rstrip("\\"))
        image = pos > 0 and source[pos - 1] == "!" and escaped == 0
        if escaped % 2 == 0 and not image and link_end(source, pos, env) is not None:
            return pos
        pos = source.find("[", pos + 1)
    return None


def _link_span(children: list[Token], start: int) -> int:
    """Index of the link_close matching the link_open at `start`."""
    depth = 0
    for index in range(start, len(children)):
        kind = children[index].type
        if kind == "link_open":
            depth += 1
        elif kind == "link_close":
            depth -= 1
            if depth == 0:
                return index
    return len(children) - 1


def _is_badge(label: list[Token], href: str) -> bool:
    """A link around an image, or to a badge service: decoration, not a resource."""
    if any(token.type == "image" for token in label):
        return True
    if not any(badge in href for badge in BADGE_HOSTS):
        return False
    try:
        host = (urlsplit(href).hostname or "").lower()
    except ValueError:
        return False
    return any(host == badge or host.endswith("." + badge) for badge in BADGE_HOSTS)


def _first_link(children: list[Token]) -> int | None:
    return next((i for i, token in enumerate(children) if token.type == "link_open"), None)


def read_lead(inline: Token, env: dict, *, allow_marker: bool) -> Lead:
    """Read 🔥, marker and leading link of a paragraph or heading (see the module docstring)."""
    source = inline.content
    match = (_LEAD if allow_marker else _FIRE_ONLY).match(source)
    groups = match.groupdict()
    lead = Lead(
        featured=bool(groups.get("fire1") or groups.get("fire2")),
        marker=groups.get("marker") or "",
        start=match.end(),
    )
    children = inline.children or []
    lead.rest_tokens = children
    index = _first_link(children)
    if index is None:
        return lead
    close = _link_span(children, index)
    label, href = children[index + 1 : close], str(children[index].attrs.get("href", ""))
    if _is_badge(label, href):
        return lead
    before = plain_text(children[:index])
    led = source.startswith("[", lead.start) and before.strip() == source[: lead.start].strip()
    end = _simple_link_end(source, lead.start, href) if led else None
    if led and end is None:
        end = link_end(source, lead.start, env)
    if end is not None:
        lead.title, lead.url, lead.rest = plain_text(label).strip(), href, source[end:]
        lead.linked, lead.rest_tokens = True, children[close + 1 :]
        return lead
    if plain_text(label).strip().casefold() in GENERIC_LABELS:
        _read_text_title(lead, source, env, href)
    return lead


def _read_text_title(lead: Lead, source: str, env: dict, href: str) -> None:
    """`Title. In *VENUE YEAR*. [[pdf](url)]`: title before the generic link, its URL."""
    start = first_link_start(source, env)
    if start is None or start <= lead.start:
        return
    prefix = source[lead.start : start].rstrip()
    if prefix.endswith("[") and not prefix.endswith("\\["):  # "[[pdf](url)]": outer bracket
        prefix = prefix[:-1].rstrip()
    venue = _VENUE_CLAUSE.search(prefix)
    # "Title. In *VENUE*" and "Title? In *VENUE*": the "?" belongs to the title, the "." not.
    title_source = prefix[: venue.start()].rstrip(".") if venue else prefix
    title_source = title_source.rstrip(_TITLE_TRAILER)
    if not title_source.strip():
        return
    lead.title = inline_plain(title_source).strip()
    lead.url = href
    lead.rest = source[lead.start + len(title_source) :]


def _bare_urls(text: str) -> list[str]:
    return [match.group().rstrip(_URL_TRAILER) for match in _BARE_URL.finditer(text)]


def links_in_inline(children: list[Token], found: list[Link]) -> None:
    """Append every link of one inline token list: inline, reference, autolink, bare URL."""
    index = 0
    while index < len(children):
        token = children[index]
        if token.type == "link_open":
            close = _link_span(children, index)
            label, href = children[index + 1 : close], str(token.attrs.get("href", ""))
            if not _is_badge(label, href):
                text = "" if token.markup == "autolink" else plain_text(label).strip()
                found.append(Link(label=text, url=href))
            index = close
        elif token.type == "text":
            found.extend(Link(label="", url=url) for url in _bare_urls(token.content))
        index += 1


def extract_links(markdown: str, env: dict | None = None) -> list[Link]:
    """Every link in a Markdown text, in order (code blocks, images and badges excluded).

    `env` may carry markdown-it's `references` of the whole document, for reference links.
    """
    if "[" not in markdown and "<" not in markdown and "://" not in markdown:
        return []
    local_env = {"references": dict((env or {}).get("references", {}))}
    found: list[Link] = []
    for token in MD.parse(markdown, local_env):
        if token.type == "inline":
            links_in_inline(token.children or [], found)
    return found
