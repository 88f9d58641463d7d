"""Inline-level reading: plain text, link spans and which links a text holds.

All Markdown goes through one markdown-it (CommonMark plus pipe tables) instance whose link
normaliser is the identity, so link URLs come back as written (markdown-it would otherwise
percent-encode them). How an entry's first paragraph starts is read in `lead`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token

from .document import Link

# Link texts that name a kind of file, not a work: "Title. [[pdf](url)]" is titled by its text.
_GENERIC_WORDS = (
    "pdf paper link arxiv code html url web website project page slides video doi openreview "
    "abs abstract blog post article book notes lecture lectures demo github notebook colab "
    "tutorial dataset hf 论文 链接 地址 原文 "
    "网页 代码 主页 项目 博客 视频 官方网站 官网 网站 下载"
)
GENERIC_LABELS = frozenset(_GENERIC_WORDS.split())
BADGE_HOSTS = ("shields.io", "badgen.net", "badge.fury.io", "travis-ci.org", "codecov.io")

BARE_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`，。、；：！？（）【】《》「」“”‘’]+")
URL_TRAILER = ".,;:!?*_~'\""


def new_markdown() -> MarkdownIt:
    """A CommonMark parser that keeps link URLs exactly as written."""
    md = MarkdownIt("commonmark").enable("table")
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    return md


MD = new_markdown()


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


def simple_link_end(source: str, pos: int, href: str) -> int | None:
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


def link_span(children: list[Token], start: int) -> int:
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


def is_badge(label: list[Token], href: str) -> bool:
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


def _bare_urls(text: str) -> list[str]:
    return [match.group().rstrip(URL_TRAILER) for match in BARE_URL.finditer(text)]


def links_in_inline(children: list[Token], found: list[Link]) -> None:
    """Append every link of one inline token list: inline, reference, autolink, bare URL."""
    index = 0
    while index < len(children):
        token = children[index]
        if token.type == "link_open":
            close = link_span(children, index)
            label, href = children[index + 1 : close], str(token.attrs.get("href", ""))
            if not is_badge(label, href) and not href.startswith("#"):
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
