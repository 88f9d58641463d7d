"""Checking that the catalogue's addresses still answer (used by `manage.py check_links`).

The network part is asyncio + httpx and touches no database; `collect_targets` reads the
addresses before and `store_results` writes the outcomes after, both synchronously.

Anyone can suggest a link, so the checker must not become a way to reach this machine or its
network (SSRF): it resolves every host itself, at every redirect hop, refuses any address that
is not public (`blocked`), and connects to the very address it checked, so a second DNS answer
cannot send it elsewhere (rebinding). `allow_private_addresses` lifts the refusal for testing
against local servers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from resources.caching import bump_catalogue_version
from resources.models import LinkCheck, LinkStatus, Resource, ResourceLink

# Servers that refuse HEAD answer one of these; the same URL is then fetched with GET.
HEAD_REFUSED = {403, 405, 501}
RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
# 100.64.0.0/10 (carrier-grade NAT) is neither "private" nor "global" to Python's ipaddress.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")

# host, port -> the addresses the name stands for (the system's resolver, or a test's stub).
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and shared
    (CGNAT) addresses, IPv4 or IPv6, an IPv4 address inside IPv6 judged as itself."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    if isinstance(ip, ipaddress.IPv4Address) and ip in SHARED_ADDRESS_SPACE:
        return False
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


class BlockedAddress(Exception):
    """The address names a host that is not on the public internet."""


@dataclass(frozen=True)
class Target:
    """One address to check: a resource's main URL or one of its secondary links."""

    url: str
    resource_id: int | None = None
    link_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    status: str
    http_status: int | None
    final_url: str
    elapsed_ms: int
    error: str = ""


def outcome_for(response: httpx.Response, final_url: str, url: str, elapsed_ms: int) -> Outcome:
    if response.status_code >= 400:
        status = LinkStatus.BROKEN
    elif final_url != url:
        status = LinkStatus.REDIRECT
    else:
        status = LinkStatus.OK
    return Outcome(status, response.status_code, final_url, elapsed_ms)


