"""The readers' pages load vendored htmx and KaTeX, never a CDN, and carry no inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import AnnotationFactory, BookmarkFactory

pytestmark = pytest.mark.django_db

VENDORED = [
    "vendor/htmx/htmx.min.js",
    "vendor/htmx/LICENSE",
    "vendor/katex/katex.min.js",
    "vendor/katex/katex.min.css",
    "vendor/katex/contrib/auto-render.min.js",
    "vendor/katex/LICENSE",
    "js/math.js",
    "js/htmx-csrf.js",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"([^>]*)>')


@pytest.mark.parametrize("path", VENDORED)
def test_front_end_assets_are_vendored_with_their_licences(path):
    assert finders.find(path), path


def test_every_font_katex_css_names_is_shipped():
    css = Path(finders.find("vendor/katex/katex.min.css")).read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts
    missing = [f for f in fonts if not finders.find(f"vendor/katex/{f}")]
    assert missing == []  # collectstatic's manifest storage fails on any missing one


@pytest.fixture
def reader_pages(personas):
    owner = personas["owner"]
    bookmark = BookmarkFactory(user=owner)
    note = AnnotationFactory(user=owner, resource=bookmark.resource, body="$x$")
    return [
        reverse("resources:home"),
        reverse("resources:resource-list"),
        bookmark.resource.get_absolute_url(),
        reverse("resources:my-library"),
        reverse("resources:annotation-edit", args=[note.pk]),
        reverse("profile"),
        reverse("password_change"),
    ]


def test_reader_pages_have_no_inline_script_and_only_local_deferred_scripts(
    client_as, reader_pages
):
    client = client_as("owner")
    for url in reader_pages:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not HANDLER.search(html), url
        scripts = SCRIPT_SRC.findall(html)
        assert scripts, url
        for src, attributes in scripts:
            assert src.startswith(settings.STATIC_URL), (url, src)
            assert "defer" in attributes, (url, src)
        assert '<meta name="csrf-token" content="' in html


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
def test_account_pages_have_no_inline_script(client, name):
    html = client.get(reverse(name)).content.decode()
    assert not INLINE_SCRIPT.search(html) and not HANDLER.search(html)
    assert 'name="csrfmiddlewaretoken"' in html
