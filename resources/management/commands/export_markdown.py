"""`python manage.py export_markdown [-o PATH]`: the library as an awesome-list README."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resources.exporting import library_document
from resources.markdown.render import render_markdown


class Command(BaseCommand):
    help = "Write the library as Markdown in the seed list's layout (stdout by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="File to write (UTF-8).")

    def handle(self, *args, output: Path | None, **options) -> None:
        text = render_markdown(library_document())
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}") from error
        self.stderr.write(self.style.SUCCESS(f"Wrote {output}."))
