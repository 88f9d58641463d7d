"""Write arXiv's metadata onto resources, never over a curator's edits.

A field a curator set by hand is listed in `Resource.curated_fields` (the admin and the
importer's bookkeeping); such fields are left alone. Fields written from arXiv are listed in
`Resource.metadata_sources`, which the admin shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from resources.caching import bulk_write, bump_catalogue_version
from resources.models import Author, Authorship, Resource
from resources.scholarly.arxiv import ArxivClient, ArxivError, ArxivRecord
from resources.search.index import deferred_refresh

CHANGE_REASON = "Metadata from arXiv"


@dataclass
class EnrichReport:
    updated: int = 0
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # batches arXiv did not answer

    def summary(self) -> str:
        parts = [
            _("%(count)d updated") % {"count": self.updated},
            _("%(count)d unchanged") % {"count": self.unchanged},
        ]
        if self.not_found:
            parts.append(_("%(count)d not found on arXiv") % {"count": len(self.not_found)})
        if self.failed:
            parts.append(
                _("%(count)d not fetched (arXiv unreachable)") % {"count": len(self.failed)}
            )
        return _(", ").join(parts)


def resources_to_enrich(queryset=None, *, only_missing: bool = False):
    """Resources with an arXiv id (of `queryset`, default all); with `only_missing`, those
    never fetched or still without an abstract."""
    queryset = (queryset if queryset is not None else Resource.objects.all()).exclude(arxiv_id="")
    if only_missing:
        queryset = queryset.filter(Q(metadata_fetched_at__isnull=True) | Q(abstract=""))
    return queryset.order_by("pk")


def _author(name: str, created: dict[str, Author]) -> Author:
    key = name.casefold()
    if key not in created:
        created[key] = Author.find(name) or Author.objects.create(name=name)
    return created[key]


def _set_authors(resource: Resource, names: list[str], authors: dict[str, Author]) -> bool:
    wanted = []
    for name in names:
        author = _author(name, authors)
        if author not in wanted:  # two spellings of one person: one authorship
            wanted.append(author)
    current = [a.author_id for a in resource.authorships.order_by("position")]
    if current == [author.pk for author in wanted]:
        return False
    resource.authorships.all().delete()
    for position, author in enumerate(wanted):  # one by one, so history records each
        Authorship.objects.create(resource=resource, author=author, position=position)
    return True


@transaction.atomic
def apply_record(
    resource: Resource, record: ArxivRecord, *, authors: dict[str, Author] | None = None
) -> bool:
    """Write `record` onto `resource` where no curator has edited the field; True if changed."""
    curated = set(resource.curated_fields)
    values = {
        "abstract": record.abstract,
        "published": record.published,
        "arxiv_category": record.primary_category,
        "doi": record.doi,
    }
    if record.published and not resource.year:
        values["year"] = record.published.year
    changed, sources = [], set(resource.metadata_sources)
    for name, value in values.items():
        if name in curated or not value:
            continue
        if name == "doi" and resource.doi and "doi" not in sources:
            continue  # the DOI the resource's own URL names
        sources.add(name)
        if getattr(resource, name) != value:
            setattr(resource, name, value)
            changed.append(name)
    if record.authors and "authors" not in curated:
        sources.add("authors")
        if _set_authors(resource, record.authors, authors if authors is not None else {}):
            changed.append("authors")
    resource.metadata_sources = sorted(sources)
    resource.metadata_fetched_at = timezone.now()
    resource._change_reason = CHANGE_REASON  # django-simple-history's note on the version
    fields = [name for name in changed if name != "authors"]
    resource.save(update_fields=[*fields, "metadata_sources", "metadata_fetched_at", "doi"])
    return bool(changed)


def enrich(
    resources: Iterable[Resource],
    *,
    client: ArxivClient,
    batch_size: int = 50,
    progress: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Fetch arXiv's metadata for `resources` (with arxiv ids) and store it, batch by batch.

    Each batch is written in its own transaction, so an interruption keeps what was stored;
    a batch arXiv does not answer is reported and the rest go on.
    """
    report = EnrichReport()
    by_id: dict[str, list[Resource]] = {}
    for resource in resources:
        by_id.setdefault(resource.arxiv_id, []).append(resource)
    ids = list(by_id)
    authors: dict[str, Author] = {}
    with bulk_write(), deferred_refresh():
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            try:
                found = {record.arxiv_id: record for record in client.fetch(batch)}
            except ArxivError as error:
                report.failed.append(str(error))
                found = None
            if found is not None:
                with transaction.atomic():
                    for arxiv_id in batch:
                        record = found.get(arxiv_id)
                        if record is None:
                            report.not_found.append(arxiv_id)
                            continue
                        for resource in by_id[arxiv_id]:
                            if apply_record(resource, record, authors=authors):
                                report.updated += 1
                            else:
                                report.unchanged += 1
            if progress:
                progress(len(batch))
    bump_catalogue_version()
    return report
