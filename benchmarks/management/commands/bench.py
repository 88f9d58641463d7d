"""`python manage.py bench` (`make bench`): load-test the production server on loopback.

Builds a SQLite database of N synthetic resources (kept under bench/ and reused while N is the
same), serves it exactly as `make serve` does (gunicorn sync workers, whitenoise, DEBUG=0) on a
free loopback port, measures each page with wrk (8 connections) and writes docs/benchmarks.md:
requests per second, p50 and p99 latency, each page's throughput as a share of /healthz in the
same run (this machine's speed varies between runs; the ratios hold), and SQL queries per page.

The database is filled by `generate_resources` (through `_bench_data.generate`) in a child
process, so the bench database never mixes with the one this command was started with.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.management.commands._bench_data import generate
from dlt_library.stack_room import with_stack_room

BASE_DIR = Path(settings.BASE_DIR)
BENCH_DIR = BASE_DIR / "bench"
REPORT = BASE_DIR / "docs" / "benchmarks.md"
TARGETS = {
    "catalogue (anonymous, cached)": 0.50,
    "catalogue (signed in)": 0.06,
    "search (signed in)": 0.04,
}
P99_LIMIT_MS = 150.0


def _inspect(pages: dict[str, str], session: str) -> dict[str, dict]:
    """Per page, through the test client: SQL queries and CPU time of a render from scratch
    (every cache off), and SQL queries once the shared caches are warm."""
    from django.db import connection, reset_queries
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    facts: dict[str, dict] = {}
    for name, url in pages.items():
        client = Client()
        if "signed in" in name:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        with override_settings(PAGE_CACHE_SECONDS=0):
            # Each request clears the query log, and a capture reads it lazily: count at once.
            reset_queries()
            with CaptureQueriesContext(connection) as cold:
                response = client.get(url)
            cold_queries = len(cold)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            started = time.process_time()
            for _ in range(5):
                with_stack_room(client.get, url)  # as the WSGI entry point runs a request
            cold_ms = (time.process_time() - started) / 5 * 1000
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        facts[name] = {"cold": cold_queries, "warm": len(warm), "cold_ms": cold_ms}
    return facts


# Measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    facts: dict
    healthz_rps: float = 0.0  # /healthz measured just before this page

    @property
    def ratio(self) -> float:
        return self.rps / self.healthz_rps if self.healthz_rps else 0.0


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 in ms and the number of failed responses from `wrk --latency`."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|timeout) (\d+)", output))
    return rps, p50, p99, errors


def run_manage(env: dict[str, str], *arguments: str) -> str:
    """What `manage.py <arguments>` printed, run in a child process with the benchmark's env."""
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise CommandError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """The site served as `make serve` serves it, on loopback, in its own process group."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "dlt_library.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
    )


def run_wrk(url: str, headers: list[str], connections: int, seconds: int) -> str:
    """wrk's report of `seconds` of load on one loopback URL."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    return subprocess.run(
        [*command, *headers, url], capture_output=True, text=True, check=True
    ).stdout


