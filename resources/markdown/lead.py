"""How an entry's first paragraph starts: its title, its primary link and where the rest begins.

Everything is read from markdown-it's inline tokens; the source is only sliced at offsets the
tokens (or markdown-it's own link rule) vouch for. An optional 🔥 (featured) and, where the
list gives none, a marker (`6.0`, `2+`, `7`) may come first; a 🔥, ⭐, 🌟, `:fire:` or
`:star:` ending the entry's first paragraph marks it featured too. Then, in this order:

* **link** — a link: `[Title](url) – description`, also wrapped in emphasis
  (`**[Title](url)**`). Its text is the title.
* **emphasis** — a bold or italic title followed, somewhere in the paragraph, by a link:
  `**Title** (2015), A. Author et al. [[pdf]](url)`, `**Title** \\ *Authors* \\ [[Paper](url)]`.
  The primary URL is the first link after the title (a code link only if there is no other).
  Outside list items the link must name a kind of file (`[Paper]`, `[pdf]`, `[Video]`…).
* **text** — plain text followed by a link with a generic label (pdf, paper, code, 论文, …):
  `Title. In *COLT 2016*. [[pdf](url)]`, `Title (2015), A. Author [[pdf]](url)`. The title
  ends at the venue clause (`. In *`), at a parenthesised year, at `, R. Author et al.`, or
  at the link.
* **named** — a short name, a separator, then a link: `3D-GAN - [Title](url)`. The link's
  text is the title; the name stays in the description (` — 3D-GAN`).
* **url** — text then an autolink or a bare URL: `Title: <https://…>`, `Title https://…`.

Links that are navigation or decoration never make an entry: links to `#anchors` (tables of
contents, "back to top"), links to files of the list's own repository (relative URLs),
links around images (badges) and links to badge services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it.token import Token

from .inline import (
    BARE_URL,
    GENERIC_LABELS,
    MD,
    URL_TRAILER,
    first_link_start,
    inline_plain,
    is_badge,
    link_end,
    link_span,
    plain_text,
    simple_link_end,
)

_LEAD = re.compile(
    r"(?P<fire1>🔥\ufe0f?)?[ \t]*"
    r"(?:(?P<marker>\d{1,9}(?:\.\d+)*\+?)\.?[ \t]+)?"
    r"(?P<fire2>🔥\ufe0f?)?[ \t]*"
)
_FIRE_ONLY = re.compile(r"(?P<fire1>🔥\ufe0f?)?[ \t]*")
_TRAILING_MARK = re.compile(r"[ \t]*(?:🔥\ufe0f?|⭐\ufe0f?|🌟|:fire:|:star:)[ \t]*$")
_VENUE_CLAUSE = re.compile(r"(?<=[.?!])\s+In\s+\*")
# "Title (2015), A. Author", "Title (Book, Jan 2017)": the title ends at the year's group.
_YEAR_GROUP = re.compile(r"\s*[(（][^()（）]{0,40}?(?:19|20)\d{2}[^()（）]{0,20}[)）]")
_TITLE_TRAILER = " \t.:：,，;；-–—|"
# "Title, R. Collobert et al.": a comma, initials and a surname end the title.
_AUTHOR_TAIL = re.compile(r",\s+(?:[A-Z]\.\s*)+[A-Z][\w'’-]+(?:\s+(?:et al|and)\b.*)?\.?\s*$")
_SHORTCODE = re.compile(r"^(?::[a-z0-9_+\-]+:\s*)+|(?:\s*:[a-z0-9_+\-]+:)+$")
_NAME_SEPARATOR = re.compile(r"\s+[-–—|:：]\s*$|\s*[:：]\s*$")
_CODE_LABELS = frozenset(["code", "github", "代码", "源码", "demo", "star", "stars"])
_MAX_NAME = 40  # a "named" entry's name is short: `3D-GAN - [Title](url)`
_MAX_URL_TITLE = 120


@dataclass
class Lead:
    """How a paragraph starts: 🔥, marker and, for an entry, its title, URL and remainder."""

    featured: bool
    marker: str
    start: int  # source offset right after 🔥 and marker
    title: str | None = None  # None: the paragraph does not start an entry
    url: str = ""
    rest: str = ""  # source after the title (the start of the description)
    kind: str = ""  # link, emphasis, text, named or url (see the module docstring)
    generic: bool = False  # the primary link's text names a kind of file (pdf, paper, code…)
    rest_tokens: list[Token] = field(default_factory=list)  # inline tokens of the description

    @property
    def linked(self) -> bool:
        """Strong enough to make a paragraph (not only a list item) an entry.

        A bold title only with a link to a kind of file (`**Title** … [[Paper](url)]`): a bold
        phrase that links on to something else (`**P.S.** see [ml-surveys](url)`) is prose.
        """
        return self.kind == "link" or self.kind == "emphasis" and self.generic


def is_navigation(href: str) -> bool:
    """A link to a place in the list itself or to a file beside it, not to a resource."""
    if href.startswith("#") or not href.strip():
        return True
    try:
        parts = urlsplit(href)
    except ValueError:
        return True
    if parts.scheme:
        return parts.scheme.lower() not in ("http", "https", "ftp")
    return not href.startswith("//")


def is_generic(label: str) -> bool:
    """A link text that names a kind of file, not a work: `pdf`, `Website-Part 1`, `论文`."""
    words = re.findall(r"[^\W\d_]+", label.casefold())
    return 0 < len(words) <= 3 and words[0] in GENERIC_LABELS or label.casefold() in GENERIC_LABELS


def usable(children: list[Token], index: int) -> bool:
    """Whether the link opening at `index` may be an entry's URL."""
    close = link_span(children, index)
    href = str(children[index].attrs.get("href", ""))
    return not is_badge(children[index + 1 : close], href) and not is_navigation(href)


