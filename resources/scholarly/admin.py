"""The admin's part in arXiv metadata: the "Fetch metadata from arXiv" action and the marks
that show which fields came from arXiv. Curators with the change permission only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from resources.models import Resource
from resources.scholarly.arxiv import ArxivClient
from resources.scholarly.enrich import enrich, resources_to_enrich


@admin.action(description=_("Fetch metadata from arXiv"), permissions=["change"])
def fetch_arxiv_metadata(modeladmin, request, queryset) -> None:
    resources = list(resources_to_enrich(queryset))
    if not resources:
        modeladmin.message_user(
            request, _("None of the selected resources has an arXiv id."), messages.WARNING
        )
        return
    with ArxivClient(api_url=settings.ARXIV_API_URL, delay=settings.ARXIV_API_DELAY) as client:
        report = enrich(resources, client=client)
    level = messages.ERROR if report.failed else messages.SUCCESS
    modeladmin.message_user(
        request, _("Metadata from arXiv: %(summary)s.") % {"summary": report.summary()}, level
    )


@admin.display(description=_("from arXiv"))
def from_arxiv(resource: Resource) -> str:
    """The fields arXiv filled, and when; a curator's edit of one takes it off this list."""
    if not resource.metadata_sources:
        return "–"
    fetched = resource.metadata_fetched_at
    names = ", ".join(resource.metadata_sources)
    return f"{names} ({fetched:%Y-%m-%d})" if fetched else names


def forget_arxiv_source(resource: Resource, names: set[str]) -> None:
    """A curator edited `names`: they are the curator's now, no longer arXiv's."""
    if set(resource.metadata_sources) & names:
        resource.metadata_sources = sorted(set(resource.metadata_sources) - names)
