"""What every citation format needs to know about a resource, worked out once.

A `Record` is a resource as a reference manager sees it: the entry type its kind and venue
imply, its authors split into family and given names, and a citation key that is the same
every time the same set of resources is exported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import product
from string import ascii_lowercase

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from taggit.models import TaggedItem
from text_unidecode import unidecode

from resources.models import AuthorAlias, Authorship, Kind, Resource, ResourceLink, lang_of

# Venues of papers that are conferences (proceedings); any other venue of a paper is a journal.
CONFERENCES = frozenset(
    {
        "neurips", "nips", "icml", "iclr", "colt", "aistats", "uai", "alt", "stoc", "focs",
        "soda", "cvpr", "iccv", "eccv", "aaai", "ijcai", "acl", "emnlp", "naacl", "kdd", "icm",
    }
)  # fmt: skip
CONFERENCE_WORDS = re.compile(
    r"\b(conference|proceedings|workshop|symposium|congress)\b", re.IGNORECASE
)
# Lower-case words that belong to a family name ("Ludwig van Beethoven" → "van Beethoven").
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "le", "la", "ten", "ter"}
)
STOPWORDS = frozenset(
    {
        "a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "from", "by", "at",
        "is", "are", "via", "towards", "toward",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    """An author's name: `family` and `given` for a latin name, else `literal` as written."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def inverted(self) -> str:
        """ "Family, Given" (or the name as written when it has no latin form)."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass
class Cited:
    """What a citation shows of one resource (named as on Resource)."""

    pk: int
    title: str
    url: str
    kind: str
    year: int | None
    venue: str
    language: str
    doi: str
    arxiv_id: str
    arxiv_category: str
    published: date | None
    abstract: str
    authors: list[Name] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


CITED_FIELDS = [f.name for f in fields(Cited) if f.name not in ("authors", "links", "tags")]


def cited(queryset: QuerySet) -> list[Cited]:
    """The resources of `queryset`, in its order, with authors, links and tags: at most six
    queries, whatever the number of resources."""
    rows = [Cited(*values) for values in queryset.values_list(*CITED_FIELDS)]
    by_pk = {row.pk: row for row in rows}
    if not by_pk:
        return rows
    ids = list(by_pk)
    authorships = list(
        Authorship.objects.filter(resource_id__in=ids)
        .order_by("resource_id", "position", "pk")
        .values_list("resource_id", "author_id", "author__name")
    )
    names = _names({author_id: name for _, author_id, name in authorships})
    for resource_id, author_id, _name in authorships:
        by_pk[resource_id].authors.append(names[author_id])
    links = (
        ResourceLink.objects.filter(resource_id__in=ids)
        .order_by("resource_id", "position", "pk")
        .values_list("resource_id", "label", "url")
    )
    for resource_id, label, url in links:
        by_pk[resource_id].links.append((label, url))
    tags = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Resource), object_id__in=ids
    ).values_list("object_id", "tag__name")
    for resource_id, name in tags:
        by_pk[resource_id].tags.append(name)
    return rows


def _names(authors: dict[int, str]) -> dict[int, Name]:
    """Each author's name for a citation; a Chinese name takes its latin alias when it has one
    ("马毅" known as "Yi Ma" is written "Ma, Yi"), else stays as written."""
    chinese = [pk for pk, name in authors.items() if lang_of(name) != "en"]
    aliases: dict[int, list[str]] = defaultdict(list)
    if chinese:
        for author_id, alias in AuthorAlias.objects.filter(author_id__in=chinese).values_list(
            "author_id", "name"
        ):
            aliases[author_id].append(alias)
    return {
        pk: latin_form(name, aliases[pk]) if pk in aliases else split_name(name)
        for pk, name in authors.items()
    }


def latin_form(name: str, aliases: list[str]) -> Name:
    """The "Family, Given" of a Chinese name from a latin alias in either order ("Yi Ma",
    "Ma Yi"): the family name is the alias word that spells the name's first character(s)
    (马 → "ma"; 欧阳 → "ouyang"). The name as written when no alias matches."""
    for alias in aliases:
        words = alias.split()
        if len(words) < 2 or lang_of(alias) != "en":
            continue
        for length in (1, 2):
            surname = "".join(unidecode(ch).strip() for ch in name[:length]).lower()
            at = next((i for i, word in enumerate(words) if word.lower() == surname), None)
            if at is not None:
                return Name(family=words[at], given=" ".join(words[:at] + words[at + 1 :]))
    return Name(literal=name)


@dataclass
class Record:
    resource: Cited
    key: str
    entry: str  # "journal", "conference", "preprint", "book" or "other"
    names: list[Name]
    note: str = ""
    tags: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.resource.kind).label) if self.resource.kind in Kind else ""


def split_name(name: str) -> Name:
    """ "Daniel A. Roberts" → Roberts, Daniel A.; "马毅" and one-word names stay as written."""
    name = " ".join(name.split())
    parts = name.split(" ")
    if len(parts) < 2 or lang_of(name) != "en" or not any(ch.isalpha() for ch in name):
        return Name(literal=name)
    start = len(parts) - 1
    while start > 1 and parts[start - 1] in PARTICLES:
        start -= 1
    return Name(family=" ".join(parts[start:]), given=" ".join(parts[:start]))


def entry_of(resource: Cited) -> str:
    if resource.kind == Kind.BOOK:
        return "book"
    if resource.kind != Kind.PAPER:
        return "other"
    venue = resource.venue.strip()
    if not venue:
        return "preprint" if resource.arxiv_id else "other"
    first_word = re.split(r"[\s\d'’]+", venue.lower())[0]
    if first_word in CONFERENCES or CONFERENCE_WORDS.search(venue):
        return "conference"
    return "journal"


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = unidecode("".join(ch for ch in folded if not unicodedata.combining(ch)))
    return re.findall(r"[a-z0-9]+", folded.lower())


def base_key(resource: Cited, names: list[Name]) -> str:
    """First author's family name + year + first significant title word, ASCII only."""
    author = ""
    if names:
        first = names[0]
        words = _ascii_words(first.family or first.literal)
        # A Chinese name is written family name first: 马毅 → "ma".
        author = (words[0] if first.literal else "".join(words)) if words else ""
    title_words = [
        w for w in _ascii_words(resource.title) if w not in STOPWORDS and not w.isdigit()
    ]
    title = title_words[0] if title_words else ""
    return f"{author or 'anon'}{resource.year or ''}{title}"


def _suffixes():
    """a, b, …, z, aa, ab, …, zz, aaa, … (as many as needed)."""
    length = 1
    while True:
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)
        length += 1


def records(resources: Iterable[Cited], *, notes: Mapping[int, str] | None = None) -> list[Record]:
    """Records of `resources` (from `cited()`), in their order, with unique keys.

    Resources sharing a key get a, b, c… in the order of their ids, so a resource's key does
    not depend on how the view was sorted.
    """
    notes = notes or {}
    built: list[Record] = []
    for resource in resources:
        names = resource.authors
        built.append(
            Record(
                resource=resource,
                key=base_key(resource, names),
                entry=entry_of(resource),
                names=names,
                note=notes.get(resource.pk, ""),
                tags=sorted(resource.tags),
                links=resource.links,
            )
        )
    sharing: dict[str, list[Record]] = defaultdict(list)
    for record in built:
        sharing[record.key].append(record)
    used = set(sharing)
    for key, group in sharing.items():
        if len(group) > 1:
            suffixes = (key + suffix for suffix in _suffixes() if key + suffix not in used)
            for record in sorted(group, key=lambda r: r.resource.pk):
                record.key = next(suffixes)
                used.add(record.key)
    return built
