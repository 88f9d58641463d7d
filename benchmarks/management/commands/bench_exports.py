"""`python manage.py bench_exports`: time the citation exports of the whole catalogue.

Each format is asked for the way a reader asks (`GET /resources/?format=…` through the test
client, the page cache off so every run builds the export), and timed apart into reading the
rows (`cited()`, five queries) and writing the text. Reports the median of --repeat runs and
the SQL queries of one export. Wall time counts waiting for a busy machine; on SQLite the
process's CPU time includes the database's work, so it is the steadier figure. Run it on a
database of at most MAX_EXPORT resources (`make bench-exports` builds one of 10,000).
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from resources.citations import FORMATS, MAX_EXPORT, citation_text
from resources.citations.records import cited
from resources.citations.views import filtered
from resources.models import Resource


class Command(BaseCommand):
    help = "Measure BibTeX, RIS and CSL-JSON exports of every resource (at most 10,000)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs per format.")

    def handle(self, *args, repeat: int, **options) -> None:
        count = Resource.objects.count()
        if not 0 < count <= MAX_EXPORT:
            raise CommandError(f"Needs 1 to {MAX_EXPORT} resources; this database has {count}.")
        self.stdout.write(f"{count} resources on {connection.vendor}; median of {repeat} runs")
        client = Client()
        everything = RequestFactory().get("/resources/")
        with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
            for fmt in FORMATS:
                whole, cpu, fetch, write = [], [], [], []
                reset_queries()  # the log is a bounded deque: a full one counts nothing
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/resources/", {"format": fmt})
                if response.status_code != 200:
                    raise CommandError(f"{fmt}: HTTP {response.status_code}")
                for _ in range(repeat):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    client.get("/resources/", {"format": fmt})
                    whole.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                    started = time.perf_counter()
                    rows = cited(filtered(everything, Resource.objects.all()))
                    fetched = time.perf_counter()
                    citation_text(rows, fmt)
                    fetch.append(fetched - started)
                    write.append(time.perf_counter() - fetched)
                self.stdout.write(
                    f"{fmt:8} request {statistics.median(whole):.2f} s"
                    f" (CPU {statistics.median(cpu):.2f} s)"
                    f" (rows {statistics.median(fetch):.2f} s,"
                    f" text {statistics.median(write):.2f} s),"
                    f" {len(queries)} queries, {len(response.content) / 1e6:.1f} MB"
                )
