"""`python manage.py bench_render`: how long one process takes to render the list pages.

Runs on the database DATABASE_URL names, e.g. the one `make bench` built:

    DATABASE_URL=sqlite:///bench/bench-10000.sqlite3 python manage.py bench_render

For each page, through the test client in this one process, the median of `--repeat` renders:
- *uncached*: caching off (PAGE_CACHE_SECONDS=0), a render from scratch;
- *first after a change*: caching on, every version bumped just before, as after any write;
- *warm*: caching on, nothing changed (anonymous pages come whole from the cache).

The three are taken in turn, one of each per round, so a machine that speeds up or slows down
during the run moves them alike; *first − uncached* is the median of each round's difference.
Each figure is the process's CPU ms: on a machine shared with other work it is steadier than
the wall clock. Each request runs as the WSGI entry point runs it, with room on the frame stack
(`dlt_library.stack_room`).
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
        columns = "".join(f"{title:>10}" for title in ("uncached", "first", "warm"))
        self.stdout.write(f"{f'median of {repeat} renders, CPU ms':30}{columns}  first − uncached")
        for name, url, signed_in in PAGES:
            client = Client()
            if signed_in:
                client.force_login(reader)
            # Imports, connections and compiled templates are not what is measured.
            with override_settings(PAGE_CACHE_SECONDS=0):
                self.render(client, url)
            self.render(client, url)
            uncached, first, warm = [], [], []
            for _ in range(repeat):
                with override_settings(PAGE_CACHE_SECONDS=0):
                    uncached.append(self.render(client, url))
                self.bump()
                first.append(self.render(client, url))
                warm.append(self.render(client, url))
            difference = statistics.median(f - u for f, u in zip(first, uncached, strict=True))
            figures = "".join(f"{statistics.median(ms):10.1f}" for ms in (uncached, first, warm))
            self.stdout.write(f"{name:30}{figures}{difference:+18.1f}")

    @staticmethod
    def bump() -> None:
        bump_version(CATALOGUE)
        bump_version(READERS)

    @staticmethod
    def render(client: Client, url: str) -> float:
        """CPU milliseconds of one GET of `url`."""
        started = time.process_time()
        response = with_stack_room(client.get, url)
        spent = (time.process_time() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return spent
