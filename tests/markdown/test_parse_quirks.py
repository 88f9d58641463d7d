"""parse_markdown on the quirks the real lists (and others) have, one small document each."""

from resources.markdown.document import Link, all_entries
from resources.markdown.parse import parse_markdown
from tests.markdown.helpers import section


def test_bom_crlf_and_tabs():
    document = parse_markdown(
        "\ufeff# T\r\n## S\r\n- [a](http://a.org)\r\n\t+ 1.1 [b](http://b.org)\r\n"
    )
    assert document.title == "T"
    [entry_a] = document.sections[0].entries
    assert [(c.title, c.marker) for c in entry_a.children] == [("b", "1.1")]


def test_heading_entries():
    document = parse_markdown(
        "# T\n## Papers\n#### 1. [First](http://a.org)\nWhy it matters.\n"
        "#### 2. 🔥 [Second](http://b.org) (2020)\n"
    )
    papers = document.sections[0]
    assert papers.children == []
    assert [(e.title, e.marker, e.featured) for e in papers.entries] == [
        ("First", "1", False),
        ("Second", "2", True),
    ]
    assert papers.entries[0].description == "\n\nWhy it matters."
    assert papers.entries[1].year == 2020


def test_reference_links_autolinks_and_bare_urls():
    document = parse_markdown(
        "# T\n## S\n- [A][a] see [B][b], <https://auto.org/x> and https://bare.org/y。\n\n"
        "[a]: http://a.org\n[b]: http://b.org\n"
    )
    [item] = document.sections[0].entries
    assert item.url == "http://a.org"
    assert item.links == [
        Link(label="B", url="http://b.org"),
        Link(label="", url="https://auto.org/x"),
        Link(label="", url="https://bare.org/y"),
    ]


def test_code_comments_and_badges_are_never_entries():
    document = parse_markdown(
        "# T\n[![build](https://img.shields.io/b.svg)](https://ci.org/p)\n"
        "## S\n```\n- [in fence](http://x.org)\n```\n\n    - [indented code](http://y.org)\n\n"
        "<!-- - [commented](http://z.org) -->\n"
        "- [![badge](https://img.shields.io/x.svg)](https://badge.org)\n"
    )
    assert list(all_entries(document)) == []
    assert "[![build]" in document.intro


def test_prose_items_and_bare_link_rule():
    document = parse_markdown(
        "# T\n## S\n- a note without link\n- [A](http://a.org)\n"
        "    1. first note\n    2. [only a link](http://note.org)\n"
        "- [B](http://b.org)\n    + [child one](http://c1.org)\n    + [child two](http://c2.org)\n"
        "- a later note\n"
    )
    s = document.sections[0]
    assert s.intro == "- a note without link"
    a, b = s.entries
    assert a.children == [] and a.links == [Link(label="only a link", url="http://note.org")]
    assert a.description == "\n  1. first note\n  2. [only a link](http://note.org)"
    assert [c.title for c in b.children] == ["child one", "child two"]
    assert b.description == "\n\n- a later note"


def test_item_without_link_needs_linked_children():
    document = parse_markdown(
        "# T\n## S\n7. SGD and friends\n    + [Nesterov](http://n.org)\n8. no link, no children\n"
    )
    [sgd] = document.sections[0].entries
    assert (sgd.title, sgd.url, sgd.marker) == ("SGD and friends", "", "7")
    assert sgd.description == "\n\n8. no link, no children"


def test_later_h1s_are_top_level_sections_and_levels_nest():
    document = parse_markdown("# Title\n# A\n### A.1\n## A.2\n#### A.2.1\n# B\n")
    shape = [
        (s.title, s.level, [(c.title, c.level) for c in s.children]) for s in document.sections
    ]
    assert shape == [("A", 1, [("A.1", 3), ("A.2", 2)]), ("B", 1, [])]
    assert section(document, "A.2").children[0].title == "A.2.1"


def test_duplicate_urls_across_sections_are_kept_and_reported():
    document = parse_markdown(
        "# T\n## One\n- [a](http://arxiv.org/abs/2012.10931v2)\n## Two\n"
        "- [b](https://arxiv.org/pdf/2012.10931.pdf)\n- [c](https://arxiv.org/abs/2012.10931)\n"
    )
    assert len(list(all_entries(document))) == 3
    assert document.warnings == [
        "http://arxiv.org/abs/2012.10931v2 listed 3 times (lines 3, 5 and 6)"
    ]


def test_merge_conflict_with_base_and_duplicates():
    document = parse_markdown(
        "# T\n## S\n<<<<<<< HEAD\n- [a](http://a.org) short\n- [b](http://b.org)\n"
        "||||||| base\n- [old](http://old.org)\n=======\n- [a](http://a.org/) longer text\n"
        "- [c](http://c.org)\n>>>>>>> feature\n"
    )
    assert [(e.title, e.description) for e in document.sections[0].entries] == [
        ("a", " longer text"),
        ("b", ""),
        ("c", ""),
    ]
    assert document.warnings == [
        "lines 3-11: unresolved merge conflict (HEAD vs feature); kept the entries of both "
        "sides; merged the entries on both sides (lines 4/9)"
    ]


def test_unclosed_conflict_marker_is_text():
    document = parse_markdown("# T\n## S\n<<<<<<< HEAD\n- [a](http://a.org)\n")
    assert document.sections[0].intro == "<<<<<<< HEAD"
    assert document.warnings[0].startswith("line 3: a merge-conflict marker without")


def test_line_numbers_follow_the_source_after_joins():
    document = parse_markdown(
        "# T\n## S\n1. [a](http://a.org) see [x](https://example.\norg/x)\n2. [b](http://b.org)\n"
    )
    a, b = document.sections[0].entries
    assert a.links == [Link(label="x", url="https://example.org/x")]
    assert (a.line, b.line) == (3, 5)


def test_materials_line_gives_secondary_links():
    document = parse_markdown(
        "# T\n## S\n- [Paper](https://arxiv.org/abs/2012.10931)\n"
        "  Materials: [pdf](https://arxiv.org/pdf/2012.10931v2.pdf), [code](https://github.com/a/b)\n"
    )
    [paper] = document.sections[0].entries
    # The pdf is the paper itself (same arXiv key): only the code is a secondary link.
    assert paper.links == [Link(label="code", url="https://github.com/a/b")]
    assert paper.description.startswith("\nMaterials: [pdf]")