def _label(children: list[Token], index: int) -> str:
    """A link's text, without the brackets of `[[pdf]](url)`."""
    return plain_text(children[index + 1 : link_span(children, index)]).strip(" []【】()")


def _links(children: list[Token], start: int = 0) -> list[int]:
    return [i for i in range(start, len(children)) if children[i].type == "link_open"]


def _primary(children: list[Token], start: int) -> int | None:
    """The link after `start` that stands for the work: the first, a code link only if alone."""
    found = [i for i in _links(children, start) if usable(children, i)]
    preferred = [i for i in found if _label(children, i).casefold() not in _CODE_LABELS]
    return (preferred or found or [None])[0]


def _href(children: list[Token], index: int) -> str:
    return str(children[index].attrs.get("href", ""))


def read_lead(inline: Token, env: dict, *, allow_marker: bool) -> Lead:
    """Read 🔥, marker and how the entry starts (see the module docstring)."""
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
    first = _first_content(children, source[: lead.start])
    if first is None:
        return lead
    token = children[first]
    if token.type == "link_open" and source.startswith("[", lead.start):
        _read_link(lead, source, env, children, first, lead.start)
    elif token.type in ("strong_open", "em_open") and source[lead.start : lead.start + 1] in "*_":
        _read_emphasis(lead, source, env, children, first)
    if lead.title is None:
        _read_text(lead, source, env, children)
    if lead.title is not None and (mark := _TRAILING_MARK.search(lead.rest)):
        # `[Title](url) 🔥`: a favourite mark after the entry is the same flag as before it.
        lead.featured = True
        _set_rest(lead, lead.rest[: mark.start()], env)
    return lead


def _first_content(children: list[Token], prefix: str) -> int | None:
    """Index of the first token after the 🔥/marker prefix (None if the prefix is not whole)."""
    seen = ""
    for index, token in enumerate(children):
        if token.type == "text" and prefix.strip().startswith((seen + token.content).strip()):
            seen += token.content
            if (seen.strip() == prefix.strip()) and token.content.strip():
                return index + 1 if index + 1 < len(children) else None
            continue
        return index if seen.strip() == prefix.strip() else None
    return None


def _read_link(
    lead: Lead, source: str, env: dict, children: list[Token], index: int, start: int
) -> bool:
    """A leading link at `start` in the source: title, URL and the remainder after it."""
    if not usable(children, index):
        return False
    href = _href(children, index)
    end = simple_link_end(source, start, href) or link_end(source, start, env)
    if end is None:
        return False
    close = link_span(children, index)
    lead.title, lead.url, lead.rest = plain_text(children[index + 1 : close]).strip(), href, ""
    lead.rest, lead.rest_tokens, lead.kind = source[end:], children[close + 1 :], "link"
    return True


def _emphasis_end(source: str, start: int, opener: Token, env: dict) -> int | None:
    """Offset right after the emphasis that opens at `start` (markdown-it decides)."""
    markup = opener.markup
    closing = opener.type.replace("_open", "_close")
    pos = source.find(markup, start + len(markup))
    while pos >= 0:
        end = pos + len(markup)
        parsed = MD.parseInline(source[start:end], env)[0].children or []
        tokens = [t for t in parsed if t.type != "text" or t.content]
        if tokens and tokens[0].type == opener.type and tokens[-1].type == closing:
            depth = 0
            for token in tokens[:-1]:
                depth += {opener.type: 1, closing: -1}.get(token.type, 0)
                if depth == 0:
                    break
            else:
                return end
        pos = source.find(markup, pos + 1)
    return None


