"""How long parsing a big list takes (a quick check, not a test; run it by hand).

    .venv/bin/python -m tests.markdown.bench_parse [ENTRIES]

Builds a list of ENTRIES entries (default 10,000) shaped like the seed (numbered and bulleted
entries, 🔥, Chinese and English descriptions with years, secondary links, nested notes, entries
without URL with children, 40 sections with sub-sections), renders it and times
`parse_markdown` on the result.
"""

from __future__ import annotations

import random
import sys
import time

from resources.markdown.document import Document, Entry, Section, all_entries
from resources.markdown.parse import parse_markdown
from resources.markdown.render import render_markdown

_WORDS = "deep learning theory 深度 学习 理论 优化 泛化 逼近 network kernel flat minima"
WORDS = _WORDS.split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _entry(rng: random.Random, number: int) -> Entry:
    description = f"({rng.randint(1990, 2026)}){_text(rng, 12)}"
    if number % 3 == 0:
        description += f" [code](https://github.com/example/repo{number})"
    if number % 7 == 0:
        description += "\n\n" + "\n".join(f"+ {_text(rng, 6)}" for _ in range(3))
    return Entry(
        title=_text(rng, 6).capitalize(),
        url=f"https://arxiv.org/abs/2{number % 1000:03d}.{number:05d}",
        marker=str(number % 50 + 1) if number % 4 else "",
        featured=number % 17 == 0,
        description=description,
    )


def build(count: int, seed: int = 1) -> Document:
    """A document with `count` entries (children included)."""
    rng = random.Random(seed)
    sections = [Section(title=f"Section {i}", level=2, intro=_text(rng, 20)) for i in range(40)]
    for section in sections[::4]:
        section.children.append(Section(title=f"{section.title}.1", level=3))
    targets = [s for section in sections for s in (section, *section.children)]
    made = 0
    while made < count:
        entry = _entry(rng, made)
        made += 1
        if made % 25 == 0 and made + 3 <= count:
            entry.url, entry.description = "", ""
            entry.children = [_entry(rng, made + i) for i in range(3)]
            made += 3
        targets[made % len(targets)].entries.append(entry)
    return Document(title="Benchmark", intro=_text(rng, 30), sections=sections)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = render_markdown(build(count))
    started = time.perf_counter()
    document = parse_markdown(text)
    elapsed = time.perf_counter() - started
    parsed = sum(1 for _ in all_entries(document))
    print(f"{parsed} entries, {len(text) / 1e6:.2f} MB, {text.count(chr(10))} lines")
    print(f"parse_markdown: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
