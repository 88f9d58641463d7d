"""`python manage.py bench_scale` (`make bench-scale`): two servers on PostgreSQL, measured.

For each size (default 10,000 then 100,000 resources) a scratch PostgreSQL database is rebuilt
with that many synthetic resources and 1,000 readers holding 100 bookmarks and 10 notes each;
two gunicorn servers (as `make serve` runs them) sit behind a small round-robin TCP proxy on
one loopback port, sharing the page cache; wrk measures, with 8 connections, what a signed-in
reader uses most: the catalogue, My library, a search, a resource page, and the API. The
figures and their growth go to docs/benchmarks.md between the bench-scale markers.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.management.commands.bench import (
    BENCH_DIR,
    REPORT,
    _free_port,
    _inspect,
    parse_wrk,
    run_manage,
    run_wrk,
    start_gunicorn,
    wait_until_up,
)

START, END = "<!-- bench-scale:start -->", "<!-- bench-scale:end -->"
P99_TARGET_MS = 200.0  # the signed-in catalogue, at 8 connections
READERS, BOOKMARKS, NOTES = 1000, 100, 10


def generate(count: int, seed: int = 11) -> dict:
    """The catalogue, the readers and their libraries; returns the pages to measure."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils.html import escape

    from resources.caching import bump_catalogue_version
    from resources.models import Annotation, Bookmark, Resource

    with open(os.devnull, "w") as quiet:
        call_command("generate_resources", count=count, seed=seed, stdout=quiet)
    bump_catalogue_version()
    User = get_user_model()
    unusable = make_password(None)
    User.objects.bulk_create(
        User(username=f"reader-{n:04d}", password=unusable) for n in range(READERS)
    )
    readers = list(User.objects.filter(username__startswith="reader-").order_by("pk"))
    ids = list(Resource.objects.values_list("pk", flat=True))
    rng = random.Random(seed)
    statuses = ["to-read", "reading", "done"]
    for reader in readers:
        chosen = rng.sample(ids, BOOKMARKS)
        Bookmark.objects.bulk_create(
            Bookmark(user=reader, resource_id=pk, status=rng.choice(statuses)) for pk in chosen
        )
        notes = [f"Note {n} on kernels and generalization: $x^{n}$" for n in range(NOTES)]
        Annotation.objects.bulk_create(
            Annotation(user=reader, resource_id=pk, body=body, body_html=f"<p>{escape(body)}</p>")
            for pk, body in zip(chosen, notes, strict=False)
        )
    reader = readers[0]
    session = SessionStore()
    session["_auth_user_id"] = str(reader.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = reader.get_session_auth_hash()
    session.create()
    noted = Annotation.objects.filter(user=reader).order_by("pk").first().resource_id
    return {
        "count": count,
        "session": session.session_key,
        "pages": {
            "catalogue (signed in)": "/resources/",
            "My library (signed in)": "/library/",
            "search (signed in)": "/resources/?q=kernel",
            "resource page (signed in, with notes)": f"/resources/{noted}/",
            "API list": "/api/resources/",
        },
    }


class RoundRobinProxy:
    """Hands each new loopback connection to the next server in turn (wrk keeps connections
    open, so 8 connections are split 4 and 4)."""

    def __init__(self, port: int, backends: list[int]) -> None:
        self.port, self.backends, self.turn = port, backends, 0
        self.writers: set = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _handle(self, client_reader, client_writer) -> None:
        backend = self.backends[self.turn % len(self.backends)]
        self.turn += 1
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", backend)
        except OSError:
            client_writer.close()
            return
        self.writers |= {client_writer, server_writer}
        await asyncio.gather(
            self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer)
        )

    def __enter__(self) -> RoundRobinProxy:
        # The loop runs in its own thread from the start: the calling thread may be running an
        # event loop of its own (a test process that also drives a browser).
        self.thread.start()
        server = asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.server = asyncio.run_coroutine_threadsafe(server, self.loop).result(timeout=10)
        return self

    async def _close(self) -> None:
        self.server.close()
        for writer in self.writers:
            writer.close()
        await asyncio.sleep(0.1)

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class Command(BaseCommand):
    help = "Two servers behind one port on PostgreSQL, 10k and 100k resources: p50/p99."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--counts", default="10000,100000", help="Sizes, comma-separated.")
        parser.add_argument("--duration", type=int, default=10, help="Seconds per page.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers a server.")
        parser.add_argument(
            "--admin-url",
            default=os.environ.get(
                "BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
        )
        parser.add_argument("--database", default=os.environ.get("BENCH_PG_DB", "dlt_bench_scale"))
        parser.add_argument(
            "--port-base",
            type=int,
            default=int(os.environ.get("BENCH_PORT_BASE", "0")),
            help="The proxy and the two servers on this port and the next two (default: free).",
        )
        parser.add_argument("--output", default=str(REPORT))
        parser.add_argument("--generate", type=int, help="(internal) fill the database")
        parser.add_argument("--inspect", help="(internal) count each page's queries")

    def handle(self, *args, **options) -> None:
        if options["generate"]:
            self.stdout.write(json.dumps(generate(options["generate"])))
            return
        if options["inspect"]:
            plan = json.loads(Path(options["inspect"]).read_text())
            self.stdout.write(json.dumps(_inspect(plan["pages"], plan["session"])))
            return
        if not shutil.which("wrk") or not shutil.which("psql"):
            raise CommandError("wrk and psql are needed: apt-get install wrk postgresql-client")
        runs = [self.run_size(int(count), options) for count in options["counts"].split(",")]
        report = render(runs, options)
        write_block(Path(options["output"]), report)
        self.stdout.write(report)

    def env(self, options) -> dict[str, str]:
        admin = options["admin_url"].rsplit("/", 1)[0]
        BENCH_DIR.mkdir(exist_ok=True)
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-scale-" + "s" * 50,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DATABASE_URL": f"{admin}/{options['database']}",
            "PAGE_CACHE_DIR": str(BENCH_DIR / "scale-page-cache"),
            "JOB_PROGRESS_DIR": str(BENCH_DIR / "scale-jobs"),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
            "LOG_LEVEL": "ERROR",
            "ACCESS_LOG": "0",
        }

    def run_size(self, count: int, options) -> dict:
        env = self.env(options)
        database = options["database"]
        drop = f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
        for statement in (drop, f'CREATE DATABASE "{database}"'):
            subprocess.run(["psql", options["admin_url"], "-q", "-c", statement], check=True)
        shutil.rmtree(env["PAGE_CACHE_DIR"], ignore_errors=True)
        self.stdout.write(f"{count:,} resources: building …")
        started = time.monotonic()
        run_manage(env, "migrate", "--noinput", "-v", "0")
        plan = json.loads(run_manage(env, "bench_scale", "--generate", str(count)).splitlines()[-1])
        built = time.monotonic() - started
        plan_file = BENCH_DIR / "scale-plan.json"
        plan_file.write_text(json.dumps(plan))
        run_manage(env, "collectstatic", "--noinput", "-v", "0")
        facts = json.loads(run_manage(env, "bench_scale", "--inspect", str(plan_file)))
        base_port = options["port_base"]
        proxy_port, *ports = (
            [base_port, base_port + 1, base_port + 2]
            if base_port
            else [_free_port() for _ in "abc"]
        )
        servers = [start_gunicorn(env, port, options["workers"]) for port in ports]
        results = {}
        try:
            for port in ports:
                wait_until_up(f"http://127.0.0.1:{port}/healthz")
            with RoundRobinProxy(proxy_port, ports) as proxy:
                base = f"http://127.0.0.1:{proxy.port}"
                cookie = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={plan['session']}"]
                for name, url in plan["pages"].items():
                    headers = cookie if "signed in" in name else []
                    run_wrk(base + url, headers, options["connections"], 2)  # warm-up
                    rps, p50, p99, errors = parse_wrk(
                        run_wrk(base + url, headers, options["connections"], options["duration"])
                    )
                    results[name] = {
                        "url": url,
                        "rps": rps,
                        "p50": p50,
                        "p99": p99,
                        "errors": errors,
                        **facts[name],
                    }
                    self.stdout.write(f"  {name:40} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
            for server in servers:
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(timeout=15)
            subprocess.run(["psql", options["admin_url"], "-q", "-c", drop], check=False)
        return {"count": count, "built_s": built, "load": os.getloadavg()[0], "pages": results}


def render(runs: list[dict], options) -> str:
    sizes = " and ".join(f"{run['count']:,}" for run in runs)
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python manage.py bench_scale "
        f"--counts {options['counts']} --duration {options['duration']}` (`make bench-scale`): "
        f"PostgreSQL, {sizes} resources, {READERS:,} readers with {BOOKMARKS} bookmarks and "
        f"{NOTES} notes each; two gunicorn servers ({options['workers']} sync workers each) "
        f"behind one round-robin port, wrk with {options['connections']} connections, "
        f"{options['duration']} s per page after a 2 s warm-up; all on this "
        f"{os.cpu_count()}-core machine, shared with other work (load average at the end of "
        + ", ".join(f"{run['count']:,}: {run['load']:.1f}" for run in runs)
        + ").",
        "",
        "| page | resources | req/s | p50 ms | p99 ms | errors | queries cold / warm |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in runs[0]["pages"]:
        for run in runs:
            page = run["pages"][name]
            mark = ""
            if name.startswith("catalogue"):
                mark = " ✓" if page["p99"] < P99_TARGET_MS else " ✗"
            lines.append(
                f"| {name} | {run['count']:,} | {page['rps']:,.0f} | {page['p50']:.1f} | "
                f"{page['p99']:.1f}{mark} | {page['errors']} | {page['cold']} / {page['warm']} |"
            )
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        lines += ["", f"Growth from {first['count']:,} to {last['count']:,} resources (p50, p99):"]
        for name in first["pages"]:
            a, b = first["pages"][name], last["pages"][name]
            lines.append(
                f"- {name}: ×{b['p50'] / a['p50']:.2f}, ×{b['p99'] / a['p99']:.2f}; "
                f"queries {a['cold']} → {b['cold']} cold"
            )
    lines += [
        "",
        f"Target: signed-in catalogue p99 < {P99_TARGET_MS:.0f} ms at 8 connections (✓/✗). "
        + "; ".join(f"{run['count']:,} built in {run['built_s']:.0f} s" for run in runs)
        + ".",
    ]
    return "\n".join(lines)


def write_block(path: Path, report: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{report}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = (
            text.rstrip("\n")
            + "\n\n## Two servers on PostgreSQL (`make bench-scale`)\n\n"
            + block
            + "\n"
        )
    path.write_text(text, encoding="utf-8")
