"""Hypothesis strategies for `Document`s that Markdown can carry exactly.

Reusable by any test: `documents()` builds a whole list (sections with sub-sections, entries
with children, numbered and bulleted, featured or not, Chinese and English text, notes and
secondary links in descriptions); `document_shape(doc)` is what must survive
`parse_markdown(render_markdown(doc))`.

What "can carry" means is written down here, in the alphabets:

* Text uses letters, digits, common Han characters, a few accented Latin letters and plain
  punctuation. Markdown's active characters (backslash, backtick, `*`, `_`, brackets, `<`,
  `>`, `#`, `|`, `~`, `&`, `+`) are left out: the renderer escapes them, and test_render
  checks that escaped titles read back.
* Every text starts with a letter or Han character (a line starting with `1.`, `-` or `>`
  would be a different block) and has no leading or trailing spaces (Markdown drops them).
* Entries without a URL always have children (without them they are prose, not entries) and
  their description, if any, starts on a new line (the first line is the title).
"""

from __future__ import annotations

from hypothesis import strategies as st

from resources.markdown.document import Document, Entry, Section, all_entries
from resources.markdown.urls import normalize_url

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天深网络神经优梯逼近泛几何"
)
ACCENTED = "éèüçñßøåčćž’—–…"
PLAIN_PUNCTUATION = " ,.:;'?!/()-"
CJK_PUNCTUATION = "，。：；（）、？！“”"
DIGITS = "0123456789"

FIRST_CHARACTERS = LETTERS + HAN
TEXT_ALPHABET = LETTERS + HAN + ACCENTED + PLAIN_PUNCTUATION + CJK_PUNCTUATION + DIGITS
URL_PATH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_."


@st.composite
def texts(draw, max_size: int = 40) -> str:
    """One line of plain text from the alphabets above."""
    first = draw(st.sampled_from(FIRST_CHARACTERS))
    rest = draw(st.text(alphabet=TEXT_ALPHABET, max_size=max_size))
    return " ".join((first + rest).split())


@st.composite
def urls(draw) -> str:
    """http(s) URLs, some of them arXiv links and some with a Chinese path segment."""
    kind = draw(st.sampled_from(["plain", "plain", "arxiv", "query", "han"]))
    if kind == "arxiv":
        month = draw(st.integers(min_value=1501, max_value=2612))
        return f"https://arxiv.org/abs/{month}.{draw(st.integers(10000, 99999))}"
    scheme = draw(st.sampled_from(["https", "https", "http"]))
    host = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
    tld = draw(st.sampled_from(["org", "com", "cn", "io", "net"]))
    path = draw(st.lists(st.text(URL_PATH_ALPHABET, min_size=1, max_size=10), max_size=3))
    url = f"{scheme}://{host}.{tld}/" + "/".join(path)
    if kind == "query":
        url += "?id=" + draw(st.text(alphabet=LETTERS + DIGITS, min_size=1, max_size=8))
    if kind == "han":
        url += "/" + draw(st.text(alphabet=HAN, min_size=1, max_size=4))
    return url


top_markers = st.sampled_from(["", "", "1", "2", "12", "2+", "6.0", "10"])
child_markers = st.sampled_from(["", "", "6.0", "7.1", "2+", "3"])


@st.composite
def descriptions(draw, *, first_line: bool = True) -> str:
    """The Markdown after an entry's link: a line, notes, a secondary link, a paragraph."""
    first = ""
    if first_line and draw(st.booleans()):
        first = draw(st.sampled_from(["", " ", "(2021)", "(2022.7)"])) + draw(texts())
        if draw(st.booleans()):
            first += f" [{draw(texts(max_size=10))}]({draw(urls())})"
    blocks = []
    if draw(st.booleans()):
        notes = draw(st.lists(texts(), min_size=1, max_size=3))
        if draw(st.booleans()):
            blocks.append("\n".join(f"+ {note}" for note in notes))
        else:
            blocks.append("\n".join(f"{i}. {note}" for i, note in enumerate(notes, 1)))
    if draw(st.booleans()):
        blocks.append(draw(texts()))
    if not blocks:
        return first
    separator = draw(st.sampled_from(["\n", "\n\n"])) if first_line else "\n\n"
    return first + separator + "\n\n".join(blocks)


