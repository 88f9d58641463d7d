"""`python manage.py bench_render`: how long one process takes to render the list pages.

Runs on the database DATABASE_URL names, e.g. the one `make bench` built:

    DATABASE_URL=sqlite:///bench/bench-10000.sqlite3 python manage.py bench_render

For each page, through the test client in this one process, the median of `--repeat` renders:
- *uncached*: caching off (PAGE_CACHE_SECONDS=0), a render from scratch;
- *first after a change*: caching on, every version bumped just before, as after any write;
- *warm*: caching on, nothing changed (anonymous pages come whole from the cache).

Each figure is given as wall-clock ms and, in brackets, the process's CPU ms: on a machine
shared with other work the CPU time is the steadier of the two. Each request runs as the WSGI
entry point runs it, with room on the frame stack (`dlt_library.stack_room`).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from dlt_library.stack_room import with_stack_room
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
        self.stdout.write(
            f"median of {repeat} renders, ms (CPU ms)   uncached      first       warm"
        )
        for name, url, signed_in in PAGES:
            client = Client()
            if signed_in:
                client.force_login(reader)
            with override_settings(PAGE_CACHE_SECONDS=0):
                uncached = self.median(client, url, repeat)
            first = self.median(client, url, repeat, before=self.bump)
            warm = self.median(client, url, repeat)
            figures = "  ".join(
                f"{wall:6.1f} ({cpu:5.1f})" for wall, cpu in (uncached, first, warm)
            )
            self.stdout.write(f"{name:32} {figures}")

    @staticmethod
    def bump() -> None:
        bump_version(CATALOGUE)
        bump_version(READERS)

    @staticmethod
    def median(client: Client, url: str, repeat: int, before=None) -> tuple[float, float]:
        """Median wall-clock and CPU milliseconds of `repeat` GETs of `url`."""
        client.get(url)  # imports, connections and compiled templates are not what we measure
        walls, cpus = [], []
        for _ in range(repeat):
            if before is not None:
                before()
            wall, cpu = time.perf_counter(), time.process_time()
            response = with_stack_room(client.get, url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return statistics.median(walls), statistics.median(cpus)
