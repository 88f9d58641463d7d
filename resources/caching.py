"""Caching of what is the same for everyone, and retiring it when it changes.

Two things are cached, both in the shared "pages" cache (Redis, or files on one machine), so
that every server process sees the same entries and the same retirements:

- whole pages for anonymous visitors (`cache_public_page`), keyed on the page's address, the
  parameters its view understands (cleaned and encoded, never the raw query string), the
  language and the kind of response asked for;
- data the same for every reader, such as the sidebar's tags (`cached_data`), and a list
  page's rows as every signed-in reader sees them (`listing._page_of_rows`).

Every key carries the release (`release.py`: no server reads what another release's templates
and code rendered) and version tokens. A write that changes what a public page shows replaces a
token, which retires every entry made with the old one at once, in every process:
`catalogue` (resources, topics, tags, authors, synonyms: the signals below) and `readers`
(bookmark counts and public notes). Nothing about who asks is ever cached: signed-in readers
get a fresh render around the shared parts, and a response that sets a cookie or carries a
message is never stored.

List rows' bodies are kept apart, in each process's memory, under keys made of what they show
(`row_bodies.py`): they need no version token, since a change gives them a new key.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from resources.cache_backends import CACHE_ERRORS, report_unavailable
from resources.release import release

CATALOGUE = "catalogue"
READERS = "readers"
# The same on a hit and on a miss: the API answers JSON or HTML by Accept, htmx gets a fragment,
# and the language comes from the language cookie or Accept-Language.
PAGE_VARY = ("Accept", "Accept-Language", "Cookie", "HX-Request", "HX-Boosted")
# Content-Disposition: a citation export is a download with its own file name.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Content-Disposition")


class SharedCache:
    """The "pages" cache as this module uses it: while its backend cannot be reached, a read
    is a miss and a write is dropped (logged once a minute), so pages render uncached."""

    def __init__(self, backend) -> None:
        self.backend = backend

    def _call(self, operation: str, fallback, *args):
        try:
            return getattr(self.backend, operation)(*args)
        except CACHE_ERRORS as error:
            report_unavailable(operation, error)
            return fallback

    def get(self, key: str, default=None):
        return self._call("get", default, key, default)

    def get_many(self, keys: list[str]) -> dict:
        return self._call("get_many", {}, keys)

    def set(self, key: str, value, timeout) -> None:
        self._call("set", None, key, value, timeout)

    def probe_many(self, keys: list[str]) -> dict | None:
        """`get_many(keys)`, or None when the cache is unreachable (then do not use it)."""
        return self._call("get_many", None, keys)


def page_cache() -> SharedCache:
    return SharedCache(caches["pages"])


def _version_key(name: str) -> str:
    return f"version:{name}"


# The tokens read so far in this request (None outside one): a page's key, its rows, sidebar
# and drawer are made with the same tokens, read from the cache once.
_request_tokens: ContextVar[dict[str, str] | None] = ContextVar("request_tokens", default=None)


def bump_version(name: str) -> str:
    token = uuid.uuid4().hex
    page_cache().set(_version_key(name), token, None)
    read = _request_tokens.get()
    if read is not None:
        read[name] = token  # the writer's own next read in this request sees its write
    return token


def versions(*names: str) -> list[str]:
    """The current token of each named version (made on first use): one cache read, and
    none for a token this request has already read."""
    read = _request_tokens.get()
    tokens = read if read is not None else {}  # bump_version also writes into `read`
    missing = [name for name in names if name not in tokens]
    if missing:
        keys = [_version_key(name) for name in missing]
        found = page_cache().get_many(keys)
        for key, name in zip(keys, missing, strict=True):
            tokens[name] = found.get(key) or bump_version(name)
    return [tokens[name] for name in names]


class RequestVersionsMiddleware:
    """Each request reads each version token at most once (`versions`).

    A change made by another process during the request is seen from the next request on;
    what this request stores under the tokens it read is retired with them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reset = _request_tokens.set({})
        try:
            return self.get_response(request)
        finally:
            _request_tokens.reset(reset)


def bump_catalogue_version() -> str:
    """Retire everything cached about the catalogue. Call after writes that send no signals."""
    return bump_version(CATALOGUE)


def bump_readers_version() -> str:
    """Retire public pages showing readers' counts and notes."""
    return bump_version(READERS)


def catalogue_version() -> str:
    return versions(CATALOGUE)[0]


def caching_on() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


# True while a render that the page cache may keep whole is under way (`cache_public_page`):
# the cheap parts it shows on every list (the sidebar's tags, the drawer) are then not also
# stored apart, so a first render after a change writes one entry.
_whole_page: ContextVar[bool] = ContextVar("whole_page", default=False)


def storing_parts() -> bool:
    """Whether a list's sidebar and drawer rendered now should be stored on their own."""
    return not _whole_page.get()


def cached_data(
    name: str,
    compute: Callable[[], object],
    *,
    depends: Iterable[str] = (CATALOGUE,),
    store: bool = True,
):
    """`compute()`, remembered until one of the `depends` versions changes. With `store`
    false a missing value is computed but not kept."""
    if not caching_on():
        return compute()
    key = ":".join(["data", release(), *versions(*depends), get_language() or "", name])
    value = page_cache().get(key)
    if value is None:
        value = compute()
        if store:
            page_cache().set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


