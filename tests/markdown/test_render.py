"""render_markdown: the seed's layout, and text that reads back as itself."""

import pytest

from resources.markdown.document import Document, Entry, Link, Section
from resources.markdown.parse import parse_markdown
from resources.markdown.render import render_markdown


def one_entry(entry: Entry) -> Document:
    return Document(title="T", sections=[Section(title="S", level=2, entries=[entry])])


def reparsed(entry: Entry) -> Entry:
    [back] = parse_markdown(render_markdown(one_entry(entry))).sections[0].entries
    return back


def test_seed_layout():
    document = Document(
        title="Deep Learning Theory",
        intro="整理了一些深度学习的理论相关内容，持续更新。",
        sections=[
            Section(
                title="Approximation",
                level=2,
                entries=[
                    Entry(
                        title="NN Approximation Theory",
                        url="",
                        marker="6",
                        children=[
                            Entry(
                                title="Universal approximation theorem",
                                url="https://en.wikipedia.org/wiki/Universal_approximation_theorem",
                                marker="6.0",
                                description="NN逼近从这里开始(1991)",
                            ),
                            Entry(
                                title="Depth", url="https://arxiv.org/abs/1702.08489", marker="6.2"
                            ),
                        ],
                    )
                ],
            ),
            Section(
                title="Course",
                level=2,
                intro="Lectures.",
                entries=[
                    Entry(
                        title="On the Principles",
                        url="https://arxiv.org/abs/2207.04630",
                        marker="2",
                        featured=True,
                        description="(2022.7.马毅、沈向洋、曹颖)\n+ 2.1 a note",
                    ),
                    Entry(
                        title="Lecture note", url="https://mjt.cs.illinois.edu/dlt/", marker="2+"
                    ),
                    Entry(
                        title="Sphere Packing in Lean", url="https://github.com/x", featured=True
                    ),
                ],
                children=[Section(title="Lean / Formalization", level=3)],
            ),
        ],
    )
    assert render_markdown(document) == (
        "# Deep Learning Theory\n"
        "整理了一些深度学习的理论相关内容，持续更新。\n"
        "\n"
        "## Approximation\n"
        "6. NN Approximation Theory\n"
        "    + 6.0 [Universal approximation theorem]"
        "(https://en.wikipedia.org/wiki/Universal_approximation_theorem)NN逼近从这里开始(1991)\n"
        "    + 6.2 [Depth](https://arxiv.org/abs/1702.08489)\n"
        "\n"
        "## Course\n"
        "Lectures.\n"
        "\n"
        "2. 🔥 [On the Principles](https://arxiv.org/abs/2207.04630)(2022.7.马毅、沈向洋、曹颖)\n"
        "   + 2.1 a note\n"
        "2+. [Lecture note](https://mjt.cs.illinois.edu/dlt/)\n"
        "\n"
        "- 🔥 [Sphere Packing in Lean](https://github.com/x)\n"
        "\n"
        "### Lean / Formalization\n"
    )


def test_output_is_deterministic_and_ends_with_one_newline(seed):
    first = render_markdown(seed)
    assert first == render_markdown(seed)
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert render_markdown(Document(title="")) == "\n"


def test_empty_title_is_kept_in_front_of_h1_sections():
    document = Document(title="", sections=[Section(title="A", level=1)])
    assert render_markdown(document) == "#\n\n# A\n"
    back = parse_markdown(render_markdown(document))
    assert back.title == "" and [s.title for s in back.sections] == ["A"]


def test_numbered_and_bulleted_entries_are_kept_apart():
    document = one_entry(Entry(title="a", url="http://a.org"))
    document.sections[0].entries.append(Entry(title="b", url="http://b.org", marker="3"))
    text = render_markdown(document)
    assert "- [a](http://a.org)\n\n3. [b](http://b.org)\n" in text
    assert [(e.title, e.marker) for e in parse_markdown(text).sections[0].entries] == [
        ("a", ""),
        ("b", "3"),
    ]


