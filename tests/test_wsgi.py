"""The WSGI entry point gunicorn loads (`make serve`, `make bench`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, io, json, sys
import dlt_library.wsgi as wsgi
statuses = []
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "8000", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
           "wsgi.errors": sys.stderr}
body = b"".join(wsgi.application(environ, lambda status, headers: statuses.append(status)))
print(json.dumps({"frozen": gc.get_freeze_count(), "status": statuses[0], "body": body.decode()}))
"""


def test_the_worker_freezes_what_it_imported_and_still_serves():
    """Long-lived objects are kept out of full garbage collections (pauses of 80 ms before)."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "wsgi-test", "SECURE_SSL_REDIRECT": "0"}
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["frozen"] > 50_000  # the project's modules, models and URL patterns
    assert facts["status"].startswith("200")
    assert facts["body"] == "ok"
