"""`python manage.py load_library`: load the shipped library into an empty catalogue, then the
shipped reading paths that are missing."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from resources.discovery.paths import load_reading_paths
from resources.models import Resource

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "library.json"
PATHS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "reading_paths.json"


class Command(BaseCommand):
    help = (
        "Load fixtures/library.json when the catalogue is empty. A catalogue that already has "
        "entries is left alone, so curators' and readers' work is never overwritten. Then add "
        "the reading paths of fixtures/reading_paths.json whose slug is not taken yet."
    )

    def handle(self, *args, **options) -> None:
        existing = Resource.objects.count()
        if existing:
            self.stdout.write(f"The library already holds {existing} resources; nothing loaded.")
        else:
            call_command("loaddata", str(FIXTURE), verbosity=0)
            # Fixtures load raw rows, which signals skip: index them once everything is in.
            call_command("rebuild_search_index", verbosity=0)
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the library: {Resource.objects.count()} resources.")
            )
        report = load_reading_paths(source=PATHS_FIXTURE)
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Added reading paths: {', '.join(report.created)}.")
            )
        for step in report.missing:
            self.stderr.write(f"A step's resource is not in the catalogue, left out: {step}")
