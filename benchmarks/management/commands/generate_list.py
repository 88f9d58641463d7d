"""`python manage.py generate_list --entries N [-o PATH]`: a synthetic awesome list.

For measuring the importer on long lists (see README, "Import speed"); writes nothing to the
database.
"""

import random
from pathlib import Path

from django.core.management.base import BaseCommand

WORDS_EN = [
    "neural",
    "tangent",
    "kernel",
    "generalization",
    "implicit",
    "regularization",
    "approximation",
    "depth",
    "separation",
    "optimization",
    "dynamics",
    "stochastic",
    "gradient",
    "descent",
    "loss",
    "landscape",
    "over-parameterization",
    "mean",
    "field",
    "equivariance",
    "graph",
    "networks",
    "information",
    "bottleneck",
    "flat",
    "minima",
    "scaling",
    "laws",
    "in-context",
    "learning",
]
WORDS_ZH = [
    "泛化",
    "逼近",
    "优化",
    "几何",
    "拓扑",
    "群论",
    "动力学",
    "表示",
    "对抗",
    "鲁棒",
    "隐式正则",
    "深度",
    "宽度",
    "核方法",
]
VENUES = ["NeurIPS", "ICML", "ICLR", "COLT", "JMLR", "AISTATS"]


def synthetic_list(entries: int, *, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["# Synthetic Deep Learning Theory List", "", "整理了一些深度学习的理论相关内容。", ""]
    per_section = 100
    for number in range(entries):
        if number % per_section == 0:
            lines += ["", f"## Section {number // per_section + 1} {rng.choice(WORDS_ZH)}"]
        title = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(3, 8))).capitalize()
        year = rng.randint(1990, 2026)
        note = "".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(2, 12)))
        fire = "🔥 " if rng.random() < 0.03 else ""
        lines.append(
            f"{number % per_section + 1}. {fire}[{title} {number}]"
            f"(https://arxiv.org/abs/{2000 + number // 10000}.{number % 10000:05d})"
            f"({year}, {rng.choice(VENUES)}){note}。"
        )
        if rng.random() < 0.2:
            lines.append(f"    + {rng.choice(WORDS_EN)} 的{note}")
        if rng.random() < 0.1:
            lines.append(f"    + [code](https://github.com/example/repo-{number})")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write a synthetic awesome list with N entries (for import benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--entries", type=int, default=10_000)
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, entries: int, output: Path | None, **options) -> None:
        text = synthetic_list(max(entries, 1))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {entries} entries to {output}.")
