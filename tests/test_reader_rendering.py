"""Readers' notes as HTML: mathematics in all four notations, and no script of any kind."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resources.rendering import render_markdown
from tests.factories import AnnotationFactory

# Known XSS payloads, written as a reader might paste them into a note's Markdown.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    '<svg onload="alert(1)"><circle r=1></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org "title" onmouseover=alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>',
    "<style>body{display:none}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<input autofocus onfocus="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<details open ontoggle="alert(1)">x</details>',
    '<marquee onstart="alert(1)">x</marquee>',
    "<!--<img src=x onerror=alert(1)>-->",
    "$<script>alert(1)</script>$",
    "$$<img src=x onerror=alert(1)>$$",
    "\\(<svg onload=alert(1)>\\)",
    "\\[</span><script>alert(1)</script>\\]",
    '`<script>alert(1)</script>` and <a href="java\nscript:alert(1)">x</a>',
    '<span class="math inline" onclick="alert(1)">\\(x\\)</span>',
    '<a href="#" id="x" class="evil" name="y" target="_top">x</a>',
]

# Anything here in the output is live: a tag that runs or restyles, a handler, a bad scheme.
FORBIDDEN = [
    re.compile(r"<\s*(script|style|iframe|object|embed|form|button|input|meta|link|base|svg|math|"
               r"details|marquee|body)\b", re.I),
    re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    re.compile(r"<[^>]*\sstyle\s*=", re.I),
    re.compile(r"<[^>]*\s(href|src|action|formaction|data|srcdoc)\s*=\s*[\"']?\s*"
               r"(javascript|vbscript|data):", re.I),
    re.compile(r"<[^>]*\s(id|name|target)\s*=", re.I),
]  # fmt: skip


def test_the_corpus_has_at_least_thirty_payloads():
    assert len(set(XSS_PAYLOADS)) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_rendering(payload):
    html = str(render_markdown(f"Before.\n\n{payload}\n\nAfter."))
    for pattern in FORBIDDEN:
        assert not pattern.search(html), f"{pattern.pattern!r} matched in {html!r}"
    assert "After." in html  # the rest of the note is still there


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS[:8])
def test_stored_note_html_is_the_sanitised_rendering(payload):
    note = AnnotationFactory(body=payload)
    assert note.body_html == str(render_markdown(payload))
    assert "<script" not in note.body_html.lower()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("$a^2$", r'<span class="math inline">\(a^2\)</span>'),
        ("so $$\\sum_i x_i$$ holds", r'<span class="math inline">\[\sum_i x_i\]</span>'),
        ("$$\nE = mc^2\n$$", '<div class="math block">\\[\nE = mc^2\n\\]</div>'),
        (r"\(x < y\)", r'<span class="math inline">\(x &lt; y\)</span>'),
        (r"\[\int_0^1 f\]", r'<span class="math inline">\[\int_0^1 f\]</span>'),
        ("泛化界 \\(O(1/n)\\) 成立", r'<span class="math inline">\(O(1/n)\)</span>'),
    ],
)
def test_math_in_every_notation_is_kept_as_tex_for_katex(source, expected):
    assert expected in str(render_markdown(source))


def test_markdown_inside_math_is_left_alone():
    html = str(render_markdown(r"\(a_1 * b_2 * c\) and *emphasis*"))
    assert r"\(a_1 * b_2 * c\)" in html
    assert "<em>emphasis</em>" in html


def test_an_escaped_backslash_is_not_math():
    html = str(render_markdown(r"a \\(literal\\) pair"))
    assert "math" not in html


def test_an_unclosed_delimiter_is_plain_text():
    html = str(render_markdown(r"\( never closed"))
    assert "math" not in html
    assert "never closed" in html


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("<>\"'=/\\$()[]`*_ aejsvcriptonlhf:&#;")), max_size=80)
)
def test_arbitrary_markup_never_yields_handlers_or_script(text):
    html = str(render_markdown(text))
    for pattern in FORBIDDEN[:4]:
        assert not pattern.search(html), html
