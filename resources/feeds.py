"""Feeds of any catalogue view: Atom 1.0 and JSON Feed 1.1 of its newest resources. Anyone.

`/resources/feed.atom?<filters>` and `/resources/feed.json?<filters>` take the catalogue's
filters (the one FilterSet); a feed always lists the newest additions first.
"""

from __future__ import annotations

import json

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from resources.caching import cache_public_page
from resources.citations.views import filtered
from resources.listing import list_page_key
from resources.models import Resource

FEED_SIZE = 50
IGNORED = ("page", "sort", "format")  # a feed has one order and no pages


def feed_params(request: HttpRequest) -> QueryDict:
    """The request's filters as a feed of them takes them (a mutable copy)."""
    query = request.GET.copy()
    for key in IGNORED:
        query.pop(key, None)
    return query


def feed_query(request: HttpRequest) -> str:
    return feed_params(request).urlencode()


def newest(request: HttpRequest) -> list[Resource]:
    """The FEED_SIZE newest resources of the view the request's filters describe."""
    results = filtered(request, Resource.objects.all())
    return list(results.order_by("-created", "-pk").for_feed()[:FEED_SIZE])


def _list_url(request: HttpRequest) -> str:
    query = feed_query(request)
    return reverse("resources:resource-list") + (f"?{query}" if query else "")


def _title(request: HttpRequest) -> str:
    search = request.GET.get("q", "").strip()[:100]
    if search:
        return _("DLT Library: new resources matching “%(q)s”") % {"q": search}
    return _("DLT Library: new resources")


def _body(resource: Resource) -> str:
    return render_to_string("resources/feeds/_item.html", {"resource": resource})


@method_decorator([require_safe, cache_public_page(list_page_key)], name="__call__")
class ResourceAtomFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> HttpRequest:
        return request

    def title(self, request: HttpRequest) -> str:
        return _title(request)

    def link(self, request: HttpRequest) -> str:
        return _list_url(request)

    def subtitle(self, request: HttpRequest) -> str:
        return _("The newest resources of this view of the deep learning theory library.")

    def items(self, request: HttpRequest) -> list[Resource]:
        return newest(request)

    def item_title(self, resource: Resource) -> str:
        return resource.title

    def item_description(self, resource: Resource) -> str:
        return _body(resource)

    def item_author_name(self, resource: Resource) -> str | None:
        return ", ".join(author.name for author in resource.ordered_authors) or None

    def item_pubdate(self, resource: Resource):
        return resource.created

    def item_updateddate(self, resource: Resource):
        return resource.updated

    def item_categories(self, resource: Resource) -> list[str]:
        return [tag.name for tag in resource.tags.all()]


atom_feed = ResourceAtomFeed()


@require_safe
@cache_public_page(list_page_key)
def json_feed(request: HttpRequest) -> HttpResponse:
    """JSON Feed 1.1 of the newest resources of a filtered view. Anyone."""
    items = []
    for resource in newest(request):
        item = {
            "id": request.build_absolute_uri(resource.get_absolute_url()),
            "url": request.build_absolute_uri(resource.get_absolute_url()),
            "title": resource.title,
            "content_html": _body(resource),
            "date_published": resource.created.isoformat(),
            "date_modified": resource.updated.isoformat(),
            "language": resource.language,
            "tags": [tag.name for tag in resource.tags.all()],
        }
        if resource.url:
            item["external_url"] = resource.url
        authors = [{"name": author.name} for author in resource.ordered_authors]
        if authors:
            item["authors"] = authors
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _title(request),
        "home_page_url": request.build_absolute_uri(_list_url(request)),
        "feed_url": request.build_absolute_uri(request.get_full_path()),
        "language": getattr(request, "LANGUAGE_CODE", "en"),
        "items": items,
    }
    return HttpResponse(
        json.dumps(feed, ensure_ascii=False), content_type="application/feed+json; charset=utf-8"
    )
