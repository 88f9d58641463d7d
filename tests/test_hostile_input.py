"""No request returns 5xx for malformed input: generated and hostile query strings everywhere."""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

HOSTILE = [
    "0",
    "-1",
    str(10**9),
    str(10**30),
    "abc",
    "",
    " ",
    "\x00",
    "1\x00",
    "q" * 5000,
    "泛化 NTK",
    "深度学习理论 Ελληνικά русский عربى 🙂",
    "'; DROP TABLE resources_resource; --",
    "%",
    "_",
    "\\",
    "null",
    "1e5",
    "１２",
    "٣",
    "poem",
    "-year",
    "a,b,,c,",
    "<script>alert(1)</script>",
]
PARAMS = [
    "page",
    "page_size",
    "q",
    "topic",
    "tag",
    "kind",
    "year_min",
    "year_max",
    "author",
    "language",
    "featured",
    "sort",
    "format",
    "unknown",
]
# Query strings are text: lone surrogates cannot even be encoded into a URL.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str))
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=6)
SLUGS = st.one_of(st.sampled_from(["几何", "optimization", "nope", "a" * 300, "%", "\x00"]), TEXT)

LISTS = ["/", "/resources/", "/authors/", "/tags/", "/api/resources/", "/api/topics/"]
BY_SLUG = ["/topics/{}/", "/tags/{}/", "/authors/{}/", "/api/topics/{}/", "/resources/{}/"]


@pytest.fixture
def catalogue(db):
    topic = TopicFactory(name="几何", slug="几何")
    optimization = TopicFactory(slug="optimization", parent=topic)
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    author.aliases.create(name="马毅")
    for year in (2019, 2021):
        ResourceFactory(topic=optimization, year=year, tags=["sgd", "几何"], authors=[author])
    ResourceFactory(topic=topic, kind="book", year=None, title="深度学习理论", tags=["ntk"])


def assert_no_server_error(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, f"{url!r} answered {response.status_code}"


common = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@common
@given(
    path=st.sampled_from(LISTS + ["/topics/optimization/", "/tags/sgd/", "/authors/yi-ma/"]),
    query=QUERIES,
)
def test_list_filter_search_and_api_endpoints_never_answer_5xx(catalogue, path, query):
    client = Client(raise_request_exception=False)
    assert_no_server_error(client, f"{path}?{urlencode(query)}")


@common
@given(pattern=st.sampled_from(BY_SLUG), slug=SLUGS, query=QUERIES)
def test_pages_by_slug_never_answer_5xx(catalogue, pattern, slug, query):
    client = Client(raise_request_exception=False)
    path = pattern.format(quote(slug, safe="") or "x")
    assert_no_server_error(client, f"{path}?{urlencode(query)}")


@pytest.mark.parametrize("path", LISTS)
def test_every_hostile_value_in_every_parameter_is_answered(catalogue, path):
    client = Client(raise_request_exception=False)
    for value in HOSTILE:
        query = urlencode([(name, value) for name in PARAMS] + [("tag", value), ("page", value)])
        assert_no_server_error(client, f"{path}?{query}")
