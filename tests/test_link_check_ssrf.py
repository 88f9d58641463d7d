"""Finding 1 of the second hardening round: `check_links` must not be a way into this machine
or its network (SSRF). Every host and every redirect hop is resolved and checked; a non-public
address is never contacted and its outcome (`blocked`) publishes no status and no final URL.

Nothing here sends traffic anywhere but loopback: names are resolved by a stub, and requests
to "public" addresses are answered by httpx's MockTransport, which connects to nothing.
"""

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from resources import linkcheck
from resources.linkcheck import LinkChecker, is_public_address
from resources.models import LinkCheck, LinkStatus
from tests.factories import ResourceFactory
from tests.test_link_check import check_links, site  # noqa: F401 (a fixture)

PUBLIC = "93.184.215.14"

NON_PUBLIC = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # link-local: cloud metadata
    "100.64.0.1",  # shared (carrier-grade NAT)
    "0.0.0.0",  # unspecified
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",  # unique local
    "ff02::1",  # multicast
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    "2001:db8::1",  # documentation
]


def stub_resolver(table: dict[str, list[str]], calls: list | None = None):
    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    return resolve


class Recorder:
    """A MockTransport that notes every request and answers from `answer(request)`."""

    def __init__(self, answer=None) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer or (lambda request: httpx.Response(200))
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


def check(url: str, resolver, recorder: Recorder, **options) -> linkcheck.Outcome:
    checker = LinkChecker(
        host_delay=0,
        timeout=2,
        retries=0,
        resolver=resolver,
        transport=recorder.transport,
        **options,
    )
    return linkcheck.run(checker, [url])[url]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_ssrf_a_host_resolving_to_a_non_public_address_is_blocked_without_connecting(address):
    recorder = Recorder()
    outcome = check(
        "http://inside.test/readyz", stub_resolver({"inside.test": [address]}), recorder
    )
    assert (outcome.status, outcome.http_status, outcome.final_url) == (
        LinkStatus.BLOCKED,
        None,
        "",
    )
    assert recorder.requests == []


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_ssrf_an_address_literal_that_is_not_public_is_blocked_without_resolving(address):
    calls: list[str] = []
    recorder = Recorder()
    host = f"[{address}]" if ":" in address else address
    outcome = check(f"http://{host}:8080/", stub_resolver({}, calls), recorder)
    assert outcome.status == LinkStatus.BLOCKED
    assert recorder.requests == [] and calls == []


def test_public_addresses_pass_the_guard():
    assert all(map(is_public_address, [PUBLIC, "8.8.8.8", "2606:4700::1111"]))
    assert not any(map(is_public_address, NON_PUBLIC))


def test_ssrf_a_redirect_to_a_private_address_is_blocked_and_not_followed():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://metadata.test/latest/"})

    recorder = Recorder(answer)
    resolver = stub_resolver({"public.test": [PUBLIC], "metadata.test": ["169.254.169.254"]})
    outcome = check("http://public.test/paper", resolver, recorder)
    assert (outcome.status, outcome.http_status, outcome.final_url) == (
        LinkStatus.BLOCKED,
        None,
        "",
    )
    assert [r.url.host for r in recorder.requests] == [PUBLIC]


def test_ssrf_a_name_with_one_private_address_among_public_ones_is_blocked():
    recorder = Recorder()
    resolver = stub_resolver({"mixed.test": [PUBLIC, "10.0.0.7"]})
    assert check("https://mixed.test/", resolver, recorder).status == LinkStatus.BLOCKED
    assert recorder.requests == []


def test_ssrf_the_connection_goes_to_the_address_that_was_checked():
    """A rebinding resolver answers public once, loopback after: the request still goes to
    the public address it checked, with the name in the Host header and as the TLS name."""
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    recorder = Recorder()
    outcome = check("https://rebind.test:8443/paper?id=1", rebinding, recorder)
    assert outcome.status == LinkStatus.OK
    (request,) = recorder.requests
    assert (request.url.host, request.url.port, request.url.path) == (PUBLIC, 8443, "/paper")
    assert request.headers["Host"] == "rebind.test:8443"
    assert request.extensions["sni_hostname"] == "rebind.test"


def test_every_redirect_hop_is_resolved_and_the_final_address_published():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Host"] == "old.test":
            return httpx.Response(301, headers={"Location": "https://new.test/paper"})
        return httpx.Response(200)

    calls: list[str] = []
    recorder = Recorder(answer)
    resolver = stub_resolver({"old.test": [PUBLIC], "new.test": ["2606:4700::1111"]}, calls)
    outcome = check("http://old.test/paper", resolver, recorder)
    assert (outcome.status, outcome.final_url) == (LinkStatus.REDIRECT, "https://new.test/paper")
    assert calls == ["old.test", "new.test"]
    assert [r.url.host for r in recorder.requests] == [PUBLIC, "2606:4700::1111"]


def test_an_unknown_host_is_unreachable():
    outcome = check("http://nowhere.test/", stub_resolver({}), Recorder())
    assert outcome.status == LinkStatus.UNREACHABLE
    assert "cannot resolve nowhere.test" in outcome.error


@pytest.mark.django_db
def test_ssrf_check_links_never_contacts_loopback_by_default(site, client):  # noqa: F811
    resource = ResourceFactory(url=f"{site.base}/moved")
    call_command("check_links", "--delay", "0", "--retries", "0", verbosity=0)
    assert sum(site.hits.values()) == 0
    assert LinkCheck.objects.get(resource=resource).status == LinkStatus.BLOCKED
    results = client.get(reverse("api-resource-list")).json()["results"]
    health = next(r["link_health"] for r in results if r["id"] == resource.pk)
    assert (health["status"], health["http_status"], health["final_url"]) == (
        "blocked",
        None,
        None,
    )


@pytest.mark.django_db
def test_the_setting_allows_private_addresses_for_local_testing(site, settings):  # noqa: F811
    settings.LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = True
    resource = ResourceFactory(url=f"{site.base}/moved")
    call_command("check_links", "--delay", "0", "--retries", "0", verbosity=0)
    check = LinkCheck.objects.get(resource=resource)
    assert (check.status, check.final_url) == (LinkStatus.REDIRECT, f"{site.base}/ok")
    assert site.hits[("HEAD", "/moved")] == 1


@pytest.mark.django_db
def test_a_redirect_loop_stops_after_the_most_hops(site):  # noqa: F811
    resource = ResourceFactory(url=f"{site.base}/loop")
    check_links()
    check = LinkCheck.objects.get(resource=resource)
    assert (check.status, check.error) == (LinkStatus.BROKEN, "too many redirects")
    assert site.hits[("HEAD", "/loop")] == linkcheck.MAX_REDIRECTS + 1
