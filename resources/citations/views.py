"""Hooks that turn a list or resource page into its citations when asked with `format=`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from resources.citations import FORMATS, MAX_EXPORT, citation_response
from resources.citations.records import cited
from resources.listing import list_filter
from resources.models import Bookmark, Resource


def requested_format(request: HttpRequest) -> str | None:
    """The citation format the query string asks for (`format=bibtex|ris|csljson`), if any."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def format_key(request: HttpRequest) -> str:
    """The citation format asked for, as the part of a page's cache key it decides: an
    export and the page are two responses; any other `format` value is ignored."""
    fmt = requested_format(request)
    return urlencode([("format", fmt)]) if fmt else ""


def filtered(request: HttpRequest, queryset, *, fixed=()):
    """`queryset` filtered and sorted by the request's parameters, exactly as its list page
    lists it (the one FilterSet, through `listing.list_filter`)."""
    return list_filter(request, queryset, fixed=fixed).qs


def too_many(request: HttpRequest, count: int) -> HttpResponse:
    return render(
        request,
        "resources/export_refused.html",
        {"count": count, "limit": MAX_EXPORT},
        status=400,
    )


def export_list(
    request: HttpRequest, queryset, *, fixed=(), filename: str = "dlt-library", reader=None
) -> HttpResponse:
    """Every resource of the list view `queryset` (with the request's filters), in the format
    asked for; refused with a message past MAX_EXPORT. With `reader`, their reading status
    and rating go in each entry's note and the download is private to them.
    """
    results = filtered(request, queryset, fixed=fixed)
    count = results.count()
    if count > MAX_EXPORT:
        return too_many(request, count)
    resources = cited(results)
    notes = shelf_notes(reader) if reader is not None else None
    response = citation_response(resources, requested_format(request), filename, notes=notes)
    if reader is not None:
        patch_cache_control(response, private=True, no_store=True)
    return response


def export_one(request: HttpRequest, pk: int) -> HttpResponse:
    """One resource's citation (a resource page asked with `format=`)."""
    resources = cited(Resource.objects.filter(pk=pk))
    if not resources:
        raise Http404
    return citation_response(resources, requested_format(request), f"dlt-library-{pk}")


def shelf_notes(reader) -> dict[int, str]:
    """A note per resource on `reader`'s shelf: their reading status and rating."""
    notes = {}
    for bookmark in Bookmark.objects.of(reader).only("resource_id", "status", "rating"):
        note = _("Reading status: %(status)s") % {"status": bookmark.get_status_display()}
        if bookmark.rating:
            note += "; " + _("rating: %(rating)s/5") % {"rating": bookmark.rating}
        notes[bookmark.resource_id] = note
    return notes