def _read_emphasis(lead: Lead, source: str, env: dict, children: list[Token], index: int) -> None:
    opener = children[index]
    close = next(
        (
            i
            for i in range(index + 1, len(children))
            if children[i].type == opener.type.replace("_open", "_close")
            and children[i].level == opener.level
        ),
        None,
    )
    end = _emphasis_end(source, lead.start, opener, env)
    if close is None or end is None:
        return
    inner = children[index + 1 : close]
    inner_links = _links(inner)
    if inner_links:
        # `**[Title](url)**`: the link is the title, the emphasis only decoration.
        whole = inner_links[0] == 0 and link_span(children, index + 1) == close - 1
        start = lead.start + len(opener.markup)
        if whole and _read_link(lead, source, env, children, index + 1, start):
            lead.rest, lead.rest_tokens = source[end:], children[close + 1 :]
        return
    title = _SHORTCODE.sub("", plain_text(inner).strip()).rstrip(_TITLE_TRAILER).strip()
    primary = _primary(children, close + 1)
    if not title or primary is None or source[end:].lstrip().startswith((":", "：")):
        return
    lead.title, lead.url, lead.kind = title, _href(children, primary), "emphasis"
    lead.generic = is_generic(_label(children, primary))
    lead.rest, lead.rest_tokens = source[end:], children[close + 1 :]


def _read_text(lead: Lead, source: str, env: dict, children: list[Token]) -> None:
    """Entries whose title is text: generic-label links, short names, URLs after a title."""
    links = [i for i in _links(children) if usable(children, i)]
    if links:
        index = links[0]
        label = _label(children, index)
        if children[index].markup == "autolink":
            _read_url_title(lead, source, env, _href(children, index))
        elif is_generic(label):
            _read_text_title(lead, source, env, _href(children, index))
        else:
            _read_named(lead, source, env, children, index)
        return
    for token in children:
        if token.type == "text" and (found := BARE_URL.search(token.content)):
            _read_url_title(lead, source, env, found.group().rstrip(URL_TRAILER))
            return
        if token.type not in ("text", "softbreak"):
            return


def _read_text_title(lead: Lead, source: str, env: dict, href: str) -> None:
    """`Title. In *VENUE YEAR*. [[pdf](url)]`: title before the generic link, its URL."""
    start = first_link_start(source, env)
    if start is None or start <= lead.start:
        return
    prefix = source[lead.start : start].rstrip()
    if prefix.endswith("[") and not prefix.endswith("\\["):  # "[[pdf](url)]": outer bracket
        prefix = prefix[:-1].rstrip()
    venue = _VENUE_CLAUSE.search(prefix)
    year = _YEAR_GROUP.search(prefix)
    # "Title. In *VENUE*" and "Title? In *VENUE*": the "?" belongs to the title, the "." not.
    if venue:
        title_source = prefix[: venue.start()].rstrip(".")
    elif year and year.start() > 0:
        title_source = prefix[: year.start()]
    elif (authors := _AUTHOR_TAIL.search(prefix)) and authors.start() > 0:
        title_source = prefix[: authors.start()]
    else:
        title_source = prefix
    title_source = title_source.rstrip(_TITLE_TRAILER)
    if not title_source.strip():
        return
    lead.title = inline_plain(title_source).strip()
    lead.url, lead.kind = href, "text"
    _set_rest(lead, source[lead.start + len(title_source) :], env)


def _read_named(lead: Lead, source: str, env: dict, children: list[Token], index: int) -> None:
    """`3D-GAN - [Title](url) …`: a short name before the link; the link's text is the title."""
    start = first_link_start(source, env)
    if start is None or start <= lead.start:
        return
    name = source[lead.start : start]
    # `🤗[HuggingFace](url)`: an emoji before the link decorates it; it names nothing.
    decoration = bool(name.strip()) and not re.search(r"[\w\[\]\\()]", name)
    if len(name) > _MAX_NAME or "\n" in name:
        return
    if not decoration and not _NAME_SEPARATOR.search(name):
        return
    if not _read_link(lead, source, env, children, index, start):
        return
    if decoration:
        return
    plain = inline_plain(name).strip().rstrip(_TITLE_TRAILER).strip()
    lead.kind = "named"
    if plain:
        _set_rest(lead, f" — {plain}{lead.rest}", env)


def _read_url_title(lead: Lead, source: str, env: dict, url: str) -> None:
    """`Title: <https://…>` or `Title https://…`: the text before the URL is the title."""
    at = source.find(url, lead.start)
    if at < 0:
        return
    opening = at - 1 if at > 0 and source[at - 1] == "<" else at
    closed = opening < at and source[at + len(url) : at + len(url) + 1] == ">"
    end = at + len(url) + (1 if closed else 0)
    prefix = source[lead.start : opening]
    if len(prefix) > _MAX_URL_TITLE or "\n" in prefix.strip() or "[" in prefix:
        return
    # "Title: https://…", "https://…" or "Title https://…" ending the line; not prose around it.
    ends_line = not source[end:].split("\n", 1)[0].strip()
    if prefix.strip() and not _NAME_SEPARATOR.search(prefix) and not ends_line:
        return
    title = inline_plain(prefix).strip().rstrip(_TITLE_TRAILER).strip()
    lead.title, lead.url, lead.kind = title or url, url, "url"
    _set_rest(lead, source[end:], env)


def _set_rest(lead: Lead, rest: str, env: dict) -> None:
    """The remainder and its tokens, as they will read once the entry is written link-first."""
    lead.rest = rest
    lead.rest_tokens = (MD.parseInline(rest, env)[0].children or []) if rest.strip() else []
