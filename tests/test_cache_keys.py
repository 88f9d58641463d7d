"""Cache keys come from what a page shows, never from the raw query string.

With the production cache on (Redis under this test's own prefix): a value holding `&` and
`=` must not be read as several parameters; unknown parameters must not each store an entry;
and a cached answer carries the same `Vary` header as a fresh one.
"""

import pytest
from django.test import Client

from tests.factories import ResourceFactory, TopicFactory, UserFactory
from tests.shared_cache import forget_keys, keys_under, production_cache

pytestmark = pytest.mark.django_db

ROW = 'class="resource-row'
JSON = {"accept": "application/json"}
SMUGGLED = "/resources/?kind=book%26q%3Dlearning%26z%3D2"
PLAIN = "/resources/?kind=book&q=learning&z=2"


@pytest.fixture(autouse=True)
def shared_cache(settings):
    with production_cache(settings) as prefix:
        yield prefix


@pytest.fixture
def catalogue():
    topic = TopicFactory(slug="mixed")
    for n in range(3):
        ResourceFactory(topic=topic, kind="book", title=f"Deep learning book {n}")
    for n in range(9):
        ResourceFactory(topic=topic, kind="paper", title=f"Learning paper {n}")
    for n in range(4):
        ResourceFactory(topic=topic, kind="book", title=f"Optimisation book {n}")


def reader_client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def rows(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().count(ROW)


CLIENTS = {"anonymous": Client, "signed in": reader_client}


@pytest.mark.parametrize("who", CLIENTS)
def test_an_escaped_ampersand_in_a_value_does_not_share_a_cache_entry_with_real_parameters(
    catalogue, shared_cache, who
):
    client = CLIENTS[who]()
    cold = rows(client, PLAIN)
    assert cold == 3  # the three books about learning
    forget_keys(shared_cache)
    rows(client, SMUGGLED)
    assert rows(client, PLAIN) == cold
    assert rows(CLIENTS[who](), PLAIN) == cold


def test_the_api_does_not_confuse_an_escaped_value_with_parameters(catalogue, shared_cache):
    client = Client()
    cold = client.get(PLAIN.replace("/resources/", "/api/resources/"), headers=JSON).json()
    forget_keys(shared_cache)
    client.get(SMUGGLED.replace("/resources/", "/api/resources/"), headers=JSON)
    warm = client.get(PLAIN.replace("/resources/", "/api/resources/"), headers=JSON).json()
    assert warm["count"] == cold["count"] == 3


@pytest.mark.parametrize("url", ["/resources/?q=learning&tag=", "/topics/mixed/?kind=book"])
def test_the_same_filters_in_another_order_show_the_same_rows(catalogue, url):
    path, query = url.split("?")
    reordered = f"{path}?{'&'.join(reversed(query.split('&')))}"
    client = reader_client()
    shown = rows(client, url)
    assert shown > 0
    assert rows(client, reordered) == rows(Client(), reordered) == rows(Client(), url) == shown


def new_keys(prefix: str, fetch) -> int:
    before = set(keys_under(prefix))
    fetch()
    return len(set(keys_under(prefix)) - before)


@pytest.mark.parametrize("who", CLIENTS)
@pytest.mark.parametrize("path", ["/resources/", "/resources/?kind=book", "/topics/mixed/"])
def test_unknown_parameters_do_not_each_store_a_cache_entry(catalogue, shared_cache, who, path):
    client = CLIENTS[who]()
    expected = rows(client, path)
    rows(client, path)
    joiner = "&" if "?" in path else "?"

    def junk_requests():
        for n in range(1, 51):
            assert rows(client, f"{path}{joiner}junk={n}") == expected

    assert new_keys(shared_cache, junk_requests) <= 2


def test_unknown_parameters_on_the_api_do_not_each_store_a_cache_entry(catalogue, shared_cache):
    client = Client()
    client.get("/api/resources/", headers=JSON)

    def junk_requests():
        for n in range(1, 51):
            assert client.get(f"/api/resources/?junk={n}", headers=JSON).json()["count"] == 16

    assert new_keys(shared_cache, junk_requests) <= 2


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("url", "headers", "needed"),
    [
        ("/api/resources/", JSON, {"accept"}),
        ("/api/resources/?kind=book", JSON, {"accept"}),
        ("/api/topics/", JSON, {"accept"}),
        ("/resources/", {}, {"cookie", "accept-language"}),
        ("/resources/?q=learning", {}, {"cookie", "accept-language"}),
        ("/", {}, {"cookie", "accept-language"}),
        ("/tags/", {}, {"cookie", "accept-language"}),
        ("/topics/mixed/", {}, {"cookie", "accept-language"}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_vary_is_the_same_on_a_cache_hit_and_a_miss(catalogue, url, headers, needed):
    client = Client()
    first = client.get(url, headers=headers)
    second = client.get(url, headers=headers)
    third = Client().get(url, headers=headers)
    assert first.status_code == second.status_code == third.status_code == 200
    assert vary(first) == vary(second) == vary(third)
    assert needed <= vary(second)


def test_the_catalogue_varies_on_the_htmx_header_it_answers_by(catalogue):
    client = Client()
    full = client.get("/resources/")
    partial = client.get("/resources/", headers={"HX-Request": "true"})
    assert full.content != partial.content
    assert "hx-request" in vary(full) and "hx-request" in vary(partial)
    again = client.get("/resources/", headers={"HX-Request": "true"})
    assert vary(again) == vary(partial)


def test_the_api_answers_each_format_by_accept_on_hits_too(catalogue):
    client = Client()
    for _ in range(2):
        assert client.get("/api/resources/", headers=JSON)["Content-Type"] == "application/json"
        browsable = client.get("/api/resources/", headers={"accept": "text/html"})
        assert browsable["Content-Type"].startswith("text/html")


# Found by the review: a page echoes its own address (og:url, the sign-in link, a feed's id,
# the API's `next`), so a render asked with unknown parameters must never be stored for others.


@pytest.mark.parametrize(
    "path", ["/", "/resources/", "/resources/?kind=book", "/api/resources/", "/resources/feed.atom"]
)
def test_junk_parameters_never_reach_the_page_others_are_served(client, path):
    ResourceFactory.create_batch(3)
    joiner = "&" if "?" in path else "?"
    poisoned = client.get(f"{path}{joiner}utm_source=QQPOISONQQ")
    assert poisoned.status_code == 200
    clean = client.get(path)
    assert clean.status_code == 200
    assert "QQPOISONQQ" not in clean.content.decode()
