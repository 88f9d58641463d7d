"""The import corpus: real lists in many styles, each with what a reader expects of it.

Figures per list (`score`): at least 95% of the expected entries right (title, URL, section,
year), no table-of-contents anchor, badge or prose link imported as an entry, no prose section
as a topic. The same figures are printed by
`python manage.py import_markdown LIST --dry-run --report --expect EXPECTED` (README).
"""

import json
from pathlib import Path

import pytest

from resources.markdown.parse import parse_markdown
from resources.markdown.scoring import imported_entries, score
from resources.markdown.understanding import plan_topics
from tests.markdown.test_roundtrip import assert_round_trip

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = sorted((CORPUS / "expected").glob("*.json"))


def load(path: Path) -> tuple[str, dict]:
    expected = json.loads(path.read_text(encoding="utf-8"))
    return (CORPUS / expected["source"]).read_text(encoding="utf-8"), expected


def test_the_corpus_has_ten_lists_besides_the_shared_three_each_with_expectations():
    lists = {path.name for path in CORPUS.glob("*.md")} - {"NOTICE.md"}
    assert len(lists) >= 13
    assert {json.loads(path.read_text(encoding="utf-8"))["source"] for path in EXPECTED} == lists
    notice = (CORPUS / "NOTICE.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in notice for name in lists)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda path: path.stem)
def test_each_list_imports_what_a_reader_expects(path):
    text, expected = load(path)
    assert len(expected["entries"]) >= 20
    result = score(parse_markdown(text), expected)
    assert result.percent >= 95, "\n".join(result.problems)
    assert result.navigation_entries == 0, "\n".join(result.problems)
    assert result.prose_topics == 0, "\n".join(result.problems)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda path: path.stem)
def test_no_topic_is_empty(path):
    text, _ = load(path)
    document = parse_markdown(text)
    stack = plan_topics(document.sections)
    while stack:
        topic = stack.pop()
        assert topic.section.entries or topic.children, topic.section.title
        stack.extend(topic.children)
    assert imported_entries(document)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda path: path.stem)
def test_each_list_round_trips(path):
    text, _ = load(path)
    assert_round_trip(text)
