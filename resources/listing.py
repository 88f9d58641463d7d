"""The one list path: every page that lists resources is built by `list_page`.

The catalogue, a topic, a tag, an author, a search and My library hand it the resources they
are about. It filters them with the one FilterSet (`filters.py`), parses the search once,
reads one page of rows with everything a row shows, marks the reader's bookmarks on those rows
and adds the sidebar. One template loop (`includes/_resource_results.html`) renders the result,
one include per row (`includes/_resource_row.html`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from resources.caching import cached_data, caching_on, catalogue_version, page_cache
from resources.citations import FORMATS as CITATION_FORMATS
from resources.filters import ResourceFilter, all_tags_used
from resources.models import Resource
from resources.pagination import PrimaryKeyPaginator
from resources.search.suggest import suggestions
from resources.shelf import mark_bookmarks

PAGE_PARAM = "page"
FORMAT_PARAM = "format"
ROW_BODY_TEMPLATE = "resources/includes/_resource_row_body.html"


def _values(value) -> list[str]:
    """A cleaned filter value as query-string values: one per item, models by slug."""
    if value in (None, "", []):
        return []
    if isinstance(value, list | tuple):
        return [item for item in value for item in _values(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, Decimal):
        return [format(value.normalize(), "f")]
    if isinstance(value, Model):
        return [value.slug]
    return [str(value)]


def _page_number(request: HttpRequest) -> str:
    number = request.GET.get(PAGE_PARAM, "")
    return number if number.isdigit() and len(number) <= 6 else ""


def _filter_pairs(resource_filter: ResourceFilter) -> list[tuple[str, str]]:
    """The FilterSet's parameters as (name, value) pairs from its cleaned data: unknown
    parameters and invalid values never appear."""
    form = resource_filter.form
    form.is_valid()
    return [
        (name, value)
        for name in form.fields
        if name not in form.errors
        for value in _values(form.cleaned_data.get(name))
    ]


def list_page_key(request: HttpRequest) -> str | None:
    """The part of a list page's cache key that comes from its query: the FilterSet's cleaned
    data, encoded. None (do not cache) when a value is invalid: the page then shows it back
    with its error, and junk values must not each make an entry."""
    if not request.GET:
        return urlencode([(PAGE_PARAM, "")])
    resource_filter = ResourceFilter(request.GET, queryset=Resource.objects.none())
    if not resource_filter.form.is_valid():
        return None
    # An export of the list (`format=bibtex`…) is another response for the same selection.
    wanted = request.GET.get(FORMAT_PARAM, "")
    exported = [(FORMAT_PARAM, wanted)] if wanted in CITATION_FORMATS else []
    pairs = [*_filter_pairs(resource_filter), (PAGE_PARAM, _page_number(request)), *exported]
    return urlencode(pairs)


def list_filter(request: HttpRequest, resources: QuerySet, *, fixed: Iterable[str] = ()):
    """The one FilterSet of a list view: `resources` filtered by the request's query (an
    invalid value is left out, and shown back with its error), without the `fixed` filters
    the page decides itself. List pages, their exports and their feeds all start here."""
    resource_filter = ResourceFilter(request.GET or None, queryset=resources, request=request)
    for name in fixed:
        resource_filter.filters.pop(name, None)
    return resource_filter


def sidebar_tags(*, store: bool = True) -> list:
    """The tags in use, for the sidebar: one query per catalogue version."""
    return cached_data("sidebar-tags", all_tags_used, store=store)


def _rows_key(search_terms: list[str], keys: list[int]) -> str:
    """The cache key of a page's row bodies: what they depend on besides the rows themselves
    (catalogue version, language, the search terms marked in them) and the rows, in order."""
    marks = "\x00".join(search_terms)
    ids = ",".join(str(key) for key in keys)
    variant = f"{catalogue_version()}\x1f{get_language()}\x1f{marks}\x1f{ids}"
    return "row-bodies:" + hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()


def _row_bodies(rows: list[Resource], search_terms: list[str]) -> dict[int, str]:
    """Each row's body by its key, rendered by its template (the same for every reader)."""
    body = get_template(ROW_BODY_TEMPLATE)
    return {row.pk: body.render({"resource": row, "search_terms": search_terms}) for row in rows}


