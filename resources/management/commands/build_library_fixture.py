"""`python manage.py build_library_fixture`: rebuild fixtures/library.json (maintainers only).

Imports the shipped list (fixtures/seed/README.md), applies fixtures/curation.json and dumps
the result. It runs only on an empty catalogue, so it never mixes with a live library: point
DATABASE_URL at a scratch database (the Makefile's `fixtures` target does).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from resources.markdown.parse import parse_markdown
from resources.models import Library, Resource
from resources.services import apply_curation, import_document

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Rebuild fixtures/library.json from fixtures/seed/README.md and fixtures/curation.json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", type=Path, default=FIXTURES / "library.json")

    def handle(self, *args, output: Path, **options) -> None:
        if Resource.objects.exists():
            raise CommandError("The catalogue is not empty; run this against a scratch database.")
        text = (FIXTURES / "seed" / "README.md").read_text(encoding="utf-8")
        report = import_document(parse_markdown(text))
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        curation = json.loads((FIXTURES / "curation.json").read_text(encoding="utf-8"))
        problems = apply_curation(curation)
        if problems:
            raise CommandError("Curation does not match the list:\n" + "\n".join(problems))
        library = Library.objects.get()
        library.attribution = (FIXTURES / "seed" / "NOTICE.md").read_text(encoding="utf-8")
        library.save()
        call_command(
            "dumpdata",
            "resources.library",
            "resources.topic",
            "resources.author",
            "resources.authoralias",
            "resources.resource",
            "resources.authorship",
            "resources.resourcelink",
            "taggit.tag",
            "taggit.taggeditem",
            natural_foreign=True,
            indent=1,
            output=str(output),
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}: {report.summary()}."))
