"""Probes and last-resort error pages for operators and load balancers.

`healthz` says the process answers (no database); `readyz` says it can serve (the database
answers; the cache's state is reported too). `server_error` is Django's handler500: it must
work when nothing else does, so it renders static templates without a request context, and
tells a database outage apart (503).
"""

from __future__ import annotations

import logging
import sys

from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from resources.cache_backends import cache_is_available

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Anyone; touches no database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database answers `SELECT 1`, 503 otherwise. Anyone.

    The page cache is reported but does not decide: without it pages render uncached.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readyz: database unavailable: %s", error)
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    cache = "available" if cache_is_available(caches["pages"]) else "unavailable"
    return HttpResponse(
        f"ready\ndatabase: available\ncache: {cache}\n", content_type="text/plain; charset=utf-8"
    )


def unavailable_response() -> HttpResponse:
    """The 503 page: static, rendered without a request so no context processor runs."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere in the stack is a 503, anything else a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable_response()
    return HttpResponse(loader.render_to_string("500.html"), status=500)
