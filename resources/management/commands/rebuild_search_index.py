"""`python manage.py rebuild_search_index`: recompute every resource's search document."""

import time

from django.core.management.base import BaseCommand

from resources.search.index import refresh_documents


class Command(BaseCommand):
    help = (
        "Recompute the search documents of all resources (after loading fixtures or raw SQL "
        "writes, or when the tokenizer changes). Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = refresh_documents()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Indexed {count} resources in {time.perf_counter() - started:.1f} s."
                )
            )