# Whole pages for anonymous visitors ---------------------------------------------------------


def encode_params(request: HttpRequest, names: Iterable[str]) -> str:
    """The request's values of `names` only, each escaped: `a=1&b=x%26y`; unknown names dropped."""
    return urlencode(
        [(name, value) for name in sorted(names) for value in request.GET.getlist(name)]
    )


def _cacheable(request: HttpRequest) -> bool:
    if not caching_on() or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A view that marks its response private (a reader's own export) means it.
        and "private" not in response.get("Cache-Control", "")
    )


def _response_kind(request: HttpRequest) -> str:
    """What the response will be made of, by Accept: a citation format (the API negotiates
    them), HTML, or anything else. A few fixed values, so odd Accept headers make no entries."""
    # Imported here: the citation formats load the models, which import this module's users.
    from resources.citations import FORMATS

    accept = request.headers.get("Accept", "")
    for fmt in FORMATS.values():
        if fmt.content_type in accept:
            return fmt.content_type
    return "html" if "text/html" in accept and "application/json" not in accept else "any"


def _asks_only_for(request: HttpRequest, query: str) -> bool:
    """Whether every parameter of the request's own query string is in `query`, the cleaned
    part of its key. A page echoes its address (its og:url, the sign-in link's `next`, a feed's
    id, the API's `next`), so a render asked with anything else must not be stored for others."""
    cleaned = set(parse_qsl(query, keep_blank_values=True))
    raw = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return all(pair in cleaned for pair in raw)


def _page_key(request: HttpRequest, query: str) -> str:
    variant = "\x1f".join(
        [
            release(),
            *versions(CATALOGUE, READERS),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.get_host(),
            _response_kind(request),
            "htmx" if request.headers.get("HX-Request") else "",
            "boosted" if request.headers.get("HX-Boosted") else "",
            request.path,
            query,
        ]
    )
    return "page:" + hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()


def cache_public_page(params: Iterable[str] | Callable[[HttpRequest], str | None] = ()):
    """Serve anonymous GETs of the view from the page cache; everyone else gets a fresh render.

    `params` names the query parameters the page depends on, or is a function giving their
    cleaned, encoded form (a list's filters; None: this request is not to be cached). Any
    other parameter neither changes the key nor makes a new entry.
    """
    names = () if callable(params) else tuple(params)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            query = None
            if _cacheable(request):
                query = params(request) if callable(params) else encode_params(request, names)
            if query is None:
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, PAGE_VARY)
                if getattr(request, "user", None) and request.user.is_authenticated:
                    # The reader's own render (their bookmarks, statuses): no shared cache
                    # keeps it, and Back refetches it rather than showing a state now past.
                    patch_cache_control(response, private=True, no_store=True)
                return response
            key = _page_key(request, query)
            hit = page_cache().get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content, headers=headers)
                response["X-Page-Cache"] = "hit"
                return response
            whole = _whole_page.set(True)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # DRF and TemplateResponse render late; the cache needs bytes
            finally:
                _whole_page.reset(whole)
            patch_vary_headers(response, PAGE_VARY)
            if _storable(request, response) and _asks_only_for(request, query):
                headers = {name: response[name] for name in STORED_HEADERS if name in response}
                page_cache().set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


# Retiring ------------------------------------------------------------------------------------

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


def bump_now_and_at_commit(bump: Callable[[], str]) -> None:
    """Bump now, and again once the surrounding transaction commits.

    The first bump keeps the writer's own next read fresh; the second retires any page another
    process rendered from the old rows between the write and the commit.
    """
    connection = transaction.get_connection()
    registered = connection.in_atomic_block and any(
        entry[1] is bump for entry in connection.run_on_commit
    )
    if not (registered and _bulk_write.get()):
        bump()
    if connection.in_atomic_block and not registered:
        transaction.on_commit(bump)


def _catalogue_changed(sender, **kwargs) -> None:
    bump_now_and_at_commit(bump_catalogue_version)


def _readers_changed(sender, **kwargs) -> None:
    bump_now_and_at_commit(bump_readers_version)


def connect_signals() -> None:
    """Retire cached pages on every change to what they show (called from AppConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import Tag, TaggedItem

    from resources import models

    catalogue = [
        models.Library,
        models.Topic,
        models.Author,
        models.AuthorAlias,
        models.Resource,
        models.Authorship,
        models.ResourceLink,
        models.LinkCheck,
        models.SearchSynonym,
        models.ReadingPath,
        models.PathStep,
        Tag,
        TaggedItem,
    ]
    readers = [models.Bookmark, models.Annotation]
    for group, receiver in ((catalogue, _catalogue_changed), (readers, _readers_changed)):
        for model in group:
            uid = f"page-cache-{model._meta.label}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    # tags.add()/authors.set() on the many-to-many managers send m2m_changed, not post_save.
    for through in (models.Resource.authors.through, models.Resource.tags.through):
        m2m_changed.connect(
            _catalogue_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through}"
        )
