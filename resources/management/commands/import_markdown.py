"""`python manage.py import_markdown PATH [--dry-run] [--report] [--expect FILE]` (maintainers).

`--report` prints what the parser understood, section by section, before the summary;
`--expect FILE` compares the parse with an expectation file written by reading the list
(see `resources.markdown.scoring`) and prints the figures the README's corpus table shows.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from resources.markdown.parse import parse_markdown
from resources.markdown.scoring import score
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
        parser.add_argument(
            "--report",
            action="store_true",
            help="Show, per section, the entries, prose skipped, secondary links and lines "
            "that could not be placed.",
        )
        parser.add_argument(
            "--expect",
            type=Path,
            help="An expectation file (JSON) for this list: print how well the parse matches it.",
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
        expected = self.read_expectations(options.get("expect"))
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
        verbose = options.get("verbosity", 1) > 1 or (dry_run and not options.get("report"))
        if verbose:
            for title in report.topics_added:
                self.stdout.write(f"+ topic {title}")
            for title in report.added:
                self.stdout.write(f"+ {title}")
            for title in report.changed:
                self.stdout.write(f"~ {title}")
        if options.get("report"):
            self.write_sections(report)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if expected is not None:
            self.write_score(path, score(document, expected))
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}."))

    def read_expectations(self, path: Path | None) -> dict | None:
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the expectation file {path}: {error}") from error

    def write_sections(self, report) -> None:
        self.stdout.write("What the parser understood, per section:")
        self.stdout.write(
            f"{'line':>6}  {'section':<48} {'became':<7} {'entries':>7} {'links':>6} "
            f"{'prose':>6}  unplaced lines"
        )
        for section in report.sections:
            title = ("  " * max(section.level - 1, 0) + section.title)[:48]
            unplaced = ", ".join(str(line) for line in section.unplaced) or "-"
            self.stdout.write(
                f"{section.line:>6}  {title:<48} {section.status:<7} {section.entries:>7} "
                f"{section.secondary_links:>6} {section.prose_blocks:>6}  {unplaced}"
            )
        entries = sum(section.entries for section in report.sections)
        unplaced = sum(len(section.unplaced) for section in report.sections)
        skipped = sum(section.status != "topic" for section in report.sections)
        self.stdout.write(
            f"{entries} entries in {len(report.sections) - skipped} topics; {skipped} sections "
            f"skipped (prose or empty); {unplaced} lines with links not placed."
        )

    def write_score(self, path: Path, result) -> None:
        for problem in result.problems:
            self.stdout.write(f"  ✗ {problem}")
        self.stdout.write(
            f"Expectations for {path.name}: {result.right}/{result.expected} right "
            f"({result.percent:.1f}%); fields {result.fields_right}/{result.fields_checked}; "
            f"navigation/badge/prose links as entries: {result.navigation_entries}; "
            f"prose sections as topics: {result.prose_topics}; {result.imported} entries read."
        )
