"""Applying the shipped curation file (fixtures/curation.json) to the catalogue.

Maintainers call this from `build_library_fixture` and `import_markdown`, after an import.
"""

from __future__ import annotations

from django.db import transaction

from resources.markdown.urls import normalize_url
from resources.models import Author, AuthorAlias, Authorship, Resource


def set_aliases(author: Author, aliases: list[str]) -> None:
    """Give `author` these other names (an alias already used by another author is kept there)."""
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() != author.name.casefold():
            AuthorAlias.objects.get_or_create(name=alias, defaults={"author": author})


@transaction.atomic
def apply_curation(data: dict) -> list[str]:
    """Apply a curation file (see fixtures/curation.json) to the catalogue; all or nothing.

    Sets kind, year, venue, language, authors, tags and link labels of the resources it names
    and marks those fields as curated, so later imports keep them. Returns what it could not
    match, for the maintainer to fix.
    """
    problems: list[str] = []
    for person in data.get("authors", []):
        author = Author.find(person["name"]) or Author.objects.create(name=person["name"])
        set_aliases(author, person.get("aliases", []))
    for item in data.get("resources", []):
        url = item.get("url", "")
        if url:
            resource = Resource.objects.filter(url_key=normalize_url(url)).first()
        else:
            resource = Resource.objects.filter(title=item.get("title", ""), url_key="").first()
        if resource is None:
            problems.append(f"no resource for {url or item.get('title')!r}")
            continue
        curated = set(resource.curated_fields)
        for name in ("kind", "year", "venue", "language"):
            if name in item:
                setattr(resource, name, item[name] if item[name] is not None else None)
                curated.add(name)
        if "authors" in item:
            resource.authorships.all().delete()
            for position, name in enumerate(item["authors"]):
                author = Author.find(name) or Author.objects.create(name=name)
                Authorship.objects.get_or_create(
                    resource=resource, author=author, defaults={"position": position}
                )
            curated.add("authors")
        if "tags" in item:
            resource.tags.set(item["tags"], clear=True)
            curated.add("tags")
        for link_url, label in item.get("links", {}).items():
            link = resource.links.filter(url=link_url.strip()).first()
            if link is None:
                problems.append(f"{resource.title!r} has no link {link_url!r}")
                continue
            link.label = label
            link.save(update_fields=["label"])
        resource.curated_fields = sorted(curated)
        resource.venue = resource.venue or ""
        resource.save()
    return problems
