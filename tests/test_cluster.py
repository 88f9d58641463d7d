"""Several stateless servers on one PostgreSQL and one Redis, as docs/deploy.md runs them.

Two gunicorn servers and a worker share a scratch PostgreSQL database and a private
redis-server. What one server writes the other serves (catalogue edits, bookmarks, sessions,
imports the worker ran); one server dies mid-load and the other keeps answering; a killed worker
leaves no half import; a Redis outage loses nothing. Runs with the PostgreSQL suite (`make
test-pg`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from django.conf import settings

from tests.ports import unused_ports

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB = settings.DATABASES["default"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(DB["ENGINE"] != "django.db.backends.postgresql", reason="PostgreSQL"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

LIST = """# Cluster list

## Imported by the worker

- [Worker-imported paper on kernels](https://example.org/cluster/1) - first
- [Second worker paper](https://example.org/cluster/2) - second
"""
OUTAGE_LIST = LIST.replace("cluster/", "outage/").replace("Worker-imported", "Outage-time")


def wait_for(check, *, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (httpx.HTTPError, OSError):
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Cluster:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.processes: dict[str, subprocess.Popen] = {}
        # One scratch database per xdist worker: both of this module's tests may run at once.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.db_name = f"{DB['NAME']}_cluster_{worker}"
        port_a, port_b, self.redis_port = unused_ports(3)
        self.urls = {"a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}"}
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "cluster-test-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DATABASE_URL": (
                f"postgres://{DB['USER']}@{DB['HOST'] or '127.0.0.1'}:{DB['PORT'] or 5432}"
                f"/{self.db_name}"
            ),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "prometheus"),
            "LOG_LEVEL": "ERROR",
            "ACCESS_LOG": "0",
        }

    def sql(self, query: str, *params, database: str = "") -> object:
        """One value from the cluster's database (or run a statement in `database`)."""
        with psycopg.connect(
            host=DB["HOST"] or "127.0.0.1",
            port=DB["PORT"] or 5432,
            user=DB["USER"],
            dbname=database or self.db_name,
            autocommit=True,
        ) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchone()[0] if cursor.description else None

    def admin_sql(self, statement: str) -> None:
        self.sql(statement, database="postgres")

    def manage(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def start(self, name: str, command: list[str]) -> None:
        log = (self.tmp / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_redis(self) -> None:
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
        )
        wait_for(self.redis_answers, what="redis")

    def redis_answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1):
            return True

    def start_server(self, name: str) -> None:
        port = self.urls[name].rsplit(":", 1)[1]
        self.start(
            name,
            [
                str(BIN / "gunicorn"),
                "dlt_library.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--config",
                "python:dlt_library.gunicorn_conf",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
        )
        wait_for(
            lambda: httpx.get(self.urls[name] + "/readyz").status_code == 200, what=f"server {name}"
        )

    def start_worker(self) -> None:
        self.start("worker", [sys.executable, "manage.py", "run_worker", "--interval", "0.2"])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for name, process in list(self.processes.items()):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            del self.processes[name]


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(tmp_path)
    cluster.admin_sql(f'DROP DATABASE IF EXISTS "{cluster.db_name}" WITH (FORCE)')
    cluster.admin_sql(f'CREATE DATABASE "{cluster.db_name}"')
    try:
        cluster.start_redis()
        cluster.manage("migrate", "--noinput", "-v", "0")
        cluster.manage("collectstatic", "--noinput", "-v", "0")
        cluster.manage("shell", stdin=SETUP)
        cluster.start_server("a")
        cluster.start_server("b")
        cluster.start_worker()
        yield cluster
    finally:
        cluster.stop_all()
        cluster.admin_sql(f'DROP DATABASE IF EXISTS "{cluster.db_name}" WITH (FORCE)')


SETUP = """
from django.contrib.auth.models import User
from resources.models import Resource, Topic
User.objects.create_superuser("curator", "c@example.org", "curator-pass-123")
User.objects.create_user("reader", "r@example.org", "reader-pass-123")
topic = Topic.objects.create(name="Cluster", slug="cluster")
Resource.objects.create(title="Shared resource", url="https://example.org/shared", topic=topic)
"""


def csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def sign_in(client: httpx.Client, base: str, username: str, password: str) -> None:
    token = csrf(client, base + "/accounts/login/")
    response = client.post(
        base + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text[:500]


def upload(client: httpx.Client, base: str, text: str, name: str) -> str:
    """Upload a list in the admin on `base`; returns the dry run job's page."""
    token = csrf(client, base + "/admin/resources/resource/import/")
    response = client.post(
        base + "/admin/resources/resource/import/",
        data={"csrfmiddlewaretoken": token},
        files={"file": (name, text.encode(), "text/markdown")},
    )
    assert response.status_code == 302, response.text[:500]
    return response.headers["location"]


def job_succeeds(client: httpx.Client, base: str, page: str) -> str:
    return wait_for(
        lambda: "Succeeded" in (html := client.get(base + page).text) and html,
        timeout=120,
        what=f"job {page}",
    )


def import_through(curator: httpx.Client, base_a: str, base_b: str, text: str, name: str):
    """Upload on one server, follow and confirm the dry run on the other."""
    dry_run = job_succeeds(curator, base_b, upload(curator, base_a, text, name))
    job_id = re.search(r'name="job" value="([^"]+)"', dry_run).group(1)
    token = csrf(curator, base_b + "/admin/resources/resource/import/")
    response = curator.post(
        base_b + "/admin/resources/resource/import/",
        data={"csrfmiddlewaretoken": token, "confirm": "1", "job": job_id},
    )
    assert response.status_code == 302
    job_succeeds(curator, base_a, response.headers["location"])


def api_titles(base: str, query: str) -> list[str]:
    response = httpx.get(base + "/api/resources/", params={"q": query})
    return [row["title"] for row in response.json()["results"]]


def test_two_servers_and_a_worker_share_everything_and_survive_failures(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    # The site speaks Chinese to a browser that asks for nothing; these checks read English.
    english = {"Accept-Language": "en"}
    curator = httpx.Client(timeout=30, headers=english)
    reader = httpx.Client(timeout=30, headers=english)
    shared = httpx.get(b + "/api/resources/").json()["results"][0]
    assert shared["title"] == "Shared resource" and not shared["is_featured"]
    httpx.get(b + "/resources/")  # B caches the anonymous catalogue in Redis

    # Sessions: signed in on A, recognised on B.
    sign_in(reader, a, "reader", "reader-pass-123")
    assert "reader" in reader.get(b + "/library/").text
    sign_in(curator, b, "curator", "curator-pass-123")

    # A catalogue edit through A (an admin action) is what B serves, cached pages retired.
    token = csrf(curator, a + "/admin/resources/resource/")
    response = curator.post(
        a + "/admin/resources/resource/",
        data={
            "csrfmiddlewaretoken": token,
            "action": "feature",
            "_selected_action": str(shared["id"]),
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert httpx.get(b + f"/api/resources/{shared['id']}/").json()["is_featured"] is True
    assert "Shared resource" in httpx.get(b + "/").text

    # A bookmark made through B is in the reader's library on A.
    reader.get(b + "/library/")
    response = reader.post(
        b + "/api/bookmarks/",
        json={"resource": shared["id"], "status": "reading"},
        headers={"X-CSRFToken": reader.cookies["csrftoken"]},
    )
    assert response.status_code == 201, response.text
    assert [row["status"] for row in reader.get(a + "/api/bookmarks/").json()["results"]] == [
        "reading"
    ]

    # An import uploaded on A, confirmed on B, run by the worker, served by both.
    import_through(curator, a, b, LIST, "cluster.md")
    assert "Worker-imported paper on kernels" in api_titles(a, "kernels")
    assert "Worker-imported paper" in httpx.get(b + "/resources/?q=kernels").text

    # A dies mid-load; B keeps answering every request.
    def fetch(i: int) -> int:
        try:
            return httpx.get((a if i % 2 else b) + "/resources/", timeout=10).status_code
        except httpx.HTTPError:
            return -1

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(fetch, i) for i in range(60)]
        time.sleep(0.3)
        cluster.kill("a")
        statuses = [future.result() for future in futures]
    b_statuses = statuses[0::2]
    assert b_statuses == [200] * 30
    assert fetch(1) == -1 and fetch(0) == 200  # A is gone, B serves

    # Redis goes away: B still serves, writes and queued work go on, nothing is lost.
    cluster.kill("redis")
    assert httpx.get(b + "/resources/").status_code == 200
    imported = httpx.get(b + "/api/resources/", params={"q": "kernels"}).json()["results"][0]
    response = reader.post(
        b + "/api/bookmarks/",
        json={"resource": imported["id"], "status": "to-read"},
        headers={"X-CSRFToken": reader.cookies["csrftoken"]},
    )
    assert response.status_code == 201, response.text
    import_through(curator, b, b, OUTAGE_LIST, "outage.md")
    cluster.start_redis()
    assert "Outage-time paper on kernels" in api_titles(b, "kernels")
    assert len(reader.get(b + "/api/bookmarks/").json()["results"]) == 2
    assert "Outage-time paper" in httpx.get(b + "/resources/?q=kernels").text


def test_a_worker_killed_mid_import_leaves_nothing_half_done(cluster):
    big = cluster.tmp / "big.md"
    cluster.manage("generate_list", "--entries", "3000", "-o", str(big))
    job_id = (
        cluster.manage(
            "shell",
            stdin=(
                "from pathlib import Path\n"
                "from resources.jobs import enqueue_job\n"
                f"text = Path('{big}').read_text()\n"
                "job = enqueue_job(kind='import', label='big.md', payload=text)\n"
                "print(job.pk)\n"
            ),
        )
        .strip()
        .splitlines()[-1]
    )

    def state() -> str:
        return cluster.sql("SELECT state FROM resources_job WHERE id = %s", job_id)

    def resources() -> int:
        return cluster.sql("SELECT count(*) FROM resources_resource")

    wait_for(lambda: state() == "running", what="the import to start")
    time.sleep(0.5)
    cluster.kill("worker")
    assert state() == "running"  # as a killed worker leaves it
    assert resources() == 1  # nothing half-imported: the import is one transaction
    cluster.start_worker()
    wait_for(lambda: state() == "succeeded", timeout=240, what="the import, queued again")
    assert resources() > 3000
    assert cluster.sql("SELECT attempts FROM resources_job WHERE id = %s", job_id) == 2