def wait_until_up(url: str) -> None:
    """Return once `url` (a server's /healthz) answers 200; give up after 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"no server answered {url} within 60 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Build a synthetic library, serve it like `make serve` and measure it with wrk."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=10_000, help="Resources to generate.")
        parser.add_argument("--duration", type=int, default=10, help="Seconds per page.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4))
        )
        parser.add_argument("--rebuild", action="store_true", help="Regenerate the database.")
        parser.add_argument("--output", default=str(REPORT), help="Markdown report to write.")
        # Internal: the child process that fills or inspects the bench database.
        parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--inspect", help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        if options["generate"]:
            self.stdout.write(json.dumps(generate(options["generate"])))
            return
        if options["inspect"]:
            plan = json.loads(Path(options["inspect"]).read_text())
            self.stdout.write(json.dumps(_inspect(pages_of(plan), plan["session"])))
            return
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk")
        self.run_bench(options)

    # The parent process ------------------------------------------------------------------
    def env(self, database: Path) -> dict[str, str]:
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": self.secret_key(),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DATABASE_URL": f"sqlite:///{database}",
            "PAGE_CACHE_DIR": str(BENCH_DIR / "page-cache"),
            "REDIS_URL": "",
            "LOG_LEVEL": "ERROR",
            "ACCESS_LOG": "0",  # as before access logging existed: figures stay comparable
        }

    def secret_key(self) -> str:
        """One key per bench folder: the stored reader session must stay valid across runs."""
        BENCH_DIR.mkdir(exist_ok=True)
        path = BENCH_DIR / "secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
        return path.read_text().strip()

    def build(self, count: int, rebuild: bool) -> tuple[Path, Path, dict[str, str]]:
        BENCH_DIR.mkdir(exist_ok=True)
        database = BENCH_DIR / f"bench-{count}.sqlite3"
        plan_file = BENCH_DIR / f"bench-{count}.json"
        env = self.env(database)
        if rebuild or not (database.exists() and plan_fits(plan_file)):
            for stale in BENCH_DIR.glob(f"bench-{count}.sqlite3*"):
                stale.unlink()
            self.stdout.write(f"Building a library of {count} resources in {database} …")
            started = time.monotonic()
            run_manage(env, "migrate", "--noinput", "-v", "0")
            plan = run_manage(env, "bench", "--generate", str(count))
            plan_file.write_text(plan.strip().splitlines()[-1])
            self.stdout.write(f"  built in {time.monotonic() - started:.0f} s")
        shutil.rmtree(BENCH_DIR / "page-cache", ignore_errors=True)
        return database, plan_file, env

    def run_bench(self, options) -> None:
        database, plan_file, env = self.build(options["count"], options["rebuild"])
        plan = json.loads(plan_file.read_text())
        # Pages are rendered with the manifest storage of DEBUG=0: static files first.
        run_manage(env, "collectstatic", "--noinput", "-v", "0")
        facts = json.loads(run_manage(env, "bench", "--inspect", str(plan_file)))
        load_before = os.getloadavg()[0]
        # BENCH_PORT keeps the server inside a port range agreed with others on the machine.
        port = int(os.environ.get("BENCH_PORT") or 0) or _free_port()
        server = start_gunicorn(env, port, options["workers"])
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/healthz")
            results = []
            for name, url in pages_of(plan).items():
                headers = []
                if "signed in" in name:
                    headers = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={plan['session']}"]
                self.fetch(base + url, headers)  # fails loudly on anything but a 200
                # Unrecorded warm-up: every worker imports, connects and fills its caches.
                run_wrk(base + url, headers, options["connections"], 2)
                # /healthz right before each page: the ratio then compares like with like even
                # when other work on the machine comes and goes during the run.
                reference = parse_wrk(
                    run_wrk(base + "/healthz", [], options["connections"], options["duration"])
                )[0]
                output = run_wrk(base + url, headers, options["connections"], options["duration"])
                rps, p50, p99, errors = parse_wrk(output)
                results.append(Result(name, url, rps, p50, p99, errors, facts[name], reference))
                self.stdout.write(
                    f"  {name:34} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
                    f"  ({rps / reference:.1%} of /healthz at {reference:.0f} req/s)"
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        loads = (load_before, os.getloadavg()[0])
        report = render_report(results, options, plan["count"], loads)
        write_report(Path(options["output"]), report)
        self.stdout.write(report)

    def fetch(self, url: str, headers: list[str]) -> None:
        request = urllib.request.Request(url)
        if headers:
            name, value = headers[1].split(": ", 1)
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200:
                raise CommandError(f"{url} answered {response.status}")
            response.read()


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_report(path: Path, report: str) -> None:
    """Replace the measured part of `path`, keeping any notes written around the markers."""
    block = f"{START}\n{report}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


REPORT_ORDER = [
    "healthz",
    "catalogue (anonymous, cached)",
    "catalogue (signed in)",
    "filtered list (topic+kind+tag)",
    "search",
    "search (signed in)",
    "resource page",
    "API list",
]


def pages_of(plan: dict) -> dict[str, str]:
    """The pages to measure, in report order (the plan file names the data-dependent URLs)."""
    pages = dict(plan["pages"])
    pages["search (signed in)"] = pages["search"]
    return {name: pages[name] for name in REPORT_ORDER}


def plan_fits(plan_file: Path) -> bool:
    """Whether a plan file written by an earlier build names every page measured now."""
    try:
        pages_of(json.loads(plan_file.read_text()))
    except (OSError, ValueError, KeyError):
        return False
    return True


def render_report(
    results: list[Result], options: dict, count: int, loads: tuple[float, float]
) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on this machine ({os.cpu_count()} cores, "
        f"load average {loads[0]:.1f} before the run and {loads[1]:.1f} at its end, the "
        "benchmark's own server and wrk included) "
        f"with `make bench`, i.e. `python manage.py bench --count {count} "
        f"--duration {options['duration']} --connections {options['connections']}`: "
        f"{count:,} synthetic resources in SQLite, 50 per page, served like `make serve` "
        f"(gunicorn, {options['workers']} sync workers, whitenoise, DEBUG=0) on loopback and "
        f"loaded with wrk, {options['connections']} connections, {options['duration']} s per page "
        "after an unrecorded 2 s warm-up.",
        "",
        "Throughput varies about 2× between runs on this machine, so each page is also given as "
        "a share of `/healthz` measured in the same run, just before that page (its req/s "
        "follows the share).",
        "",
        "- *anonymous* pages are served whole from the page cache (retired on every catalogue "
        "change);",
        "- *signed in* pages are rendered for the reader on every request; the rows they have "
        "not bookmarked come from the shared cache, retired with the catalogue and readers' "
        "versions, and the filter drawer and the sidebar with the catalogue's (the reader's "
        "own rows are rendered with their bookmark);",
        "- *cold* columns come from the test client with every cache off (the most a first "
        "visit after a change costs; rows' bodies a worker drew before make it cheaper, "
        "`bench_render`): SQL queries and CPU milliseconds per render in one process; "
        "*warm* is the query count once the shared pieces are cached.",
        "",
        "| page | URL | req/s | p50 ms | p99 ms | share of /healthz req/s | target | errors "
        "| queries cold / warm | cold CPU ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        target = TARGETS.get(result.name)
        verdict = ""
        if target is not None:
            verdict = f"≥ {target:.0%} {'✓' if result.ratio >= target else '✗'}"
        facts = result.facts
        lines.append(
            f"| {result.name} | `{result.url}` | {result.rps:,.0f} | {result.p50_ms:.1f} | "
            f"{result.p99_ms:.1f} {'✓' if result.p99_ms < P99_LIMIT_MS else '✗'} | "
            f"{result.ratio:.1%} of {result.healthz_rps:,.0f} | {verdict} | {result.errors} | "
            f"{facts['cold']} / {facts['warm']} | {facts['cold_ms']:.1f} |"
        )
    lines += [
        "",
        f"Targets: anonymous catalogue ≥ 50 % of /healthz, signed-in catalogue ≥ 6 %, "
        f"signed-in search ≥ 4 %, p99 < {P99_LIMIT_MS:.0f} ms on every page.",
        "",
    ]
    return "\n".join(lines)
