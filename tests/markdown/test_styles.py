"""Entry styles of real lists, one small example each (the corpus has the real lists)."""

from resources.markdown.document import Link, all_entries
from resources.markdown.hints import hints_from_text
from resources.markdown.parse import parse_markdown
from resources.markdown.understanding import plan_topics, section_reports
from tests.markdown.test_roundtrip import assert_round_trip


def entries(text: str):
    return [(e.title, e.url) for e in all_entries(parse_markdown(text))]


def test_bold_title_with_the_link_after_it():
    text = "# T\n## S\n- **Distilling the knowledge** (2015), G. Hinton et al. [[pdf]](http://a.org/1)\n"
    [entry] = all_entries(parse_markdown(text))
    assert (entry.title, entry.url, entry.year) == (
        "Distilling the knowledge",
        "http://a.org/1",
        2015,
    )
    assert_round_trip(text)


def test_paragraph_entries_with_title_authors_venue_and_code_link():
    text = (
        "# T\n## S\n\n**Understanding Diffusion** \\\n*Calvin Luo, Yang Song* \\\n"
        "arXiv 2022. [[Paper](https://arxiv.org/abs/2208.11970)] [[Github](https://g.com/x)] \\\n"
        "25 Aug 2022\n"
    )
    [entry] = all_entries(parse_markdown(text))
    assert (entry.title, entry.url) == (
        "Understanding Diffusion",
        "https://arxiv.org/abs/2208.11970",
    )
    assert (entry.venue, entry.year, entry.authors) == ("arXiv", 2022, ["Calvin Luo", "Yang Song"])
    assert entry.links == [Link(label="Github", url="https://g.com/x")]
    assert_round_trip(text)


def test_a_bold_phrase_linking_elsewhere_is_prose():
    assert entries("# T\n## S\n**P.S., want more?** see 👉[`ml-surveys`](https://x.org)\n") == []


def test_text_title_before_a_generic_link_ends_at_the_year():
    text = "# T\n## S\n- Deep learning (Book, 2016), Goodfellow et al. [[html]](http://dl.org/)\n"
    [entry] = all_entries(parse_markdown(text))
    assert (entry.title, entry.url, entry.year) == ("Deep learning", "http://dl.org/", 2016)
    assert_round_trip(text)


def test_a_name_before_the_link_stays_in_the_description():
    text = "# T\n## S\n* 3D-GAN - [Learning Shapes](https://arxiv.org/abs/1) ([github](https://g.com/3))\n"
    [entry] = all_entries(parse_markdown(text))
    assert (entry.title, entry.url) == ("Learning Shapes", "https://arxiv.org/abs/1")
    assert "3D-GAN" in entry.description
    assert entry.links == [Link(label="github", url="https://g.com/3")]
    assert_round_trip(text)


def test_autolinks_bare_urls_and_reference_links_lead_entries():
    text = (
        "# T\n## S\n- 数据集仓库：<https://huggingface.co/datasets>\n"
        "- Paper list: https://example.org/papers\n"
        "- [Reference style][ref] - described\n\n[ref]: https://ref.org/x\n"
    )
    assert entries(text) == [
        ("数据集仓库", "https://huggingface.co/datasets"),
        ("Paper list", "https://example.org/papers"),
        ("Reference style", "https://ref.org/x"),
    ]
    assert_round_trip(text)


def test_heading_entries_with_text_before_the_link_and_headings_over_links():
    text = (
        "# T\n## Papers\n### Attention Is All You Need [pdf](https://arxiv.org/abs/1706.03762)\n"
        "## Benchmarks\n### 1. C-Eval\n\n中文评估套件。\n\n"
        "\\[[官方网站](https://cevalbenchmark.com/)]  \\[[Github](https://github.com/x/ceval)]\n"
    )
    assert entries(text) == [
        ("Attention Is All You Need", "https://arxiv.org/abs/1706.03762"),
        ("C-Eval", "https://cevalbenchmark.com/"),
    ]
    assert_round_trip(text)


def test_tables_of_papers_give_title_link_year_and_venue():
    text = (
        "# T\n## Models\n| 模型 | 时间 | 会议 | 下载 | 项目 |\n| --- | --- | --- | --- | --- |\n"
        "| Qwen | 2024-09 | ICLR | [🤗HF](https://hf.co/qwen) | [GitHub](https://g.com/qwen) |\n"
        "| Index | - | - | [more](docs/more.md) | - |\n"
    )
    [entry] = all_entries(parse_markdown(text))
    assert (entry.title, entry.url, entry.year, entry.venue) == (
        "Qwen",
        "https://hf.co/qwen",
        2024,
        "ICLR",
    )
    assert entry.links == [Link(label="GitHub", url="https://g.com/qwen")]
    [report] = section_reports(parse_markdown(text))
    assert report.unplaced == [6]  # the row that links only to a file of the list
    assert_round_trip(text)


def test_tocs_badges_comments_and_navigation_are_never_entries():
    text = (
        "# T [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
        "## Contents\n- [Papers](#papers)\n- [Contributing](contributing.md)\n"
        "## Papers\n<!-- - [hidden](https://hidden.org) -->\n- [Real](https://real.org)\n"
        "**[⬆ back to top](#contents)**\n"
    )
    assert entries(text) == [("Real", "https://real.org")]


def test_prose_sections_never_become_topics_and_their_sub_sections_move_up():
    document = parse_markdown(
        "# T\n## Background\nSee [other list](https://o.org).\n## Contents\n### Papers\n"
        "- [A](https://a.org)\n## Citing\n- [Our paper](https://cite.org)\n## 许可\nMIT\n"
        "## Introduction\n- [Intro course](https://i.org)\n"
    )
    topics = plan_topics(document.sections)
    assert [t.section.title for t in topics] == ["Papers", "Introduction"]
    became = {report.title: report.status for report in section_reports(document)}
    assert became == {
        "Background": "prose",
        "Contents": "prose",
        "Papers": "topic",
        "Citing": "prose",
        "许可": "prose",
        "Introduction": "topic",
    }


def test_venues_in_any_script_and_markup():
    assert hints_from_text("Some paper, NeurIPS'19, code") == (2019, "NeurIPS", [])
    assert hints_from_text("标题 【ICLR 2021】") == (2021, "ICLR", [])
    assert hints_from_text("Title (CVPR 2020)") == (2020, "CVPR", [])
    assert hints_from_text("Title. In *ICML 2017*.") == (2017, "ICML", [])
    assert hints_from_text("Airbnb 2018") == (2018, "", [])


def test_report_counts_unplaced_lines_and_secondary_links():
    document = parse_markdown(
        "# T\n## S\n- [A](https://a.org) ([code](https://c.org))\n"
        "- a long sentence that mentions [a site](https://s.org) in passing, not an entry\n"
    )
    [report] = section_reports(document)
    # The sentence is text after entry A, so it stays in A's description, links included.
    assert (report.entries, report.secondary_links, report.unplaced) == (1, 2, [4])


def test_favourite_marks_after_the_entry_are_a_field():
    text = "# T\n## S\n- [A](https://a.org) - good ⭐\n- [B](https://b.org) :fire:\n- [C](https://c.org)\n"
    document = parse_markdown(text)
    assert [(e.title, e.featured, e.description) for e in all_entries(document)] == [
        ("A", True, " - good"),
        ("B", True, ""),
        ("C", False, ""),
    ]
    assert_round_trip(text)
