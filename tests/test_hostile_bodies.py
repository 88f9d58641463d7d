"""No form or API endpoint answers 5xx to a hostile body: hypothesis-generated form fields and
JSON (nested, huge, wrong types, NUL, lone surrogates) and raw bytes, as a reader would send
them. Every answer must be below 500. Bounded: a few dozen examples per test.

This suite grows: a new form or endpoint joins FORMS or JSON_ENDPOINTS below.
"""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AnnotationFactory, BookmarkFactory, ResourceFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PASSWORD = "a-long-unusual-passphrase"

# Any text, lone surrogates (category Cs, which hypothesis leaves out unless asked) included.
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=())
ANY_TEXT = st.text(st.one_of(st.characters(), SURROGATES), max_size=80)
HOSTILE = (
    ["", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "0", "-1", str(10**30), "1e5", "abc",
     "null", "true", "[]", "{}", "q" * 30000, "泛化 NTK 🙂", "<script>alert(1)</script>",
     "reading", "to-read", "add", "remove", "row", "/resources/", "//evil.example", "logout"]
)  # fmt: skip
HOSTILE_TEXT = st.sampled_from(HOSTILE)
FORM_VALUE = st.one_of(HOSTILE_TEXT, ANY_TEXT, st.integers().map(str))

# Each form: its URL (filled in from the `rows` fixture) and the fields it reads.
FORMS = {
    "signup": ("/accounts/signup/", ["username", "email", "password1", "password2", "next"]),
    "login": ("/accounts/login/", ["username", "password", "next"]),
    "password-reset": ("/accounts/password_reset/", ["email"]),
    "password-change": (
        "/accounts/password_change/",
        ["old_password", "new_password1", "new_password2"],
    ),
    "token": ("/accounts/profile/token/", []),
    "suggest": ("/suggest/", ["url", "title", "topic", "reason", "confirm"]),
    "bookmark": ("/bookmarks/{resource}/", ["action", "status", "rating", "next", "control"]),
    "note-create": ("/resources/{resource}/notes/", ["body", "is_public"]),
    "note-preview": ("/resources/{resource}/notes/preview/", ["body", "note"]),
    "note-edit": ("/notes/{note}/edit/", ["body", "is_public"]),
    "note-delete": ("/notes/{note}/delete/", []),
}
JSON_ENDPOINTS = [
    ("post", "/api/bookmarks/"),
    ("patch", "/api/bookmarks/{bookmark}/"),
    ("post", "/api/annotations/"),
    ("patch", "/api/annotations/{note}/"),
]
JSON_FIELDS = ["resource", "status", "rating", "body", "is_public", "id", "author"]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    ANY_TEXT,
    HOSTILE_TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
JSON_BODIES = st.one_of(
    st.dictionaries(st.sampled_from(JSON_FIELDS), JSON_VALUES, max_size=5),
    JSON_VALUES,
)
RAW = [
    b"[" * 5000, b'{"body": ' * 3000, b"\x00", b'{"body": "\\ud800"}', b"\xff\xfe",
    b'{"resource": 1e999}', b'{"rating": 1' + b"0" * 5000 + b"}", b"{" + b" " * 100000,
    b'{"body": "\\u0000", "resource": 1}', b'{"body": "' + b"x" * 300000 + b'"}',
]  # fmt: skip
RAW_BODIES = st.one_of(st.binary(max_size=200), st.sampled_from(RAW))

bounded = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def rows(db):
    reader = UserFactory(username="hostile-reader", password=PASSWORD)
    resource = ResourceFactory()
    return {
        "reader": reader,
        "resource": resource.pk,
        "note": AnnotationFactory(user=reader, resource=resource).pk,
        "bookmark": BookmarkFactory(user=reader, resource=resource).pk,
    }


def reader_client(rows, *, htmx: bool = False) -> Client:
    client = Client(raise_request_exception=False, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    client.force_login(rows["reader"])
    return client


def assert_below_500(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def form_body(fields: list[str], values: list[str]) -> bytes:
    """An urlencoded body from any text, lone surrogates included (as their UTF-8-ish bytes,
    which a browser cannot send but a script can)."""
    from urllib.parse import quote_from_bytes

    pairs = []
    for name, value in zip(fields, values, strict=False):
        raw = value.encode("utf-8", "surrogatepass")
        pairs.append(f"{name}={quote_from_bytes(raw)}")
    return "&".join(pairs).encode("ascii")


@bounded
@given(
    form=st.sampled_from(sorted(FORMS)),
    values=st.lists(FORM_VALUE, min_size=5, max_size=5),
    htmx=st.booleans(),
    anonymous=st.booleans(),
)
def test_every_form_answers_hostile_fields_below_500(rows, form, values, htmx, anonymous):
    url, fields = FORMS[form]
    url = url.format(**rows)
    client = Client(raise_request_exception=False) if anonymous else reader_client(rows, htmx=htmx)
    response = client.post(
        url, form_body(fields, values), content_type="application/x-www-form-urlencoded"
    )
    assert_below_500(response, f"POST {url} {dict(zip(fields, values, strict=False))!r:.300}")


@bounded
@given(endpoint=st.sampled_from(JSON_ENDPOINTS), body=JSON_BODIES)
def test_every_api_endpoint_answers_hostile_json_below_500(rows, endpoint, body):
    method, url = endpoint
    url = url.format(**rows)
    response = getattr(reader_client(rows), method)(
        url, json.dumps(body), content_type="application/json"
    )
    assert_below_500(response, f"{method.upper()} {url} {body!r:.300}")


@bounded
@given(
    endpoint=st.sampled_from(JSON_ENDPOINTS),
    body=RAW_BODIES,
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "multipart/form-data",
         "text/plain"]
    ),
)  # fmt: skip
def test_every_api_endpoint_answers_hostile_bytes_below_500(rows, endpoint, body, content_type):
    method, url = endpoint
    url = url.format(**rows)
    response = getattr(reader_client(rows), method)(url, body, content_type=content_type)
    assert_below_500(response, f"{method.upper()} {url} {content_type} {body[:80]!r}")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_form_answers_every_hostile_value_below_500(rows, form):
    url, fields = FORMS[form]
    url = url.format(**rows)
    client = reader_client(rows)
    for value in HOSTILE:
        body = form_body(fields, [value] * len(fields))
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert_below_500(response, f"POST {url} with every field {value[:40]!r}")


@pytest.mark.parametrize(("method", "url"), JSON_ENDPOINTS)
def test_every_api_endpoint_answers_every_hostile_raw_body_below_500(rows, method, url):
    url = url.format(**rows)
    client = reader_client(rows)
    for body in RAW:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert_below_500(response, f"{method.upper()} {url} {body[:60]!r}")