@pytest.mark.parametrize(
    "title",
    [
        "a*b*c",
        "[brackets] and ] alone [",
        "x_y_",
        "`code`",
        "<tag> & &amp;",
        "back\\slash\\",
        "![not an image](x)",
        "ends with #",
        "Cybenko’s Theorem",
    ],
)
def test_titles_read_back_as_written(title):
    assert reparsed(Entry(title=title, url="http://x.org")).title == title
    document = Document(title=title, sections=[Section(title=title, level=2)])
    back = parse_markdown(render_markdown(document))
    assert (back.title, back.sections[0].title) == (title, title)


@pytest.mark.parametrize(
    ("title", "marker"),
    [
        ("1. Not a list", ""),
        ("- dash", "7"),
        ("2021 papers", ""),
        ("2021 papers", "7.1"),
        ("🔥 not featured", ""),
        ("# not a heading", ""),
        ("> not a quote", "3"),
    ],
)
def test_titles_of_entries_without_url_read_back(title, marker):
    entry = Entry(
        title=title, url="", marker=marker, children=[Entry(title="c", url="http://c.org")]
    )
    back = reparsed(entry)
    assert (back.title, back.marker, back.featured) == (title, marker, False)


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://x.org/a b",
        "https://x.org/a(b",
        "https://x.org/?a=1&copy=2",
        "https://zh.wikipedia.org/wiki/深度学习",
    ],
)
def test_urls_read_back_as_written(url):
    assert reparsed(Entry(title="t", url=url)).url == url


def test_balanced_parentheses_stay_plain():
    text = render_markdown(one_entry(Entry(title="t", url="https://x.org/Foo_(bar)")))
    assert "[t](https://x.org/Foo_(bar))" in text


def test_entry_without_url_puts_its_description_below_the_title():
    entry = Entry(
        title="SGD",
        url="",
        marker="7",
        description="(2020) notes",
        children=[Entry(title="c", url="http://c.org", marker="7.1")],
    )
    text = render_markdown(one_entry(entry))
    assert "7. SGD\n\n   (2020) notes\n    + 7.1 [c](http://c.org)\n" in text
    back = reparsed(entry)
    assert (back.title, back.description, len(back.children)) == ("SGD", "\n\n(2020) notes", 1)


def test_children_next_to_notes_stay_children():
    # The description ends with "+" notes: bare-link children must not join that list
    # (they would become notes), nor nest inside its last item.
    entry = Entry(
        title="A",
        url="http://a.org",
        description="\n+ first note\n+ second note",
        children=[Entry(title="bare", url="http://bare.org")],
    )
    text = render_markdown(one_entry(entry))
    assert (
        "- [A](http://a.org)\n  + first note\n  + second note\n  - [bare](http://bare.org)\n"
        in (text)
    )
    back = reparsed(entry)
    assert [c.title for c in back.children] == ["bare"]
    assert back.description == entry.description


def test_children_after_an_unclosed_fence_are_not_swallowed():
    entry = Entry(
        title="A",
        url="http://a.org",
        description="\n\n```\ncode",
        children=[Entry(title="c", url="http://c.org")],
    )
    back = reparsed(entry)
    assert [c.title for c in back.children] == ["c"]
    assert back.description == "\n\n```\ncode\n```"


def test_invalid_marker_is_dropped():
    text = render_markdown(one_entry(Entry(title="t", url="http://x.org", marker="a")))
    assert "\n- [t](http://x.org)\n" in text


def test_links_are_not_rendered_twice():
    entry = Entry(
        title="t",
        url="http://x.org",
        description=" see [code](http://code.org)",
        links=[Link(label="code", url="http://code.org")],
    )
    text = render_markdown(one_entry(entry))
    assert text.count("http://code.org") == 1
    assert reparsed(entry).links == entry.links
