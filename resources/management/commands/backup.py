"""`python manage.py backup [-o FILE]` (`make backup`): everything worth keeping, in one file.

Restore with `python manage.py migrate && python manage.py loaddata FILE` into an empty
database (`make restore FILE=…`). This is `dumpdata --natural-foreign --natural-primary` without
what migrate rebuilds (content types, permissions) and what is not worth keeping (sessions, the
admin log), with one exception: django-taggit's TaggedItem names itself by `object_id` alone, so
under natural primary keys all the tags of a resource but one would collapse into a single row
on restore. Tag assignments are therefore dumped with their primary keys.
"""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
KEEP_PRIMARY_KEYS = "taggit.taggeditem"


def dump(*arguments: str) -> list[dict]:
    out = StringIO()
    call_command("dumpdata", "--natural-foreign", *arguments, stdout=out, verbosity=0)
    return json.loads(out.getvalue() or "[]")


def backup_records() -> list[dict]:
    excluded = [arg for label in [*EXCLUDED, KEEP_PRIMARY_KEYS] for arg in ("-e", label)]
    return dump("--natural-primary", *excluded) + dump(KEEP_PRIMARY_KEYS)


class Command(BaseCommand):
    help = "Write a backup (JSON, gzip-compressed if FILE ends in .gz) that loaddata restores."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(self, *args, output: str | None = None, **options) -> None:
        text = json.dumps(backup_records(), ensure_ascii=False, indent=1)
        if not output:
            self.stdout.write(text)
            return
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".gz":
            with gzip.open(path, "wt", encoding="utf-8") as file:
                file.write(text)
        else:
            path.write_text(text, encoding="utf-8")
        self.stderr.write(f"Backup written to {path}.")
