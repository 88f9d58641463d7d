"""Middleware that keeps bad input and a lost database from turning into server errors."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

from resources.views.health import DATABASE_DOWN, unavailable_response

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class RejectNulBytesMiddleware:
    """Keep NUL bytes away from the views: dropped from the query, refused (400) elsewhere.

    No reader types one, and PostgreSQL refuses them in text, so one letting through would
    surface as a ValueError deep in a query: one rule here covers every view. A query string
    is only a view's settings, so it is cleaned and served; a path or a form with a NUL byte
    is refused, since silently changing what someone submitted would be worse.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refuse = "\x00" in request.path
        if not refuse and request.method == "POST" and request.content_type in FORM_TYPES:
            refuse = _has_nul(request.POST)
        if refuse:
            return HttpResponseBadRequest(
                "Bad request: the address or form contains a NUL byte.",
                content_type="text/plain; charset=utf-8",
            )
        if _has_nul(request.GET):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
            request.META["QUERY_STRING"] = cleaned.urlencode()
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503 "temporarily unavailable", even in DEBUG.

    Failures outside views (sessions, authentication) reach handler500, which does the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error("database unavailable serving %s: %s", request.path, exception)
            return unavailable_response()
        return None


class AdminInlineStylesMiddleware:
    """Lets the admin's own inline styles through the CSP (staff-only pages; no inline script).

    Django's admin and django-simple-history's templates set a few `style` attributes; every
    public page keeps the strict `style-src 'self'`. Listed after CSPMiddleware, so it marks
    the response before the policy header is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
