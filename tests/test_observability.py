"""Operators' view: request ids, JSON logs without secrets, Prometheus metrics behind a gate."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from resources.observability import JsonLogFormatter, RequestContextFilter
from tests.factories import AnnotationFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_lines():
    """What the production handler (JSON, with the context filter) writes, line by line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonLogFormatter())
    root, access = logging.getLogger(), logging.getLogger("dlt.access")
    root.addHandler(handler)
    old_level = access.level
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    access.setLevel(old_level)


def test_every_response_carries_a_new_request_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_sane_incoming_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get(reverse("healthz"), headers={"X-Request-ID": "proxy-abc.123:4"})
    assert kept["X-Request-ID"] == "proxy-abc.123:4"
    for strange in ["short", "x" * 200, "id with spaces", "evil\nheader-value", "<script>"]:
        response = client.get(reverse("healthz"), headers={"X-Request-ID": strange})
        assert response["X-Request-ID"] != strange
        assert len(response["X-Request-ID"]) == 32


def test_a_request_logs_one_json_line_with_time_level_request_and_user(client, log_lines):
    reader = UserFactory()
    client.force_login(reader)
    response = client.get(
        reverse("resources:my-library") + "?q=secret-search",
        headers={"X-Request-ID": "req-12345678"},
    )
    assert response.status_code == 200
    [line] = [entry for entry in log_lines() if entry["logger"] == "dlt.access"]
    assert line["request_id"] == "req-12345678"
    assert line["user_id"] == reader.pk
    assert line["level"] == "INFO"
    assert line["time"].startswith("20") and "T" in line["time"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/library/", 200)
    assert line["duration_ms"] >= 0
    assert "secret-search" not in json.dumps(line)  # the query string is the reader's


def test_log_lines_never_carry_passwords_tokens_cookies_or_notes(client, log_lines):
    reader = UserFactory(username="reader")
    reader.set_password("correct-horse-battery")
    reader.save()
    resource = ResourceFactory()
    AnnotationFactory(user=reader, resource=resource, body="my private thought about NTK")
    client.post(reverse("login"), {"username": "reader", "password": "correct-horse-battery"})
    client.get(reverse("resources:resource-detail", args=[resource.pk]))
    client.get("/no-such-page/", headers={"Authorization": "Token abcdef123456"})
    logging.getLogger("resources").error("retrying with token=abcdef123456 password=hunter2")
    text = json.dumps(log_lines())
    assert "dlt.access" in text and "[redacted]" in text
    for secret in ["correct-horse", "abcdef123456", "hunter2", "private thought", "sessionid="]:
        assert secret not in text


def test_django_error_records_lose_the_request_they_carry(client, log_lines):
    client.get("/no-such-page/", headers={"Cookie": "sessionid=topsecretcookie"})
    entries = log_lines()
    assert any(entry.get("status") == 404 for entry in entries)
    assert "topsecretcookie" not in json.dumps(entries)


def test_a_not_found_line_carries_the_request_id_of_its_request(client, log_lines):
    client.get("/no-such-page/", headers={"X-Request-ID": "req-404-abcdef"})
    [line] = [entry for entry in log_lines() if entry["logger"] == "django.request"]
    assert line["status_code"] == 404
    assert line["request_id"] == "req-404-abcdef"


def test_metrics_answer_loopback_with_request_counts_and_job_gauges(client):
    client.get(reverse("healthz"))
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert 'dlt_http_requests_total{method="GET",status="200",view="healthz"}' in body
    assert "dlt_http_request_duration_seconds_bucket" in body
    assert 'dlt_jobs{state="queued"} 0.0' in body


def test_metrics_are_hidden_from_other_addresses_and_from_behind_the_proxy(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    # A TLS proxy on the same machine connects from loopback on a stranger's behalf.
    proxied = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert proxied.status_code == 404
    wrong = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer guess"}
    )
    assert wrong.status_code == 404


def test_metrics_answer_anywhere_with_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    response = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        headers={"Authorization": "Bearer s3cret-metrics-token"},
    )
    assert response.status_code == 200


def test_without_a_token_configured_no_bearer_value_opens_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer "}
    )
    assert response.status_code == 404


def test_in_multiprocess_mode_metrics_add_up_every_process(tmp_path):
    """Two processes (as two gunicorn workers) count requests; one scrape sees both."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dlt_library.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    count = (
        "import django; django.setup();"
        "from resources.observability import REQUESTS;"
        "REQUESTS.labels('GET', 'home', '200').inc(3)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, cwd=ROOT, check=True, timeout=60)
    scrape = (
        "import django; django.setup();"
        "from prometheus_client import generate_latest;"
        "from resources.observability import metrics_registry, JobsCollector;"
        "JobsCollector.collect = lambda self: iter(());"
        "print(generate_latest(metrics_registry()).decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", scrape],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    assert 'dlt_http_requests_total{method="GET",status="200",view="home"} 6.0' in out
