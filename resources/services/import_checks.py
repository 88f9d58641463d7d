"""What is checked about a parsed list before any of it is written.

- Every field must fit its column: PostgreSQL refuses an over-long value with a DataError that
  would end the request in a 500 (SQLite stores it silently). The whole list is refused with
  every offending entry named, so the curator can fix the file.
- Images the list refers to (`./imgs/…`) that the library does not ship are warned about;
  the pages show their alt text instead.
- A request has a time limit: a list too big to import within it is refused in the admin and
  sent to the command line.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from resources.markdown.document import Document, Entry, Section, iter_entries
from resources.models import Author, Resource, ResourceLink, Topic
from resources.rendering import missing_list_images


class ImportRejected(ValueError):
    """The list cannot be imported as it is; the message says why (for a curator)."""


def _sections(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.children)


def _entries(document: Document) -> Iterator[Entry]:
    yield from iter_entries(document.entries)
    for section in _sections(document.sections):
        yield from iter_entries(section.entries)


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def field_length_problems(document: Document) -> list[str]:
    """One line per value longer than its column, e.g. "line 12: the URL has 2,345
    characters (at most 2,000)"."""
    checks = [
        (_("the title"), _limit(Resource, "title"), lambda e: [e.title]),
        (_("the URL"), _limit(Resource, "url"), lambda e: [e.url]),
        (_("the venue"), _limit(Resource, "venue"), lambda e: [e.venue]),
        (_("the number"), _limit(Resource, "marker"), lambda e: [e.marker]),
        # Stored as the importer stores them, with runs of white space made one space.
        (_("an author's name"), _limit(Author, "name"), lambda e: map(_one_line, e.authors)),
        (_("a link's URL"), _limit(ResourceLink, "url"), lambda e: [link.url for link in e.links]),
    ]  # fmt: skip
    problems = []
    heading_limit = _limit(Topic, "name")
    for section in _sections(document.sections):
        if len(section.title) > heading_limit:
            problems.append(_too_long(section.line, _("the heading"), section.title, heading_limit))
    for entry in _entries(document):
        for what, limit, values in checks:
            problems += [
                _too_long(entry.line, what, v, limit) for v in values(entry) if len(v) > limit
            ]
    return problems


def _one_line(name: str) -> str:
    return " ".join(name.split())


def _too_long(line: int, what: str, value: str, limit: int) -> str:
    return _("line %(line)s: %(what)s has %(length)s characters (at most %(limit)s)") % {
        "line": line,
        "what": what,
        "length": f"{len(value):,}",
        "limit": f"{limit:,}",
    }


def check_field_lengths(document: Document) -> None:
    """Raise ImportRejected naming every value that would not fit (at most 50 listed)."""
    problems = field_length_problems(document)
    if problems:
        shown = problems[:50]
        if len(problems) > 50:
            shown.append(_("… and %(count)d more") % {"count": len(problems) - 50})
        raise ImportRejected(
            _("Nothing was imported: some values are longer than the library stores.")
            + "\n"
            + "\n".join(shown)
        )


def missing_image_warnings(document: Document) -> list[str]:
    """A warning for every `imgs/…` file an entry or heading refers to and the library lacks."""
    warnings = []
    texts = [(s.line, s.intro) for s in _sections(document.sections)]
    texts += [(e.line, e.description) for e in _entries(document)]
    for line, text in texts:
        for name in missing_list_images(text):
            warnings.append(
                _("line %(line)s: the image imgs/%(name)s is not shipped with the library; "
                  "pages show its text instead") % {"line": line, "name": name}
            )  # fmt: skip
    return warnings
