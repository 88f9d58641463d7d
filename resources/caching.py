"""Whole-page cache for what anonymous readers see of the catalogue.

Anonymous readers all see the same page for the same address and language, so the rendered
page is kept in the shared "pages" cache. Every key carries the catalogue version, a random
token replaced whenever a catalogue row changes (signals below), so one change retires every
cached page at once, in every server process. Signed-in readers, requests carrying messages and
responses that set cookies or use a CSRF token are never cached: they are someone's own.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from resources.models import Resource
from resources.pagination import PrimaryKeyPaginator

VERSION_KEY = "catalogue-version"


def _cache():
    return caches["pages"]


def bump_catalogue_version() -> str:
    """Retire every cached page. Call after bulk writes that send no signals."""
    version = uuid.uuid4().hex
    _cache().set(VERSION_KEY, version, None)
    return version


def catalogue_version() -> str:
    return _cache().get(VERSION_KEY) or bump_catalogue_version()


def _cacheable(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))


def _page_key(request: HttpRequest) -> str:
    variant = "|".join(
        [
            catalogue_version(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.get_host(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Boosted", ""),
            request.headers.get("Accept", ""),  # the API answers JSON or HTML by it
            request.get_full_path(),
        ]
    )
    return "page:" + hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs of `view` from the page cache; everyone else gets a fresh render."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = _cached_or_fresh(request, *args, **kwargs)
        # Pages are kept per language, which comes from the language cookie or Accept-Language:
        # a shared cache in front of the site must keep them apart too.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _cached_or_fresh(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        cache = _cache()
        key = _page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # DRF and TemplateResponse render late; the cache needs bytes
        if _storable(request, response):
            cache.set(
                key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS
            )
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


# Invalidation ------------------------------------------------------------------------------


def _catalogue_models() -> set[type]:
    from taggit.models import Tag, TaggedItem

    from resources.models import (
        Author,
        AuthorAlias,
        Authorship,
        Library,
        Resource,
        ResourceLink,
        Topic,
    )

    return {Library, Topic, Author, AuthorAlias, Resource, Authorship, ResourceLink}.union(
        {Tag, TaggedItem}
    )


def _bump_on_commit() -> None:
    """Bump now, and again once the surrounding transaction commits.

    The first bump keeps the writer's own next read fresh; the second retires any page another
    process rendered from the old rows between the write and the commit.
    """
    connection = transaction.get_connection()
    registered = connection.in_atomic_block and any(
        entry[1] is bump_catalogue_version for entry in connection.run_on_commit
    )
    if not (registered and _bulk_write.get()):
        bump_catalogue_version()
    if connection.in_atomic_block and not registered:
        transaction.on_commit(bump_catalogue_version)


_bulk_write: ContextVar[bool] = ContextVar("catalogue_bulk_write", default=False)


@contextmanager
def bulk_write():
    """For writes of thousands of rows in one transaction (an import): bump the version once
    now and once at commit, not once per row."""
    token = _bulk_write.set(True)
    try:
        yield
    finally:
        _bulk_write.reset(token)


def _on_change(sender, **kwargs) -> None:
    _bump_on_commit()


def connect_signals() -> None:
    """Retire cached pages on every change to a catalogue row (called from AppConfig.ready)."""
    for model in _catalogue_models():
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    from resources.models import Resource

    # tags.add()/authors.set() on the many-to-many managers send m2m_changed, not post_save.
    for through in (Resource.authors.through, Resource.tags.through):
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"page-cache-m2m-{through}")


# Shared pieces of signed-in pages ------------------------------------------------------------
# A signed-in reader's page is rendered for them, but most of it is the same for everyone: the
# sidebar's topics and tags, and each resource's row (with a search's terms marked, per set of
# terms). Those are cached per catalogue version, so they are retired with the pages. Anything
# about the reader (bookmarks, notes) must stay outside them: added around the body by the
# `resource_row` tag, never in _resource_row_body.html.

ROW_BODY_TEMPLATE = "resources/includes/_resource_row_body.html"


def cached_data(name: str, compute: Callable[[], object]) -> object:
    """`compute()`, remembered until the catalogue changes (when the page cache is on)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    cache = _cache()
    key = f"data:{catalogue_version()}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


