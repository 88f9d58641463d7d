"""Two real server processes sharing one database and one Redis: a write through one shows
through the other on the very next request.

The servers (`manage.py runserver --noreload` on unused loopback ports, tests/ports.py) use a
migrated SQLite file of their own and the test Redis database under a fresh key prefix
(tests/server_settings.py). Writes go through one server (a bookmark, a note, admin POSTs)
or through a third process (a catalogue edit with `manage.py shell`); reads go through the
other server. Waits are bounded and the servers are always stopped.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests.ports import logged_server, start_listening, stop
from tests.shared_cache import REDIS_URL, forget_keys, new_prefix

# Split across xdist workers, each worker starts its own pair of servers (on ports of its own).
pytestmark = pytest.mark.slow

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct horse battery"
ROW = 'class="resource-row'
COMMAND_TIMEOUT = 180  # seconds for migrate or a shell command

LOAD = f"""
import json
from django.contrib.auth import get_user_model
from resources.models import Resource, Topic
User = get_user_model()
User.objects.create_user("twin-reader", "reader@example.org", "{PASSWORD}")
User.objects.create_superuser("twin-curator", "curator@example.org", "{PASSWORD}")
topic = Topic.objects.create(name="Twin topic", slug="twin", position=0)
ids = [
    Resource.objects.create(
        title=f"Twin paper {{n}}", url=f"https://example.org/twin/{{n}}", topic=topic,
        position=n, kind="paper", year=2020,
    ).pk
    for n in range(5)
]
print(json.dumps(ids))
"""


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def runserver(port: int) -> list[str]:
    return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """Two servers on one database and one cache: {"a": url, "b": url, "env": …, "ids": […]}."""
    folder = tmp_path_factory.mktemp("two-processes")
    prefix = new_prefix()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "TEST_CACHE_PREFIX": prefix,
        "DATABASE_URL": f"sqlite:///{folder / 'shared.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "PAGE_CACHE_SECONDS": "600",
        "DEBUG": "1",
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
    }
    processes: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        ids = json.loads(manage(env, "shell", "-c", LOAD).strip().splitlines()[-1])
        urls = []
        for name in "ab":
            log = folder / f"server-{name}.log"
            server = logged_server(runserver, env=env, log=log, cwd=BASE_DIR)
            process, port = start_listening(*server)
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        yield {"a": urls[0], "b": urls[1], "env": env, "ids": ids}
    finally:
        for process in processes:
            stop(process)
        forget_keys(prefix)


def browser() -> httpx.Client:
    # The site speaks Chinese to a browser that asks for nothing; these checks read English.
    return httpx.Client(timeout=30, follow_redirects=False, headers={"Accept-Language": "en"})


def get(client: httpx.Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


def csrf_token(html: str) -> str:
    found = re.search(
        r'(?:name="csrfmiddlewaretoken" value|name="csrf-token" content)="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def signed_in(server: str, username: str) -> httpx.Client:
    client = browser()
    token = csrf_token(get(client, f"{server}/accounts/login/"))
    response = client.post(
        f"{server}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text[-2000:]
    return client


def post(client: httpx.Client, server: str, path: str, data: dict, token_page: str = "/") -> None:
    token = csrf_token(get(client, f"{server}{token_page}"))
    response = client.post(f"{server}{path}", data={**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.text[-2000:]


def warm(client: httpx.Client, *urls: str) -> None:
    for url in urls:
        for _ in range(2):
            get(client, url)


def test_a_catalogue_edit_in_a_third_process_shows_on_both_servers_at_once(twins):
    anonymous, reader = browser(), signed_in(twins["a"], "twin-reader")
    for server in (twins["a"], twins["b"]):
        warm(anonymous, f"{server}/resources/", f"{server}/topics/twin/")
        warm(reader, f"{server}/resources/")
    edit = (
        "from resources.models import Resource;"
        f"r = Resource.objects.get(pk={twins['ids'][1]}); r.title = 'Twin paper renamed'; r.save()"
    )
    manage(twins["env"], "shell", "-c", edit)
    for server in (twins["a"], twins["b"]):
        assert "Twin paper renamed" in get(anonymous, f"{server}/resources/")
        assert "Twin paper renamed" in get(anonymous, f"{server}/topics/twin/")
        assert "Twin paper renamed" in get(reader, f"{server}/resources/")


def test_a_bookmark_posted_to_one_server_shows_on_the_other_at_once(twins):
    a, b = twins["a"], twins["b"]
    resource = twins["ids"][0]
    reader, anonymous = signed_in(a, "twin-reader"), browser()
    warm(reader, f"{b}/library/")
    warm(anonymous, f"{b}/resources/{resource}/")
    assert "0 readers" in get(anonymous, f"{b}/resources/{resource}/")
    post(reader, a, f"/bookmarks/{resource}/", {"action": "add"}, token_page="/library/")
    library = get(reader, f"{b}/library/")
    assert library.count(ROW) == 1 and "Twin paper 0" in library
    assert "1 reader" in get(anonymous, f"{b}/resources/{resource}/")
    api = reader.get(f"{b}/api/bookmarks/", headers={"accept": "application/json"}).json()
    assert api["count"] == 1


def test_a_public_note_posted_to_one_server_shows_on_the_other_at_once(twins):
    a, b = twins["a"], twins["b"]
    resource = twins["ids"][2]
    reader, anonymous = signed_in(a, "twin-reader"), browser()
    warm(anonymous, f"{b}/resources/{resource}/")
    note = {"body": "TWIN-PUBLIC-NOTE-c0de", "is_public": "on"}
    post(reader, a, f"/resources/{resource}/notes/", note, token_page=f"/resources/{resource}/")
    assert "TWIN-PUBLIC-NOTE-c0de" in get(anonymous, f"{b}/resources/{resource}/")


def test_an_admin_action_on_one_server_shows_on_the_other_at_once(twins):
    a, b = twins["a"], twins["b"]
    resource = twins["ids"][3]
    curator, anonymous = signed_in(a, "twin-curator"), browser()
    warm(anonymous, f"{b}/resources/{resource}/", f"{b}/")
    assert "featured-mark" not in get(anonymous, f"{b}/resources/{resource}/")
    action = {"action": "feature", "_selected_action": str(resource), "index": "0"}
    changelist = "/admin/resources/resource/"
    post(curator, a, changelist, action, token_page=changelist)
    assert "featured-mark" in get(anonymous, f"{b}/resources/{resource}/")


def test_a_synonym_added_on_one_server_changes_search_on_the_other_at_once(twins):
    a, b = twins["a"], twins["b"]
    curator, anonymous = signed_in(a, "twin-curator"), browser()
    reader = signed_in(b, "twin-reader")
    search = f"{b}/resources/?q=blorptastic"
    for client in (anonymous, reader):
        warm(client, search)
        assert get(client, search).count(ROW) == 0
    add = "/admin/resources/searchsynonym/add/"
    post(curator, a, add, {"terms": "blorptastic, twin paper", "note": ""}, token_page=add)
    for client in (anonymous, reader):
        assert get(client, search).count(ROW) == 5
