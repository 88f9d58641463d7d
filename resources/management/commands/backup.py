"""`python manage.py backup [-o FILE]` (`make backup`): everything worth keeping, in one file.

Restore with `python manage.py migrate && python manage.py loaddata FILE` into an empty
database (`make restore FILE=…`); loaddata reads it back in one transaction. This is
`dumpdata --natural-foreign --natural-primary` without what migrate rebuilds (content types,
permissions) and what is not worth keeping (sessions, the admin log), with one exception:
django-taggit's TaggedItem names itself by `object_id` alone, so under natural primary keys all
the tags of a resource but one would collapse into a single row on restore. Tag assignments
are therefore dumped with their primary keys.

Rows are streamed, one at a time, from the database into the (gzip) file, so memory stays flat
however large the library. A FILE ending in `.jsonl` or `.jsonl.gz` holds one JSON object per
line, which loaddata also reads a line at a time; one ending in `.json` or `.json.gz` holds the
same objects as a JSON array (older backups, and tools that want one document).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import TextIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
KEEP_PRIMARY_KEYS = "taggit.taggeditem"


def write_backup(stream: TextIO) -> None:
    """Every row worth keeping, one JSON object per line, models in dependency order."""
    excluded = [arg for label in [*EXCLUDED, KEEP_PRIMARY_KEYS] for arg in ("-e", label)]
    for arguments in [["--natural-primary", *excluded], [KEEP_PRIMARY_KEYS]]:
        call_command(
            "dumpdata", "--natural-foreign", *arguments, format="jsonl", stdout=stream, verbosity=0
        )


class JsonArrayWriter:
    """Turns the lines written to it into the elements of one JSON array (a JSON line never
    contains a raw newline, so each one is a whole object)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""
        self.count = 0

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.stream.write(("[\n" if self.count == 0 else ",\n") + line)
            self.count += 1
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")


class Command(BaseCommand):
    help = "Write a backup (JSON lines or JSON, gzip if FILE ends in .gz) that loaddata restores."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(self, *args, output: str | None = None, **options) -> None:
        if not output:
            write_backup(sys.stdout)
            return
        path = Path(output)
        stem = path.name.removesuffix(".gz")
        if not stem.endswith((".json", ".jsonl")):
            raise CommandError("Name the file *.jsonl.gz (or .jsonl, .json.gz, .json).")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(partial, "wt", encoding="utf-8") as file:
            if stem.endswith(".jsonl"):
                write_backup(file)
            else:
                writer = JsonArrayWriter(file)
                write_backup(writer)
                writer.close()
        # A backup interrupted half-way never takes the place of a whole one.
        partial.replace(path)
        self.stderr.write(f"Backup written to {path}.")
