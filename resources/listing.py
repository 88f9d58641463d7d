"""The one list path: every page that lists resources is built by `list_page`.

The catalogue, a topic, a tag, an author, a search and My library hand it the resources they
are about. It filters them with the one FilterSet (`filters.py`), parses the search once,
reads one page of keys and then its rows (`_page_of_rows`: for a signed-in reader, from a cache
entry shared by every signed-in reader; rows' bodies drawn before come from this process's
memory, `row_bodies.py`), marks the reader's bookmarks, draws the rows and adds the sidebar.
The rows are drawn by Jinja2 templates (`draw_rows`: a cached row as it is, any other with
`includes/_resource_row.html`, in templates/jinja2/); the page around them is a Django template
(`includes/_resource_results.html`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from resources.caching import (
    CATALOGUE,
    READERS,
    cached_data,
    caching_on,
    page_cache,
    storing_parts,
    versions,
)
from resources.citations import FORMATS as CITATION_FORMATS
from resources.filters import ResourceFilter, all_tags_used
from resources.models import Resource
from resources.pagination import PrimaryKeyPaginator
from resources.release import release
from resources.row_bodies import row_bodies
from resources.search.suggest import suggestions
from resources.shelf import mark_bookmarks, reader_shelf

PAGE_PARAM = "page"
FORMAT_PARAM = "format"
# Jinja2 templates (templates/jinja2/): a list's rows, one of them, a row's bookmark control.
ROWS_TEMPLATE = "resources/includes/_resource_rows.html"
ROW_TEMPLATE = "resources/includes/_resource_row.html"
CONTROL_TEMPLATE = "resources/includes/_bookmark_control.html"


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
    data, encoded. None (do not cache) when a filter's value is invalid or not applied as
    given: the page then shows it back on its chip, and junk values must not each make an
    entry. Parameters the list does not know are left out (the page is the same without them)."""
    if not request.GET:
        return urlencode([(PAGE_PARAM, "")])
    return _query_key(request, ResourceFilter(request.GET, queryset=Resource.objects.none()))


def _query_key(request: HttpRequest, resource_filter: ResourceFilter) -> str | None:
    """`list_page_key` by `resource_filter`, bound to the request's query (a list page's own,
    already validated, or a fresh one)."""
    if not resource_filter.form.is_valid():
        return None
    applied = _filter_pairs(resource_filter)
    # A filter value the list does not apply as given (featured=maybe, the first of two kinds,
    # 2020.0 for 2020) is shown back on its chip: such a page is not served from, or kept for,
    # the address without it.
    if any(
        (name, value) not in applied
        for name, values in request.GET.lists()
        if name in resource_filter.form.fields
        for value in values
        if value.strip()
    ):
        return None
    # An export of the list (`format=bibtex`…) is another response for the same selection.
    wanted = request.GET.get(FORMAT_PARAM, "")
    exported = [(FORMAT_PARAM, wanted)] if wanted in CITATION_FORMATS else []
    pairs = [*applied, (PAGE_PARAM, _page_number(request)), *exported]
    return urlencode(pairs)


def list_filter(request: HttpRequest, resources: QuerySet, *, fixed: Iterable[str] = ()):
    """The one FilterSet of a list view: `resources` filtered by the request's query (an
    invalid value is left out, and shown back with its error), without the `fixed` filters
    the page decides itself. List pages, their exports and their feeds all start here."""
    resource_filter = ResourceFilter(request.GET or None, queryset=resources, request=request)
    for name in fixed:
        resource_filter.filters.pop(name, None)
    return resource_filter


def sidebar_tags() -> list:
    """The tags in use, for the sidebar: one query per catalogue version."""
    return cached_data("sidebar-tags", all_tags_used, store=storing_parts())


@dataclass(frozen=True, slots=True)
class CachedRow:
    """A list row written whole from the cache (`row_html`): the same for every signed-in
    reader who has not bookmarked the resource."""

    pk: int
    row_html: str


class _AnyReader:
    """Who a row cached for every signed-in reader is rendered for: someone signed in, and
    nothing more (no name, no bookmarks), so no reader's own data can reach the entry."""

    is_authenticated = True


def _rows_key(search_terms: list[str], keys: list[int], *, whole_rows: bool) -> str:
    """The cache key of a page's rows: what they show besides the rows themselves (the
    catalogue, readers' counts, the language, the search terms marked in them), the rows in
    order, and the release that renders them (the entries' shape and templates)."""
    marks = "\x00".join(search_terms)
    ids = ",".join(str(key) for key in keys)
    kind = "rows" if whole_rows else "bodies"
    parts = [release(), *versions(CATALOGUE, READERS), get_language() or "", kind, marks, ids]
    variant = "\x1f".join(parts)
    return "rows:" + hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()


