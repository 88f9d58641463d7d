"""`python manage.py bench_search`: search latency (p50/p95) on the current database.

Each query is run the way the catalogue page runs it: the shared FilterSet, the result count
and the first page of results with everything a row shows. Besides wall-clock time it reports
CPU time (this process, plus the PostgreSQL backend's when the server runs on this machine),
which stays meaningful when other work shares the machine.
"""

from __future__ import annotations

import os
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from resources.filters import ResourceFilter
from resources.models import Resource
from resources.pagination import PrimaryKeyPaginator

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

    def server_cpu(self) -> float | None:
        """CPU seconds used so far by this connection's PostgreSQL backend, if we can see it."""
        if connection.vendor != "postgresql":
            return 0.0
        if self.backend_pid is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{self.backend_pid}/schedstat") as stat:
                return int(stat.read().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return None

    def run_once(self, query: str) -> tuple[float, float | None, int]:
        server_before = self.server_cpu()
        cpu_started, started = time.process_time(), time.perf_counter()
        results = ResourceFilter({"q": query}, queryset=Resource.objects.all()).qs
        paginator = PrimaryKeyPaginator(results.with_related(), settings.CATALOGUE_PAGE_SIZE)
        page = paginator.page(1)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        server_after = self.server_cpu()
        assert len(page.object_list) == min(paginator.count, settings.CATALOGUE_PAGE_SIZE)
        if server_before is None or server_after is None:
            return elapsed * 1000, None, paginator.count
        return elapsed * 1000, (cpu + server_after - server_before) * 1000, paginator.count

    def handle(self, *args, repeat: int, per_query: bool, **options) -> None:
        self.backend_pid = None
        total = Resource.objects.count()
        timings: list[float] = []
        cpu_timings: list[float] = []
        for query in QUERIES:
            self.run_once(query)  # warm the caches, as a live server's would be
            runs, cpu_runs = [], []
            for _ in range(repeat):
                elapsed, cpu, count = self.run_once(query)
                runs.append(elapsed)
                if cpu is not None:
                    cpu_runs.append(cpu)
            timings.extend(runs)
            cpu_timings.extend(cpu_runs)
            if per_query:
                cpu_note = f"  cpu {statistics.median(cpu_runs):7.1f} ms" if cpu_runs else ""
                self.stdout.write(
                    f"  {query:<36} {count:>7} hits  p50 {statistics.median(runs):7.1f} ms"
                    + cpu_note
                )
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        self.stdout.write(
            f"bench_search {connection.vendor}: {total} resources, {len(QUERIES)} queries x "
            f"{repeat}: wall p50 {percentile(timings, 0.5):.1f} ms, p95 "
            f"{percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
        )
        if cpu_timings:
            self.stdout.write(
                f"  cpu (client + database) p50 {percentile(cpu_timings, 0.5):.1f} ms, "
                f"p95 {percentile(cpu_timings, 0.95):.1f} ms; load average {load}"
            )
