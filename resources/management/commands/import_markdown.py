"""`python manage.py import_markdown PATH [--dry-run] [--repair-encoding]` (for maintainers)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from resources.markdown.parse import parse_markdown
from resources.services import (
    ImportRejected,
    ListEncodingError,
    count_entries,
    decode_list,
    import_document,
)


class Command(BaseCommand):
    help = "Import an awesome list (Markdown) into the library: adds and updates, never deletes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--repair-encoding",
            action="store_true",
            help="Repair a double-encoded (mojibake) file and list what could not be repaired.",
        )

    def handle(self, *args, path: Path, dry_run: bool, repair_encoding: bool, **options) -> None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        try:
            text, problems = decode_list(raw, repair_encoding=repair_encoding)
        except ListEncodingError as error:
            raise CommandError(f"{path}: {error}") from error
        for problem in problems:
            self.stderr.write(self.style.WARNING(f"encoding: {problem}"))
        document = parse_markdown(text)
        total = count_entries(document)
        show_bar = total >= 200 and options.get("verbosity", 1) > 0
        with tqdm(total=total, unit="entry", disable=not show_bar, file=self.stderr) as bar:
            try:
                report = import_document(document, dry_run=dry_run, progress=bar.update)
            except ImportRejected as error:
                raise CommandError(f"{path}: {error}") from error
        verbose = options.get("verbosity", 1) > 1 or dry_run
        if verbose:
            for title in report.topics_added:
                self.stdout.write(f"+ topic {title}")
            for title in report.added:
                self.stdout.write(f"+ {title}")
            for title in report.changed:
                self.stdout.write(f"~ {title}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}."))