def with_bodies(rows: list[Resource], terms: list[str]) -> list[Resource]:
    """`rows` (as `for_rows()` loads them) with their bodies drawn (`row_body`), for the row
    template. (A signed-in page's rows rebuilt from its shared entry carry the entry's body.)"""
    for row, body in zip(rows, row_bodies(rows, terms, keep=caching_on()), strict=True):
        # `row_html` is empty: the rows template writes a row cached whole as it is, and any
        # other through the row template.
        row.row_body, row.row_html = body, ""
    return rows


def control_context(
    user, next_url: str, *, full_forms: bool = False, csrf_token: str = "", error: str = ""
) -> dict:
    """What the row and bookmark-control templates show of the reader who asks, besides the
    resource: who they are, where a form returns to (`next_url`) and, with `full_forms`, the
    status and rating form (which posts with `csrf_token`) instead of a row's buttons."""
    return {
        "user": user,
        "next_url": next_url,
        "login_url": f"{reverse('login')}?next={quote(next_url, safe='/')}",
        "full_bookmark_form": full_forms,
        "csrf_token": csrf_token,
        "error": error,
    }


def draw_rows(rows: list, reader: dict) -> SafeString:
    """The HTML of `rows` (from `with_bodies`, marked with the reader's bookmarks, or cached
    whole) for the reader `reader` describes (`control_context`)."""
    template = get_template(ROWS_TEMPLATE, using="jinja2")
    return mark_safe(template.render({**reader, "resources": rows}))  # autoescaped by Jinja2


def draw_control(resource: Resource, reader: dict) -> SafeString:
    """The bookmark control of `resource` alone (the resource page, an htmx answer) for the
    reader `reader` describes (`control_context`)."""
    template = get_template(CONTROL_TEMPLATE, using="jinja2")
    return mark_safe(template.render({**reader, "resource": resource}))  # autoescaped by Jinja2


def _row_entries(rows: list[Resource], terms: list[str], *, whole_rows: bool) -> dict:
    """What a page's rows show the same to every signed-in reader, by key: (body, featured,
    reader count, whole row). The body comes from `row_bodies` (with the search terms marked);
    the whole row (with `whole_rows`) is rendered by the row template, as any signed-in reader
    sees it who has not bookmarked the resource."""
    row_template = get_template(ROW_TEMPLATE, using="jinja2") if whole_rows else None
    # Row buttons post the page's one form, so a row shows nothing of the page it is on.
    any_reader = control_context(_AnyReader(), "")
    entries = {}
    for row, body in zip(rows, row_bodies(rows, terms, keep=True), strict=True):
        whole = ""
        if whole_rows:
            # These row objects serve this rendering only: the page is made from the entries.
            row.row_body, row.reader_bookmark = body, None
            whole = row_template.render({**any_reader, "resource": row})
        entries[row.pk] = (body, row.is_featured, row.bookmark_count, whole)
    return entries


def _page_keys(request: HttpRequest, paginator: PrimaryKeyPaginator, query: str | None):
    """(number, keys): the page of the selection the request asks for and its rows' keys.

    Given the page's cleaned `query` (a search that every reader sees alike, on a signed-in
    page: its ranking costs more than the rest of a warm page) they are kept with the count,
    per catalogue and readers' version (a popularity sort follows readers' bookmarks), under
    the page's address and that query. Without it they are computed."""

    def compute() -> tuple[int, int, list]:
        number = paginator.number_for(request.GET.get(PAGE_PARAM))
        return number, paginator.count, paginator.keys_of(number)

    # A page asked for in another spelling (`page=-1`, `page=+2`, past the last) is found by
    # the paginator but not named by the query's clean page number: computed, never kept.
    if query is None or request.GET.get(PAGE_PARAM, "") != _page_number(request):
        number, _count, keys = compute()
        return number, keys
    address = f"{request.path}?{query}".encode("utf-8", "surrogatepass")
    name = "page-keys:" + hashlib.sha256(address).hexdigest()
    number, count, keys = cached_data(name, compute, depends=(CATALOGUE, READERS))
    paginator.count = count  # read with the keys: not counted again
    return number, keys


