"""Markdown to safe HTML for descriptions and readers' notes.

Everything user- or curator-written goes through `render_markdown`: markdown-it renders it and
nh3 (a Rust sanitiser, thread-safe) removes anything that could run script or restyle the page.
Each thread keeps its own MarkdownIt instance: nothing shared and mutable lives at module level,
because a parser shared across the threads of a threaded server corrupts its state.
"""

from __future__ import annotations

import re
import threading
from html import unescape as html_unescape

import nh3
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Classes are allowed per tag here, never as a free attribute (ammonia requires one or other).
ALLOWED_CLASSES = {
    "span": {"math", "inline"},
    "div": {"math", "block"},
    "code": {"language-python", "language-text"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# The seed list refers to its image relative to the README; the library ships it as static.
# `![alt](./imgs/name.png)` or `[text](imgs/name.png)`: the bang, the text, the file name.
LIST_IMAGE = re.compile(r"(!?)\[([^\]\n]*)\]\((?:\./)?imgs/([\w.-]+)\)")

_local = threading.local()


def _parser() -> MarkdownIt:
    md = getattr(_local, "md", None)
    if md is None:
        md = (
            MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
            .enable("linkify")
            .enable("table")
            .enable("strikethrough")
            .use(dollarmath_plugin, allow_space=True, double_inline=True)
        )
        # Math is left as TeX source for KaTeX in the browser; without JavaScript the reader
        # still sees the formula as written.
        md.add_render_rule("math_inline", _math_inline)
        md.add_render_rule("math_block", _math_block)
        # Readers also write LaTeX's own delimiters, \(…\) and \[…\]; without this rule
        # Markdown would read "\(" as an escaped parenthesis and drop the backslash.
        md.inline.ruler.before("escape", "math_tex_delimiters", _tex_delimited_math)
        md.add_render_rule("math_inline_double", _math_display_inline)
        md.add_render_rule("math_block_label", _math_block)
        _local.md = md
    return md


# Math is written out by templates (autoescaped), as TeX source between its delimiters.
MATH_TEMPLATES = {
    "inline": "resources/includes/math/_inline.html",
    "block": "resources/includes/math/_block.html",
    # Display maths written inside a paragraph stays a span: a div may not sit inside a <p>.
    "display_inline": "resources/includes/math/_display_inline.html",
}


def _math(kind: str):
    def render(self, tokens, idx, options, env) -> str:
        return render_to_string(MATH_TEMPLATES[kind], {"tex": tokens[idx].content})

    return render


_math_inline, _math_block, _math_display_inline = (
    _math("inline"),
    _math("block"),
    _math("display_inline"),
)


TEX_DELIMITERS = {"(": ("\\)", "math_inline"), "[": ("\\]", "math_inline_double")}


def _tex_delimited_math(state, silent: bool) -> bool:
    """Inline rule: \\(…\\) is inline maths, \\[…\\] display maths, both within a paragraph."""
    src, start = state.src, state.pos
    if src[start] != "\\" or start + 1 >= state.posMax or src[start + 1] not in TEX_DELIMITERS:
        return False
    closer, token_type = TEX_DELIMITERS[src[start + 1]]
    end = src.find(closer, start + 2, state.posMax)
    if end < 0 or not src[start + 2 : end].strip():
        return False
    if not silent:
        token = state.push(token_type, "math", 0)
        token.markup = src[start : start + 2]
        token.content = src[start + 2 : end]
    state.pos = end + len(closer)
    return True


# Block boundaries become spaces, so words of two paragraphs or cells never run together.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|blockquote|pre)>|<br\s*/?>")


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )


def shipped_image_url(name: str) -> str | None:
    """The static URL of `library/imgs/<name>`, or None when the library does not ship it
    (manifest storage raises for an unknown name, which would make the page a 500)."""
    path = f"library/imgs/{name}"
    if not finders.find(path):
        return None
    try:
        return static(path)
    except ValueError:  # collected without it: not in the manifest
        return None


def missing_list_images(text: str) -> list[str]:
    """The `imgs/…` files `text` refers to that the library does not ship."""
    return [m.group(3) for m in LIST_IMAGE.finditer(text) if shipped_image_url(m.group(3)) is None]


def _list_image(match: re.Match) -> str:
    bang, label, name = match.groups()
    url = shipped_image_url(name)
    if url is None:
        return label  # the image's alt text (or the link's text), as plain text
    return f"{bang}[{label}]({url})"


def render_markdown(text: str) -> SafeString:
    """Render Markdown written by a curator or reader to sanitised HTML."""
    if not text:
        return mark_safe("")
    text = LIST_IMAGE.sub(_list_image, text)
    return mark_safe(sanitize_html(_parser().render(text)))  # noqa: S308 - sanitised above


def markdown_to_text(text: str) -> str:
    """The words of a Markdown text, without its markup: for excerpts and page descriptions.

    Rendering first (rather than deleting punctuation) keeps a link's words and drops its
    address; mathematics stays TeX.
    """
    if not text:
        return ""
    html = _parser().render(text)
    html = BLOCK_END.sub(" ", html)
    return " ".join(html_unescape(strip_tags(html)).split())
