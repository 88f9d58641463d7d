"""`python manage.py generate_readers --count N`: synthetic readers with bookmarks.

For benchmarks only. Each reader has a taste — two topics — and shelves mostly from them, so
readers overlap the way real ones do and co-reading counts mean something. Rows are written in
bulk, without signals, so the reading version is replaced once at the end.
"""

from __future__ import annotations

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resources.caching import bump_readers_version
from resources.models import Bookmark, ReadingStatus, Resource

STATUSES = [ReadingStatus.TO_READ] * 5 + [ReadingStatus.READING] * 2 + [ReadingStatus.DONE] * 3


class Command(BaseCommand):
    help = "Add N synthetic readers, each with bookmarks drawn mostly from two topics."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many readers.")
        parser.add_argument("--bookmarks", type=int, default=20, help="Bookmarks per reader.")
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, count: int, bookmarks: int, seed: int, **options) -> None:
        if not 0 <= count <= 100_000 or not 0 <= bookmarks <= 500:
            raise CommandError("--count must be 0–100,000 and --bookmarks 0–500.")
        started = time.perf_counter()
        rng = random.Random(seed)
        by_topic: dict[int, list[int]] = {}
        for pk, topic_id in Resource.objects.values_list("pk", "topic_id"):
            by_topic.setdefault(topic_id, []).append(pk)
        if not by_topic:
            raise CommandError("The catalogue is empty: run generate_resources first.")
        everything = [pk for pks in by_topic.values() for pk in pks]
        topics = list(by_topic)
        password = make_password(None)  # unusable: these readers never sign in
        User = get_user_model()
        first = User.objects.count()
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=f"bench-reader-{first + n}", password=password) for n in range(count)
            )
            rows = []
            for user in users:
                liked = rng.sample(topics, min(2, len(topics)))
                taste = [pk for topic in liked for pk in by_topic[topic]]
                chosen: set[int] = set()
                while len(chosen) < min(bookmarks, len(everything)):
                    pool = taste if taste and rng.random() < 0.8 else everything
                    chosen.add(rng.choice(pool))
                rows += [
                    Bookmark(user=user, resource_id=pk, status=rng.choice(STATUSES))
                    for pk in chosen
                ]
            Bookmark.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        bump_readers_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} readers with {len(rows)} bookmarks in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
