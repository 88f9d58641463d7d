"""`python manage.py bench_search`: search latency (p50/p95) on the current database.

Each query is run the way the catalogue page runs it: the shared FilterSet, the result count
and the first page of results with everything a row shows.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from resources.filters import ResourceFilter
from resources.models import Resource

QUERIES = [
    # Chinese, one and two characters, and longer
    "群", "马", "学", "泛", "核",
    "泛化", "几何", "逼近", "优化", "流形", "压缩",
    "神经正切核", "随机梯度下降", "信息瓶颈",
    # English, acronyms, inflections, phrases
    "NTK", "generalization", "kernels", "double descent", '"optimal transport"', "landscape",
    "transformers",
    # Names in either script
    "Yi Ma", "马毅", "author:Arora", "Zhou", "王伟",
    # Syntax
    "tag:grokking year:2019..2021", "kind:blog 泛化", "-survey approximation",
    "topic:synthetic-geometry manifold", '"gradient descent" -kernel',
]  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Measure search latency (p50/p95 over a fixed set of ~30 queries) on this database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs per query.")
        parser.add_argument("--per-query", action="store_true", help="Print each query's p50.")

    def run_once(self, query: str) -> tuple[float, int]:
        started = time.perf_counter()
        results = ResourceFilter({"q": query}, queryset=Resource.objects.all()).qs
        count = results.count()
        page = list(results.with_related()[: settings.CATALOGUE_PAGE_SIZE])
        elapsed = time.perf_counter() - started
        assert len(page) == min(count, settings.CATALOGUE_PAGE_SIZE)
        return elapsed * 1000, count

    def handle(self, *args, repeat: int, per_query: bool, **options) -> None:
        total = Resource.objects.count()
        timings: list[float] = []
        for query in QUERIES:
            self.run_once(query)  # warm the caches, as a live server's would be
            runs = []
            for _ in range(repeat):
                elapsed, count = self.run_once(query)
                runs.append(elapsed)
            timings.extend(runs)
            if per_query:
                self.stdout.write(
                    f"  {query:<36} {count:>7} hits  p50 {statistics.median(runs):7.1f} ms"
                )
        self.stdout.write(
            f"bench_search {connection.vendor}: {total} resources, {len(QUERIES)} queries x "
            f"{repeat}: p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} "
            f"ms, max {max(timings):.1f} ms"
        )
