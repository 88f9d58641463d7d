"""The gunicorn settings `make serve` uses, tried on a real gunicorn on loopback."""

import os
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.ports import logged_server, start_listening, stop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-conf-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{folder / 'unused.sqlite3'}",  # /healthz reads no database
        "ACCESS_LOG": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)

    def gunicorn(port: int) -> list[str]:
        return [
            *(str(GUNICORN), "dlt_library.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--config", "python:dlt_library.gunicorn_conf", "--workers", "1"),
        ]

    server = logged_server(gunicorn, env=env, log=folder / "gunicorn.log", cwd=ROOT)
    process, port = start_listening(*server)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_a_search_of_five_hundred_chinese_characters_reaches_the_site(server):
    query = quote("泛化" * 250)  # the search box's limit, 4,500 bytes once encoded
    response = httpx.get(f"{server}/healthz?q={query}", timeout=10)
    assert response.status_code == 200
    assert response.text == "ok"
