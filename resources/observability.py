"""Logs and metrics for operators: request ids, structured (JSON) logs, Prometheus at /metrics.

Every request gets an id (the proxy's `X-Request-ID` when it is sane, else a new one), echoed in
the response and stamped with the signed-in user's id on every log line written while it runs.
Log lines carry no secrets: request objects, cookies and headers are never logged, and anything
that looks like `password=…` or `token=…` is masked. Notes' text is never logged by the library.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
SECRET_VALUES = re.compile(
    r"(?i)\b(password|passwd|token|secret|api[_-]?key|sessionid|csrftoken|authorization)"
    r"(\s*[=:]\s*)(bearer\s+|token\s+)?[^\s&,;\"']+"
)
access_log = logging.getLogger("dlt.access")

REQUESTS = Counter("dlt_http_requests", "HTTP requests answered.", ["method", "view", "status"])
LATENCY = Histogram(
    "dlt_http_request_duration_seconds",
    "Time to answer a request.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30),
)


class RequestObservabilityMiddleware:
    """Outermost middleware: request id, the signed-in user's id, timing, metrics, access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token, user_token = request_id_var.set(request_id), user_id_var.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            view = (match.view_name if match else "") or "unmatched"
            REQUESTS.labels(request.method, view, str(response.status_code)).inc()
            LATENCY.labels(view).observe(elapsed)
            # The path only: a query string is the reader's (searches), not the operator's.
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs after authentication: from here on, log lines name the user.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to every record; masks secret-looking values."""

    def filter(self, record: logging.LogRecord) -> bool:
        # A record can pass several handlers: the first one's filter stamps it.
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
            # Django logs a 4xx/5xx answer (django.request) after the middleware has returned,
            # with the request attached: its id is still on it.
            request = record.__dict__.get("request")
            if record.request_id == "-" and hasattr(request, "request_id"):
                record.request_id = request.request_id
        if record.args:
            record.msg, record.args = record.getMessage(), ()
        record.msg = SECRET_VALUES.sub(r"\1\2[redacted]", str(record.msg))
        # Django attaches the request (its cookies and headers) to error records; never log it.
        for name in ("request", "headers", "cookies"):
            record.__dict__.pop(name, None)
        return True


class JsonLogFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id, extras."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "{levelname}{name}{message}{request_id}{user_id}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC, with milliseconds
        super().__init__(*args, **kwargs)


# Metrics ---------------------------------------------------------------------------------------


class JobsCollector:
    """Queued and running background jobs, read from the database at each scrape."""

    def collect(self):
        from django.db.models import Count

        from resources.models import Job, JobState

        gauge = GaugeMetricFamily("dlt_jobs", "Background jobs by state.", labels=["state"])
        counts = dict(
            Job.objects.unfinished().values_list("state").annotate(n=Count("pk")).order_by()
        )
        for state in (JobState.QUEUED, JobState.RUNNING):
            gauge.add_metric([state], counts.get(state, 0))
        yield gauge


def metrics_registry() -> CollectorRegistry:
    """Every gunicorn worker's counters (multiprocess mode, PROMETHEUS_MULTIPROC_DIR) or this
    process's, plus the job gauges."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    combined = CollectorRegistry()
    combined.register(_Forward(registry))
    combined.register(JobsCollector())
    return combined


class _Forward:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()


def may_read_metrics(request: HttpRequest) -> bool:
    """From an allowed address directly (not through a proxy), or with the bearer token."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and constant_time_compare(offered, f"Bearer {token}"):
        return True
    proxied = "X-Forwarded-For" in request.headers or "X-Real-IP" in request.headers
    return not proxied and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics. Monitoring only: an allowed address or the token; others get 404."""
    if not may_read_metrics(request):
        raise Http404
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)
