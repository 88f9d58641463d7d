"""The Markdown sanitiser is safe to call from many threads at once (threaded servers)."""

import random
import re
from concurrent.futures import ThreadPoolExecutor

from resources.rendering import render_markdown

PIECES = [
    "# Heading {n}\n\nSome *emphasis* and **strong** text about NTK {n}.",
    "- item one\n- item [two](https://arxiv.org/abs/2001.{n:05d})\n  - nested <b>bold</b>",
    "Inline math $\\sum_{{i=1}}^{{{n}}} x_i^2$ and a block:\n\n$$\\int_0^1 f(x)\\,dx = {n}$$",
    "| a | b |\n|---|---|\n| {n} | 泛化误差 |\n",
    "<script>alert({n})</script> [x](javascript:alert({n})) <img src=x onerror=alert({n})>",
    "```python\nprint({n})\n```\n\n> quoted 深度学习理论 {n}",
    "~~struck~~ text with a footnote-like [^{n}] and an ![image](./imgs/ex1_knot.png)",
    "<div style='color:red' class='math block evil'>styled {n}</div><iframe src=x></iframe>",
]


def documents(count: int) -> list[str]:
    rng = random.Random(2026)
    return [
        "\n\n".join(piece.format(n=n) for piece in rng.sample(PIECES, rng.randint(1, 5)))
        for n in range(count)
    ]


def test_rendering_from_eight_threads_matches_the_serial_output():
    texts = documents(400)
    serial = [str(render_markdown(text)) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = [str(html) for html in pool.map(render_markdown, texts, chunksize=1)]
    assert concurrent == serial
    joined = "".join(serial)
    tags = re.findall(r"<[^>]+>", joined)
    assert not [tag for tag in tags if re.search(r"script|iframe|onerror|style=|javascript:", tag)]
    assert '<span class="math inline">' in joined
    assert "&lt;script&gt;" in joined  # the hostile HTML is shown as text, not run