class RowBodies:
    """The rendered bodies of one page's rows, taken from the cache where possible.

    Built before the page is rendered so that only rows missing from the cache pay for the
    prefetch of their authors, tags and links (`missing`).
    """

    def __init__(
        self, resources: list, *, bundle: str = "", search_terms: Sequence[str] = ()
    ) -> None:
        self.version = catalogue_version()
        self.language = get_language()
        # Rows with marked search terms are cached per set of terms: a popular query's rows
        # are rendered once per catalogue version, like everyone's plain rows.
        self.search_terms = list(search_terms)
        self.marks = (
            hashlib.sha256(
                "\x00".join(self.search_terms).encode("utf-8", "surrogatepass")
            ).hexdigest()[:16]
            if self.search_terms
            else ""
        )
        cache = _cache()
        wanted = [resource.pk for resource in resources]
        # A page seen before is one read (its bundle); else one read per row, and the bundle
        # is written once every row of the page is cached.
        bundle_key = f"rows:{self.version}:{self.language}:{self.marks}:{bundle}" if bundle else ""
        self.html: dict[int, str] = (cache.get(bundle_key) or {}) if bundle_key else {}
        if any(pk not in self.html for pk in wanted):
            keys = {self._key(pk): pk for pk in wanted}
            self.html = {keys[key]: html for key, html in cache.get_many(list(keys)).items()}
            if bundle_key and len(self.html) == len(wanted):
                cache.set(bundle_key, self.html, settings.PAGE_CACHE_SECONDS)
        self.missing = [pk for pk in wanted if pk not in self.html]

    def _key(self, pk: int) -> str:
        return f"row:{self.version}:{self.language}:{self.marks}:{pk}"

    def render(self, resource) -> str:
        html = self.html.get(resource.pk)
        if html is None:
            html = render_row_body(resource, self.search_terms)
            _cache().set(self._key(resource.pk), html, settings.PAGE_CACHE_SECONDS)
            self.html[resource.pk] = html
        return html


def render_row_body(resource, search_terms=None) -> str:
    return loader.render_to_string(
        ROW_BODY_TEMPLATE, {"resource": resource, "search_terms": search_terms or []}
    )


def selection_key(request: HttpRequest) -> str:
    """What a catalogue list shows, whatever its page: path and sorted filters, hashed."""
    query = sorted((k, v) for k, values in request.GET.lists() if k != "page" for v in values)
    text = request.path + "?" + "&".join(f"{k}={v}" for k, v in query)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def page_of_rows(
    results: Callable,
    page_number,
    per_page: int,
    *,
    selection: str,
    search_terms: Sequence[str] = (),
):
    """A page of the queryset `results()` builds, for a catalogue list, with cached row bodies.

    With the cache on, the ordered ids of the whole selection, its count and each page's ids
    are remembered (until the catalogue changes), so paging and repeated views skip the sort
    and the count; only rows missing from the row cache pay for the prefetch of their authors,
    tags and links. Rows of a search, with `search_terms` marked in them, are cached per set
    of terms.
    Returns (page, row_bodies); row_bodies is None when the cache is off, and the page's rows
    then come prefetched from `with_related()` as before.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        page = PrimaryKeyPaginator(results().with_related(), per_page).get_page(page_number)
        return page, None

    def selection_ids() -> list[int]:
        return cached_data(f"ids:{selection}", lambda: list(results().values_list("pk", flat=True)))

    # The count and each page's ids are cached apart from the whole selection's, so that a warm
    # page reads 50 ids rather than unpickling 10,000 (0.7 ms here; 7 ms at 100,000).
    count = cached_data(f"count:{selection}", lambda: len(selection_ids()))
    page = Paginator(range(count), per_page).get_page(page_number)
    positions = page.object_list
    page.object_list = cached_data(
        f"ids:{selection}:{per_page}:{page.number}",
        lambda: [selection_ids()[position] for position in positions],
    )
    found = {resource.pk: resource for resource in _bare_rows(page.object_list)}
    resources = [found[pk] for pk in page.object_list if pk in found]
    rows = RowBodies(resources, bundle=f"{selection}:{page.number}", search_terms=search_terms)
    if rows.missing:
        full = {r.pk: r for r in Resource.objects.with_related().filter(pk__in=rows.missing)}
        resources = [full.get(resource.pk, resource) for resource in resources]
    page.object_list = resources
    return page, rows


def _bare_rows(ids: Sequence[int]) -> list[Resource]:
    """The resources `ids` with what a row shows around its cached body (the `resource_row`
    tag): id, featured flag and `bookmark_count`. Their bodies come from the row cache, and
    rows missing from it are fetched whole by the caller.

    Written as SQL because it runs on every signed-in list page, and the ORM took three times
    as long to build this query (1.4 ms here) as the database took to answer it; the result
    is the same as `only("pk", "is_featured").with_bookmark_count()`, checked by the tests
    that compare cached and fresh pages.
    """
    from resources.models import Bookmark

    ids = [int(pk) for pk in ids]
    if not ids:
        return []
    quote = connection.ops.quote_name
    resources, bookmarks = quote(Resource._meta.db_table), quote(Bookmark._meta.db_table)
    pk, featured = quote(Resource._meta.pk.column), quote("is_featured")
    shelved = quote(Bookmark._meta.get_field("resource").column)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT r.{pk}, r.{featured}, (SELECT COUNT(*) FROM {bookmarks} b"
        f" WHERE b.{shelved} = r.{pk}) AS bookmark_count"
        f" FROM {resources} r WHERE r.{pk} IN ({placeholders})"
    )
    return list(Resource.objects.raw(sql, ids))


def shared_fragment(context, template_name: str) -> str:
    """An include that is the same for every reader of this selection, cached per selection."""
    template = context.template.engine.get_template(template_name)
    selection = context.get("selection")
    if selection is None:
        return template.render(context)
    return cached_data(f"fragment:{template_name}:{selection}", lambda: template.render(context))