def _page_of_rows(request: HttpRequest, resources: QuerySet, per_page: int, terms: list[str]):
    """(page, rows): one page of `resources` ready for the row template.

    For a signed-in reader (caching on), the bodies of the page's rows, the same for
    everyone, are kept together as one cache entry per page and catalogue version (one read
    when warm, one write after a change). With the entry there the rows are read bare (id,
    featured, reader count); without it they are read whole, once, and their bodies rendered
    and stored. Each row gets its body as `row_body`. Anonymous pages are cached whole
    instead, so their first render pays for no row entries.
    """
    if not (caching_on() and request.user.is_authenticated):
        paginator = PrimaryKeyPaginator(resources, per_page, rows=Resource.objects.for_rows())
        page = paginator.get_page(request.GET.get(PAGE_PARAM))
        return page, list(page.object_list)
    paginator = PrimaryKeyPaginator(resources, per_page)
    number = paginator.number_for(request.GET.get(PAGE_PARAM))
    keys = paginator.keys_of(number)
    key = _rows_key(terms, keys)
    cached = page_cache().probe_many([key]) if keys else {}
    bodies = cached.get(key) if cached else None
    if bodies is None:
        page = paginator.page_of(number, keys, Resource.objects.for_rows())
    else:
        bare = Resource.objects.only("pk", "is_featured").with_bookmark_count()
        page = paginator.page_of(number, keys, bare)
    rows = list(page.object_list)
    if bodies is None:
        bodies = _row_bodies(rows, terms)
        if cached is not None and rows:  # None: the cache is down, so nothing is written
            page_cache().set(key, bodies, settings.PAGE_CACHE_SECONDS)
    for row in rows:
        # Rendered by the row body's template (autoescaped), here or before it was cached.
        # Every row read by these keys has one; a row without is rendered in full by the row.
        if row.pk in bodies:
            row.row_body = mark_safe(bodies[row.pk])
    return page, rows


def list_page(
    request: HttpRequest,
    resources: QuerySet,
    *,
    fixed: Iterable[str] = (),
    per_page: int | None = None,
) -> dict:
    """The context of a list page of `resources`, filtered by the request's query.

    `fixed` names filters the page itself decides (a topic page's topic): they leave the form
    and the query. Query count: a fixed number whatever the page size (tests assert it).
    """
    resource_filter = list_filter(request, resources, fixed=fixed)
    parsed = resource_filter.parsed_query
    terms = parsed.highlight_terms() if parsed else []
    page, rows = _page_of_rows(
        request, resource_filter.qs, per_page or settings.CATALOGUE_PAGE_SIZE, terms
    )
    mark_bookmarks(request.user, rows)
    query = urlencode(_filter_pairs(resource_filter)) if request.GET else ""
    on_page = f"page={page.number}" if page.number > 1 else ""
    page_query = "&".join(part for part in (query, on_page) if part)
    context = {
        "filter": resource_filter,
        "page_obj": page,
        "resources": rows,
        "query_without_page": query,
        # Where a row's bookmark form returns to: this page, with its cleaned query only.
        "next_url": f"{request.path}?{page_query}" if page_query else request.path,
        "search_terms": terms,
        # An anonymous page is cached whole: its parts are read from the cache, never written.
        "tags": SimpleLazyObject(lambda: sidebar_tags(store=request.user.is_authenticated)),
    }
    if parsed:
        context["search_query"] = parsed.raw
        if page.paginator.count == 0:
            context["suggestions"] = suggestions(parsed)
    return context
