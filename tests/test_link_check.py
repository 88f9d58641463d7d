"""`check_links` against a local HTTP server: every outcome, retries, politeness, the API."""

import asyncio
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from resources import linkcheck
from resources.linkcheck import LinkChecker
from resources.models import LinkCheck, LinkStatus
from tests.factories import LinkCheckFactory, ResourceFactory, ResourceLinkFactory
from tests.ports import unused_port

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    """Answers by path: /ok, /moved, /missing, /flaky (500 once), /no-head, /slow."""

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def answer(self, method: str) -> None:
        server = self.server
        with server.lock:
            server.hits[(method, self.path)] += 1
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            self.respond(method)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up on a slow answer
        finally:
            with server.lock:
                server.in_flight -= 1

    def respond(self, method: str) -> None:
        path = urlsplit(self.path).path
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
        elif path == "/missing":
            self.send_response(404)
        elif path == "/flaky":
            first = sum(n for (m, p), n in self.server.hits.items() if p == "/flaky") == 1
            self.send_response(500 if first else 200)
        elif path == "/no-head" and method == "HEAD":
            self.send_response(405)
        elif path == "/pause":  # long enough for concurrent requests to overlap
            time.sleep(0.1)
            self.send_response(200)
        elif path == "/slow":
            time.sleep(1.0)
            self.send_response(200)
        elif path in ("/ok", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if method == "GET" else "0")
        self.end_headers()
        if method == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")


@pytest.fixture
def site():
    """A throwaway web server on 127.0.0.1 (random port), stopped after the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.hits = Counter()
    server.in_flight = server.max_in_flight = 0
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def check_links(*args):
    call_command(
        "check_links",
        "--timeout",
        "0.4",
        "--retries",
        "1",
        "--backoff",
        "0.05",
        "--delay",
        "0",
        "--concurrency",
        "4",
        "--allow-private-addresses",  # the test server is on loopback
        *args,
        verbosity=0,
    )


def test_every_outcome_is_recorded(site):
    base = site.base
    urls = {
        "ok": f"{base}/ok",
        "moved": f"{base}/moved",
        "missing": f"{base}/missing",
        "flaky": f"{base}/flaky",
        "no_head": f"{base}/no-head",
        "slow": f"{base}/slow",
        "refused": f"http://127.0.0.1:{unused_port()}/gone",
    }
    resources = {name: ResourceFactory(url=url) for name, url in urls.items()}
    check_links()
    checks = {name: LinkCheck.objects.get(resource=r) for name, r in resources.items()}
    summary = {name: (c.status, c.http_status) for name, c in checks.items()}
    assert summary == {
        "ok": (LinkStatus.OK, 200),
        "moved": (LinkStatus.REDIRECT, 200),
        "missing": (LinkStatus.BROKEN, 404),
        "flaky": (LinkStatus.OK, 200),
        "no_head": (LinkStatus.OK, 200),
        "slow": (LinkStatus.UNREACHABLE, None),
        "refused": (LinkStatus.UNREACHABLE, None),
    }
    assert checks["moved"].final_url == f"{base}/ok"
    assert checks["ok"].final_url == f"{base}/ok"
    assert checks["slow"].error == "timeout"
    assert "ConnectError" in checks["refused"].error
    assert all(c.checked_at and c.elapsed_ms is not None for c in checks.values())
    assert site.hits[("HEAD", "/flaky")] == 2  # a 500, then a retry that succeeded
    assert site.hits[("GET", "/no-head")] == 1  # HEAD refused, GET answered
    assert site.hits[("HEAD", "/slow")] == 2  # a timeout is retried
    assert site.hits[("HEAD", "/missing")] == 1  # a 404 is not


def test_one_request_at_a_time_per_host(site):
    for n in range(6):
        ResourceFactory(url=f"{site.base}/pause?n={n}")
    check_links("--concurrency", "6")
    assert LinkCheck.objects.filter(status=LinkStatus.OK).count() == 6
    assert site.max_in_flight == 1


def test_secondary_links_are_checked_and_a_rerun_updates_in_place(site):
    resource = ResourceFactory(url=f"{site.base}/ok")
    link = ResourceLinkFactory(resource=resource, url=f"{site.base}/missing")
    check_links()
    check_links()
    assert LinkCheck.objects.count() == 2
    assert LinkCheck.objects.get(link=link).status == LinkStatus.BROKEN
    assert LinkCheck.objects.get(resource=resource).status == LinkStatus.OK


def test_summary_and_bad_options(site, capsys):
    ResourceFactory(url=f"{site.base}/ok")
    ResourceFactory(url=f"{site.base}/missing")
    call_command(
        "check_links",
        "--timeout",
        "1",
        "--delay",
        "0",
        "--retries",
        "0",
        "--allow-private-addresses",
    )
    out = capsys.readouterr().out
    assert "Checked 2 addresses (2 distinct): 1 ok, 0 redirect, 1 broken, 0 unreachable" in out
    assert f"broken: {site.base}/missing (404)" in out
    with pytest.raises(CommandError):
        call_command("check_links", "--concurrency", "0")


def test_api_reports_link_health_or_unchecked(client):
    never = ResourceFactory()
    checked = LinkCheckFactory(
        status=LinkStatus.REDIRECT, http_status=200, final_url="https://example.org/new"
    ).resource
    results = {
        r["id"]: r["link_health"]
        for r in client.get(reverse("api-resource-list")).json()["results"]
    }
    assert results[never.pk] == {
        "status": "unchecked",
        "http_status": None,
        "final_url": None,
        "checked_at": None,
    }
    health = results[checked.pk]
    assert (health["status"], health["http_status"], health["final_url"]) == (
        "redirect",
        200,
        "https://example.org/new",
    )
    assert health["checked_at"].startswith(str(checked.link_check.checked_at.year))


def test_checks_run_even_where_an_event_loop_is_running(site):
    url = f"{site.base}/ok"

    async def from_async_code():
        return linkcheck.run(
            LinkChecker(host_delay=0, timeout=2, allow_private_addresses=True), [url]
        )

    # In a thread of its own: this test thread may hold a loop already (Playwright's).
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcomes = pool.submit(asyncio.run, from_async_code()).result()
    assert outcomes[url].status == LinkStatus.OK
