"""`python manage.py load_library`: load the shipped library into an empty catalogue."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from resources.models import Resource

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "library.json"


class Command(BaseCommand):
    help = (
        "Load fixtures/library.json when the catalogue is empty. A catalogue that already has "
        "entries is left alone, so curators' and readers' work is never overwritten."
    )

    def handle(self, *args, **options) -> None:
        existing = Resource.objects.count()
        if existing:
            self.stdout.write(f"The library already holds {existing} resources; nothing loaded.")
            return
        call_command("loaddata", str(FIXTURE), verbosity=0)
        # Fixtures load raw rows, which signals skip: index them once everything is in.
        call_command("rebuild_search_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the library: {Resource.objects.count()} resources.")
        )
