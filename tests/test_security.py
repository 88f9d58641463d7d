"""Production security: deploy checks, headers and CSP, CSRF, safe methods, login throttling."""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.views.defaults import permission_denied

from tests.factories import ResourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct horse battery"


def test_deploy_check_passes_with_production_environment():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_strict_content_security_policy_and_the_usual_headers(client):
    response = client.get(reverse("resources:home"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"""\sstyle\s*=|<style[\s>]""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]+\son[a-z]+\s*=""", re.IGNORECASE)


TEMPLATES = sorted(str(p.relative_to(BASE_DIR)) for p in (BASE_DIR / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_have_no_inline_script_style_or_event_handlers(template):
    text = (BASE_DIR / template).read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>"
    assert not INLINE_STYLE.search(text), "inline style"
    assert not EVENT_HANDLER.search(text), "inline on* handler"


def test_state_changing_requests_need_a_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    refused = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert refused.status_code == 403
    form = client.get(reverse("login"))
    token = form.cookies["csrftoken"].value
    accepted = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert accepted.wsgi_request.user.is_authenticated


def read_urls():
    resource = ResourceFactory(topic=TopicFactory(slug="optimization"), tags=["sgd"])
    return [
        reverse("resources:home"),
        reverse("resources:resource-list"),
        resource.get_absolute_url(),
        reverse("resources:topic-detail", args=["optimization"]),
        reverse("resources:tag-list"),
        reverse("resources:tag-detail", args=["sgd"]),
        reverse("resources:author-list"),
        reverse("healthz"),
        reverse("readyz"),
    ]


def test_read_views_answer_only_safe_methods(client):
    for url in read_urls():
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        assert client.generic("TRACE", url).status_code == 405, url
        assert client.post(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_the_api_refuses_writes_and_trace(client):
    url = reverse("api-resource-list")
    # Anonymous writes fail the permission check first; a signed-in reader meets the 405.
    assert client.generic("TRACE", url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403
    client.force_login(UserFactory())
    assert client.generic("TRACE", url).status_code == 405
    assert client.post(url, {"title": "x"}).status_code == 405


def fail_login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "wrong password"})


def test_five_failed_logins_lock_the_account_with_a_friendly_429(client):
    user = UserFactory()
    for _ in range(4):
        assert fail_login(client, user.username).status_code == 200
    locked = fail_login(client, user.username)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many attempts" in html
    assert "15 minutes" in html
    assert locked["Retry-After"] == "900"


def test_a_locked_account_stays_locked_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        fail_login(client, user.username)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_sign_in_works_again_after_the_cool_off(client):
    user = UserFactory()
    for _ in range(5):
        fail_login(client, user.username)
    assert AccessAttempt.objects.filter(username=user.username).exists()
    past = AccessAttempt.objects.get(username=user.username).attempt_time - timedelta(minutes=16)
    AccessAttempt.objects.filter(username=user.username).update(attempt_time=past)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_lockout_is_per_username_so_other_readers_can_still_sign_in(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        fail_login(client, victim.username)
    response = client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_login_page_has_labelled_fields_and_keeps_next(client):
    html = client.get(reverse("login") + "?next=/resources/").content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'name="next" value="/resources/"' in html


def test_a_missing_csrf_token_gets_a_friendly_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Form expired" in html and "nothing was changed" in html


def test_a_permission_error_gets_the_friendly_403_page(rf):
    response = permission_denied(rf.get("/"), PermissionDenied())
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
