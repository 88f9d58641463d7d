"""Double-encoding (mojibake) detection and repair."""

import re

import pytest

from resources.markdown.encoding import detect_double_encoding, repair_double_encoding


def double_encode(text: str) -> str:
    """What the seed went through: UTF-8 read as Windows-1252, undefined bytes dropped."""
    return text.encode("utf-8").decode("cp1252", errors="ignore")


def test_detection_points_at_the_first_bad_line(as_delivered_text, seed_text):
    assert seed_text.split("\n")[0] == as_delivered_text.split("\n")[0]  # the ASCII title
    assert detect_double_encoding(as_delivered_text) == (2, 1)


def test_detection_column_is_where_mojibake_starts():
    text = "# Title\nplain line\nnumbers: " + double_encode("深度学习")
    assert detect_double_encoding(text) == (3, 10)


@pytest.mark.parametrize(
    "name",
    ["seed-README.md", "deeplearningtheory-2026-03.md", "deep-learning-dynamics-paper-list.md"],
)
def test_clean_lists_are_not_flagged(data_dir, name):
    assert detect_double_encoding((data_dir / name).read_text(encoding="utf-8")) is None


@pytest.mark.parametrize(
    "text",
    [
        "café, naïve, résumé",
        "it’s — obviously – fine…",
        "Petar Veličković, Joan Bruna",
        "« Le café » et le thé",
        "Ça coûte 5 €, Straße, Øresund, Ålesund",
        "Cybenko’s Theorem and the capabilityof a neural network",
        "深度学习理论 🔥 [On the Principles](https://arxiv.org/abs/2207.04630)",
    ],
)
def test_legitimate_text_is_not_flagged(text):
    assert detect_double_encoding(text) is None
    assert repair_double_encoding(text) == (text, [])


@pytest.mark.parametrize(
    "original", ["café", "it’s", "Veličković", "🔥 featured", "深度学习 and 优化器"]
)
def test_typical_mojibake_is_flagged(original):
    broken = double_encode(original)
    assert broken != original
    assert detect_double_encoding(broken) is not None


def test_intact_mojibake_is_repaired_exactly():
    original = "深度 it’s 🔥 café — Ćwikła"
    repaired, problems = repair_double_encoding(double_encode(original))
    assert repaired == original
    assert problems == []


def test_lost_bytes_are_marked_and_reported():
    # 理 is E7 90 86: 0x90 is undefined in Windows-1252 and was dropped.
    repaired, problems = repair_double_encoding("ok\n" + double_encode("理论"))
    assert repaired == "ok\n\ufffd论"
    assert len(problems) == 1
    assert problems[0].startswith("line 2: 1 character(s) lost")
    assert "column(s) 1" in problems[0]


def test_as_delivered_seed_is_mostly_restored_and_the_rest_reported(as_delivered_text, seed_text):
    repaired, problems = repair_double_encoding(as_delivered_text)
    got, want = repaired.split("\n"), seed_text.split("\n")
    assert len(got) == len(want)
    differing = {n for n, (a, b) in enumerate(zip(got, want, strict=True), 1) if a != b}
    restored = len(want) - len(differing)
    # 92 of the 183 lines come back exactly; the others lost bytes that cannot be rebuilt.
    assert restored >= 92
    reported = {int(re.match(r"line (\d+)", problem).group(1)) for problem in problems}
    assert reported == differing
    assert detect_double_encoding(repaired) is None
    for number in differing:
        # Each U+FFFD stands for exactly one lost character; everything else is right.
        pattern = "".join("." if c == "\ufffd" else re.escape(c) for c in got[number - 1])
        assert re.fullmatch(pattern, want[number - 1]), number


def test_repaired_seed_lines(as_delivered_text):
    lines = repair_double_encoding(as_delivered_text)[0].split("\n")
    assert lines[17].startswith("2. 🔥 [On the Principles of Parsimony")  # ðŸ”¥ read as ğŸ”¥
    assert (
        lines[22]
        == "2+. [2021 Deep learning theory lecture note](https://mjt.cs.illinois.edu/dlt/ )"
    )
    assert lines[44] == "    + 4.1 拟定课题"
    assert lines[174].startswith("1. [The Future of Mathematics？ ](https://www.bilibili.com/")
    # 等 is E7 AD 89 and lost its soft hyphen (0xAD) on the way.
    assert lines[69].startswith("    + 6.3 [赵拓\ufffd三篇](https://www.zhihu.com/")
    # 从多粒子动力学和梯度流的角度分析神经网络: 从 子 学 流 析 神 经 each lost a byte.
    assert (
        lines[54]
        == "        1. \ufffd多粒\ufffd动力\ufffd和梯度\ufffd的角度分\ufffd\ufffd\ufffd网络；"
    )
