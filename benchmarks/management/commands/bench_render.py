"""`python manage.py bench_render`: how long one process takes to render the list pages.

Runs on the database DATABASE_URL names, e.g. the one `make bench` built:

    DATABASE_URL=sqlite:///bench/bench-10000.sqlite3 python manage.py bench_render

For each page, through the test client in this one process, the median of `--repeat` renders:
- *uncached*: caching off (PAGE_CACHE_SECONDS=0), a render from scratch;
- *first after a change*: caching on, every version bumped just before, as after any write;
- *warm*: caching on, nothing changed (anonymous pages come whole from the cache).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from resources.caching import CATALOGUE, READERS, bump_version

PAGES = [
    ("catalogue (anonymous)", "/resources/", False),
    ("catalogue (signed in)", "/resources/", True),
    ("search (signed in)", "/resources/?q=kernel", True),
    ("My library (signed in)", "/library/", True),
]


class Command(BaseCommand):
    help = "Median render time of the list pages in one process: uncached, first, warm."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--reader", default="bench-reader", help="Username signed in.")

    def handle(self, *args, **options) -> None:
        reader = get_user_model().objects.filter(username=options["reader"]).first()
        if reader is None:
            raise CommandError(f"No user {options['reader']!r}: run `make bench` first.")
        repeat = options["repeat"]
        self.stdout.write(f"median of {repeat} renders (ms)     uncached   first   warm")
        for name, url, signed_in in PAGES:
            client = Client()
            if signed_in:
                client.force_login(reader)
            with override_settings(PAGE_CACHE_SECONDS=0):
                uncached = self.median(client, url, repeat)
            first = self.median(client, url, repeat, before=self.bump)
            warm = self.median(client, url, repeat)
            self.stdout.write(f"{name:32} {uncached:8.1f}   {first:8.1f}   {warm:8.1f}")

    @staticmethod
    def bump() -> None:
        bump_version(CATALOGUE)
        bump_version(READERS)

    @staticmethod
    def median(client: Client, url: str, repeat: int, before=None) -> float:
        client.get(url)  # imports, connections and compiled templates are not what we measure
        times = []
        for _ in range(repeat):
            if before is not None:
                before()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return statistics.median(times)