class LinkChecker:
    """Bounded concurrency overall, one request at a time per host with a pause between."""

    def __init__(
        self,
        *,
        concurrency: int = 10,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        host_delay: float = 0.5,
        user_agent: str = "DLT-Library-linkcheck",
        transport: httpx.AsyncBaseTransport | None = None,
        allow_private_addresses: bool = False,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.host_delay = host_delay
        self.user_agent = user_agent
        self.transport = transport
        self.allow_private_addresses = allow_private_addresses
        self.resolver = resolver
        self.host_locks: dict[str, asyncio.Lock] = {}

    async def pinned_address(self, url: httpx.URL) -> str:
        """The address to connect to for `url`: its host resolved here and checked, so the
        connection goes where the check looked. Raises BlockedAddress for a non-public one."""
        if url.scheme not in ("http", "https") or not url.host:
            raise httpx.UnsupportedProtocol(f"not an http(s) address: {url.scheme}")
        try:
            addresses = [str(ipaddress.ip_address(url.host))]
        except ValueError:
            port = url.port or (443 if url.scheme == "https" else 80)
            try:
                addresses = await asyncio.wait_for(self.resolver(url.host, port), self.timeout)
            except (OSError, UnicodeError) as error:
                raise httpx.ConnectError(f"cannot resolve {url.host}: {error}") from error
            except TimeoutError as error:
                raise httpx.ConnectTimeout(f"resolving {url.host} timed out") from error
        if not addresses:
            raise httpx.ConnectError(f"{url.host} has no address")
        if not self.allow_private_addresses and not all(map(is_public_address, addresses)):
            # Every address must pass: a name with one public and one private address could
            # otherwise be checked on the first and connected on the second.
            raise BlockedAddress(url.host)
        return addresses[0]

    async def _send(self, client: httpx.AsyncClient, method: str, url: httpx.URL):
        """One request to the checked address of `url`, with its own Host and TLS name."""
        address = await self.pinned_address(url)
        host_header = url.netloc.decode("ascii").rpartition("@")[2]
        request = client.build_request(
            method,
            url.copy_with(host=address),
            headers={"Host": host_header},
            extensions={"sni_hostname": url.host} if url.scheme == "https" else {},
        )
        # Stream so a large document is not downloaded just to learn it exists.
        response = await client.send(request, stream=True)
        await response.aclose()
        return response

    async def _request(self, client: httpx.AsyncClient, url: httpx.URL) -> httpx.Response:
        """HEAD, or GET when HEAD is refused; one request at a time per host."""
        lock = self.host_locks.setdefault(url.host.lower(), asyncio.Lock())
        async with lock:
            try:
                async with self.semaphore:
                    response = await self._send(client, "HEAD", url)
                    if response.status_code in HEAD_REFUSED:
                        response = await self._send(client, "GET", url)
            finally:
                if self.host_delay:
                    await asyncio.sleep(self.host_delay)
        return response

    async def _follow(self, client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, str]:
        """The response at the end of the redirects from `url`, and where that was; each hop
        is resolved and checked before it is contacted."""
        current = httpx.URL(url)
        for _hop in range(MAX_REDIRECTS + 1):
            response = await self._request(client, current)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response, str(current)
            current = httpx.URL(urljoin(str(current), location))
        raise httpx.TooManyRedirects("too many redirects")

    async def check(self, client: httpx.AsyncClient, url: str) -> Outcome:
        started = time.perf_counter()

        def elapsed() -> int:
            return round((time.perf_counter() - started) * 1000)

        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response, final_url = await self._follow(client, url)
            except BlockedAddress:
                # Nothing about the answer (or its address) is kept: none was asked for.
                return Outcome(LinkStatus.BLOCKED, None, "", elapsed(), "not a public address")
            except httpx.TimeoutException:
                if last:
                    return Outcome(LinkStatus.UNREACHABLE, None, "", elapsed(), "timeout")
            except httpx.TooManyRedirects:
                return Outcome(LinkStatus.BROKEN, None, "", elapsed(), "too many redirects")
            except (httpx.TransportError, httpx.InvalidURL) as error:
                # Refused connection, unknown host, TLS failure, malformed address.
                message = f"{type(error).__name__}: {error}"[:300]
                return Outcome(LinkStatus.UNREACHABLE, None, "", elapsed(), message)
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    return outcome_for(response, final_url, url, elapsed())
            await asyncio.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the loop returns on its last attempt")

    async def check_all(
        self, urls: Iterable[str], progress: Callable[[], None] | None = None
    ) -> dict[str, Outcome]:
        """Check each distinct URL once; returns the outcome of every URL."""
        urls = list(dict.fromkeys(urls))
        results: dict[str, Outcome] = {}
        async with httpx.AsyncClient(
            follow_redirects=False,  # followed by _follow, which checks every hop
            timeout=self.timeout,
            headers={"User-Agent": self.user_agent},
            transport=self.transport,
        ) as client:

            async def one(url: str) -> None:
                results[url] = await self.check(client, url)
                if progress:
                    progress()

            await asyncio.gather(*(one(url) for url in urls))
        return results


def run(checker: LinkChecker, urls: list[str], progress=None) -> dict[str, Outcome]:
    """Run the checks from synchronous code, even where an event loop is already running."""
    coroutine = checker.check_all(urls, progress=progress)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # e.g. inside a notebook or next to Playwright's loop: give the checks their own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def collect_targets(resources=None) -> list[Target]:
    """Every main URL and secondary link of `resources` (default: the whole catalogue)."""
    resources = resources if resources is not None else Resource.objects.all()
    targets = [
        Target(url=url, resource_id=pk)
        for pk, url in resources.exclude(url="").order_by("pk").values_list("pk", "url")
    ]
    links = ResourceLink.objects.filter(resource__in=resources).order_by("pk")
    targets += [Target(url=url, link_id=pk) for pk, url in links.values_list("pk", "url")]
    return targets


@transaction.atomic
def store_results(targets: list[Target], outcomes: dict[str, Outcome]) -> None:
    """Write one LinkCheck per target: updated if it exists, created otherwise."""
    now = timezone.now()
    checks = LinkCheck.objects.filter(
        Q(resource_id__in=[t.resource_id for t in targets if t.resource_id])
        | Q(link_id__in=[t.link_id for t in targets if t.link_id])
    )
    existing = {(check.resource_id, check.link_id): check for check in checks}
    fields = ["url", "status", "http_status", "final_url", "checked_at", "elapsed_ms", "error"]
    to_create, to_update = [], []
    for target in targets:
        outcome = outcomes[target.url]
        check = existing.get((target.resource_id, target.link_id))
        if check is None:
            check = LinkCheck(resource_id=target.resource_id, link_id=target.link_id)
            to_create.append(check)
        else:
            to_update.append(check)
        check.url = target.url
        check.status = outcome.status
        check.http_status = outcome.http_status
        check.final_url = outcome.final_url[:2000]
        check.checked_at = now
        check.elapsed_ms = outcome.elapsed_ms
        check.error = outcome.error
    LinkCheck.objects.bulk_create(to_create, batch_size=500)
    LinkCheck.objects.bulk_update(to_update, fields, batch_size=500)
    transaction.on_commit(bump_catalogue_version)  # bulk writes send no signals


def check_catalogue(
    *,
    concurrency: int = 10,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 0.5,
    delay: float | None = None,
    allow_private_addresses: bool | None = None,
    start: Callable[[int], None] | None = None,
    progress: Callable[[], None] | None = None,
) -> tuple[list[Target], dict[str, Outcome]]:
    """Check every address of the catalogue and store the outcomes (the command and the job).

    `start` hears how many distinct addresses there are, `progress` hears of each one done.
    """
    from django.conf import settings

    targets = collect_targets()
    urls = list(dict.fromkeys(target.url for target in targets))
    if start:
        start(len(urls))
    checker = LinkChecker(
        concurrency=concurrency,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        host_delay=settings.LINK_CHECK_HOST_DELAY if delay is None else delay,
        user_agent=settings.LINK_CHECK_USER_AGENT,
        allow_private_addresses=bool(
            allow_private_addresses or settings.LINK_CHECK_ALLOW_PRIVATE_ADDRESSES
        ),
    )
    outcomes = run(checker, urls, progress=progress)
    store_results(targets, outcomes)
    return targets, outcomes


def summarize(targets: list[Target], outcomes: dict[str, Outcome]) -> dict[str, int]:
    """How many addresses ended in each status (ok, redirect, broken, unreachable, blocked)."""
    counts = {status: 0 for status in LinkStatus.values if status != LinkStatus.UNCHECKED}
    for target in targets:
        counts[outcomes[target.url].status] += 1
    return counts
