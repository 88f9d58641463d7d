"""`python manage.py bench_discovery`: page times and query counts of related reading and paths.

Run it on a scratch database filled by `generate_resources` and `generate_readers` (see
docs/benchmarks.md). Requests go through Django's test client in this process — nothing leaves
the machine — as a signed-in reader (their pages are never cached whole) and as a visitor.

Measured, each over --samples resources or repeats:
- a resource page whose related list is cold (after a catalogue change: everything computed),
  after a bookmark (only the co-readers part recomputed), and warm;
- the related API, the text index's build, and the path list and a path page with progress.
"""

from __future__ import annotations

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from resources.caching import bump_catalogue_version, bump_readers_version, catalogue_version
from resources.discovery.text import build_index
from resources.models import Bookmark, PathStep, ReadingPath, Resource


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Measure related reading and reading path pages on this database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--samples", type=int, default=40, help="Resources measured.")
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, samples: int, seed: int, **options) -> None:
        rng = random.Random(seed)
        ids = list(Resource.objects.values_list("pk", flat=True))
        if len(ids) < 100:
            raise CommandError("Fill the catalogue first: generate_resources, generate_readers.")
        reader = get_user_model().objects.filter(bookmarks__isnull=False).order_by("pk").first()
        if reader is None:
            raise CommandError("No reader has bookmarks: run generate_readers first.")
        path = self.bench_path(rng, ids, reader)
        self.stdout.write(
            f"{len(ids)} resources, {get_user_model().objects.count()} readers, "
            f"{Bookmark.objects.count()} bookmarks; {samples} samples."
        )
        started, cpu = time.perf_counter(), time.process_time()
        build_index()
        built, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.report("text index build (per catalogue version)", [built], [cpu], [1])

        signed_in = Client()
        signed_in.force_login(reader)
        anonymous = Client()
        chosen = rng.sample(ids, samples)
        signed_in.get(f"/resources/{chosen[0]}/")  # load templates, build the text index
        bump_catalogue_version()
        catalogue_version()
        signed_in.get(f"/resources/{chosen[0]}/")
        cold = [self.measure(signed_in, f"/resources/{pk}/") for pk in chosen]
        self.report("resource page, related list cold", *zip(*cold, strict=True))
        warm = [self.measure(signed_in, f"/resources/{pk}/") for pk in chosen]
        self.report("resource page, warm", *zip(*warm, strict=True))
        bump_readers_version()  # what a new bookmark does
        after = [self.measure(signed_in, f"/resources/{pk}/") for pk in chosen]
        self.report("resource page, after a bookmark", *zip(*after, strict=True))
        bump_readers_version()
        api = [self.measure(signed_in, f"/api/resources/{pk}/related/") for pk in chosen]
        self.report("related API, co-readers recomputed", *zip(*api, strict=True))
        runs = range(samples)
        detail = [self.measure(signed_in, path.get_absolute_url()) for _ in runs]
        self.report("path page with progress (30 steps)", *zip(*detail, strict=True))
        listing = [self.measure(signed_in, "/paths/") for _ in runs]
        self.report("path list with progress", *zip(*listing, strict=True))
        visitor = [self.measure(anonymous, path.get_absolute_url()) for _ in runs]
        self.report("path page, anonymous (cached)", *zip(*visitor, strict=True))

    def bench_path(self, rng, ids: list[int], reader) -> ReadingPath:
        """A 30-step path, a third of it on the reader's shelf (made once, then reused)."""
        path, created = ReadingPath.objects.get_or_create(
            slug="bench-path", defaults={"title": "Benchmark path"}
        )
        if created:
            shelf = list(Bookmark.objects.filter(user=reader).values_list("resource_id", flat=True))
            steps = shelf[:10] + rng.sample(ids, 20)
            PathStep.objects.bulk_create(
                PathStep(path=path, position=n, resource_id=pk, note="Why it is here.")
                for n, pk in enumerate(dict.fromkeys(steps))
            )
            bump_catalogue_version()
        return path

    def measure(self, client: Client, url: str) -> tuple[float, float, int]:
        """Wall-clock and this process's CPU seconds of one request, and its queries."""
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return elapsed, cpu, len(queries.captured_queries)

    def report(self, label: str, times, cpus, counts) -> None:
        ms = [t * 1000 for t in times]
        cpu = statistics.median(cpus) * 1000
        self.stdout.write(
            f"{label:<44} p50 {statistics.median(ms):6.1f} ms  p95 {percentile(ms, 0.95):6.1f} ms"
            f"  CPU p50 {cpu:5.1f} ms  queries ≤ {max(counts)}"
        )