def _page_of_rows(
    request: HttpRequest,
    resources: QuerySet,
    per_page: int,
    terms: list[str],
    *,
    whole_rows: bool,
    shared_query: str | None,
):
    """(page, rows): one page of `resources` ready for the results loop: a resource marked
    with the reader's bookmark (`reader_bookmark`), or a `CachedRow` written as it is.

    For a signed-in reader (caching on), what the page's rows show the same to every reader
    is kept as one cache entry per page (`_row_entries`), retired by any change to the
    catalogue or to readers' counts. With the entry there nothing but the page's keys and the
    reader's bookmarks of them is read: a row the reader has not bookmarked is written whole
    from the entry (`row_html`), one they have is rendered around its cached body
    (`row_body`) with their own control. Without it the rows are read whole, once, and the
    entry made. Anonymous pages are cached whole instead, so their first render pays for no
    row entries. Either way, with caching on, a body this process has drawn before for the
    same resource state comes from its memory (`row_bodies`). A search every reader sees
    alike (its cleaned query in `shared_query`) keeps its page's keys too (`_page_keys`).
    """
    user = request.user
    paginator = PrimaryKeyPaginator(resources, per_page)
    signed_in = caching_on() and user.is_authenticated
    number, keys = _page_keys(request, paginator, shared_query if signed_in else None)
    if not signed_in:
        page = paginator.page_of(number, keys, Resource.objects.for_rows())
        rows = with_bodies(list(page.object_list), terms)
        mark_bookmarks(user, rows)
        return page, rows
    shelf = reader_shelf(user, keys)
    key = _rows_key(terms, keys, whole_rows=whole_rows)
    cached = page_cache().probe_many([key]) if keys else {}
    entries = cached.get(key) if cached else None
    # An entry without one of the keys (made while that row was being deleted) is remade.
    if entries is None or any(pk not in entries for pk in keys):
        page = paginator.page_of(number, keys, Resource.objects.for_rows())
        entries = _row_entries(list(page.object_list), terms, whole_rows=whole_rows)
        if cached is not None and entries:  # None: the cache is down, so nothing is written
            page_cache().set(key, entries, settings.PAGE_CACHE_SECONDS)
    rows = []
    for pk in keys:
        if pk not in entries:  # deleted since its key was read
            continue
        body, featured, count, whole = entries[pk]
        # Rendered by the row templates (autoescaped), here or before they were cached.
        if whole and pk not in shelf:
            rows.append(CachedRow(pk, mark_safe(whole)))
            continue
        row = Resource(pk=pk, is_featured=featured)
        row.bookmark_count, row.reader_bookmark = count, shelf.get(pk)
        row.row_body, row.row_html = mark_safe(body), ""
        rows.append(row)
    return paginator.page_with(number, rows), rows


def list_page(
    request: HttpRequest,
    resources: QuerySet,
    *,
    fixed: Iterable[str] = (),
    per_page: int | None = None,
    full_bookmark_forms: bool = False,
    same_for_everyone: bool = False,
) -> dict:
    """The context of a list page of `resources`, filtered by the request's query.

    `fixed` names filters the page itself decides (a topic page's topic): they leave the form
    and the query. `full_bookmark_forms` gives each row the status and rating form (My
    library) instead of its buttons. `same_for_everyone` says that `resources` and the query
    alone choose the list, whoever asks (not My library): a signed-in search then keeps its
    page's keys for every reader. Query count: a fixed number whatever the page size (tests
    assert it).
    """
    resource_filter = list_filter(request, resources, fixed=fixed)
    parsed = resource_filter.parsed_query
    terms = parsed.highlight_terms() if parsed else []
    page, rows = _page_of_rows(
        request,
        resource_filter.qs,
        per_page or settings.CATALOGUE_PAGE_SIZE,
        terms,
        whole_rows=not full_bookmark_forms,
        # A query with a value not applied as given (None) is not kept either.
        shared_query=_query_key(request, resource_filter) if same_for_everyone and parsed else None,
    )
    query = urlencode(_filter_pairs(resource_filter)) if request.GET else ""
    on_page = f"page={page.number}" if page.number > 1 else ""
    page_query = "&".join(part for part in (query, on_page) if part)
    # Where a row's bookmark form returns to: this page, with its cleaned query only.
    next_url = f"{request.path}?{page_query}" if page_query else request.path
    reader = control_context(
        request.user,
        next_url,
        full_forms=full_bookmark_forms,
        csrf_token=get_token(request) if full_bookmark_forms else "",
    )
    context = {
        "filter": resource_filter,
        "page_obj": page,
        "resources": rows,
        "rows_html": draw_rows(rows, reader),
        "query_without_page": query,
        "next_url": next_url,
        "full_bookmark_form": full_bookmark_forms,
        "tags": SimpleLazyObject(sidebar_tags),
    }
    if parsed:
        context["search_query"] = parsed.raw
        if page.paginator.count == 0:
            context["suggestions"] = suggestions(parsed)
    return context