@st.composite
def entries(draw, depth: int = 0, *, top: bool = True) -> Entry:
    """An entry; at depth < 2 it may have children (entries without URL always do)."""
    has_url = depth >= 2 or draw(st.integers(0, 4)) > 0
    children = []
    if depth < 2 and (not has_url or draw(st.integers(0, 3)) == 0):
        children = draw(st.lists(entries(depth + 1, top=False), min_size=1, max_size=3))
    return Entry(
        title=draw(texts()),
        url=draw(urls()) if has_url else "",
        marker=draw(top_markers if top else child_markers),
        featured=draw(st.booleans()),
        description=draw(descriptions(first_line=has_url)),
        children=children,
    )


@st.composite
def sections(draw, level: int = 2) -> Section:
    children = []
    if level < 4:
        children = draw(st.lists(sections(level + 1), max_size=2))
    intro = draw(st.sampled_from(["", "", "one", "two"]))
    if intro:
        intro = "\n\n".join(
            draw(st.lists(texts(), min_size=1, max_size=1 if intro == "one" else 2))
        )
    return Section(
        title=draw(texts()),
        level=level,
        intro=intro,
        entries=draw(st.lists(entries(), max_size=4)),
        children=children,
    )


@st.composite
def documents(draw, *, unique_urls: bool = True) -> Document:
    """A whole list. URLs are unique (by `normalize_url`) unless `unique_urls=False`:
    a list naming one work twice is legal, but an importer merges the two entries."""
    document = Document(
        title=draw(texts()),
        intro=draw(st.one_of(st.just(""), texts())),
        sections=draw(st.lists(sections(), max_size=3)),
        entries=draw(st.one_of(st.just([]), st.lists(entries(), min_size=1, max_size=2))),
    )
    if unique_urls:
        _make_urls_unique(document)
    return document


def _make_urls_unique(document: Document) -> None:
    seen: set[str] = set()
    for number, entry in enumerate(all_entries(document)):
        if entry.url and normalize_url(entry.url) in seen:
            entry.url = f"{entry.url.rstrip('/')}/again{number}"
        seen.add(normalize_url(entry.url))


def entry_shape(entry: Entry) -> tuple:
    """What of an entry survives a round trip exactly."""
    return (
        entry.title,
        entry.url,
        entry.marker,
        entry.featured,
        entry.description,
        tuple(entry_shape(child) for child in entry.children),
    )


def section_shape(section: Section) -> tuple:
    return (
        section.title,
        section.level,
        section.intro,
        tuple(entry_shape(entry) for entry in section.entries),
        tuple(section_shape(child) for child in section.children),
    )


def document_shape(document: Document) -> tuple:
    """Title, intro, sections and entries: everything a round trip must keep."""
    return (
        document.title,
        document.intro,
        tuple(entry_shape(entry) for entry in document.entries),
        tuple(section_shape(section) for section in document.sections),
    )


# Arbitrary awesome-list-like Markdown, for "whatever parse_markdown makes, render keeps". ---

_INDENTS = ["", "", "", " ", "  ", "   ", "    ", "     ", "      ", "        "]
_LINE_STARTS = [
    *["", "", "- ", "+ ", "* ", "1. ", "2. ", "3) ", "2+. ", "6.0. ", "# ", "## ", "### "],
    *["> ", "```", "~~~", "<!-- ", "<div>", "[x]: http://ref.org", "=======", "---"],
    *["<<<<<<< HEAD", ">>>>>>> abc", "🔥 ", "6.0 ", "|"],
]
_PIECES = [
    *["[t](http://a.org/x)", "[u](https://b.org/y )", "[[pdf](http://p.org/1.pdf)]"],
    *["[v]((https://c.org/z))", "<https://d.org>", "https://e.org/f 。", "(2021)"],
    *["(2022.7.马毅、沈向洋)", "In *ICLR 2019*.", "text", "中文", "*em*", "`code`"],
    *["![img](i.png)", "[![b](https://img.shields.io/x.svg)](https://s.org)", "\\[", "&amp;"],
    *["[x]", "[t](https://minerva-demo.", "github.io/a)", "Title.", " ", "  ", "\t", "#"],
    *["**b**", "🔥", "1.", "等", "-->"],
]


@st.composite
def markdown_lines(draw) -> str:
    indent = draw(st.sampled_from(_INDENTS))
    start = draw(st.sampled_from(_LINE_STARTS))
    return indent + start + "".join(draw(st.lists(st.sampled_from(_PIECES), max_size=4)))


def markdown_texts(max_lines: int = 25):
    """Lines of list-like Markdown and the quirks of real lists, in any combination."""
    return st.lists(markdown_lines(), max_size=max_lines).map("\n".join)
