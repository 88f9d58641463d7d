"""Checking that the catalogue's addresses still answer (used by `manage.py check_links`).

The network part is asyncio + httpx and touches no database; `collect_targets` reads the
addresses before and `store_results` writes the outcomes after, both synchronously.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from resources.models import LinkCheck, LinkStatus, Resource, ResourceLink

# Servers that refuse HEAD answer one of these; the same URL is then fetched with GET.
HEAD_REFUSED = {403, 405, 501}
RETRY_STATUSES = {429, 500, 502, 503, 504}


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


def outcome_for(response: httpx.Response, url: str, elapsed_ms: int) -> Outcome:
    final_url = str(response.url)
    if response.status_code >= 400:
        status = LinkStatus.BROKEN
    elif response.history and final_url != url:
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
    ) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.host_delay = host_delay
        self.user_agent = user_agent
        self.transport = transport
        self.host_locks: dict[str, asyncio.Lock] = {}

    async def _request(self, client: httpx.AsyncClient, url: str) -> httpx.Response:
        """HEAD, or GET when HEAD is refused; one request at a time per host."""
        host = (urlsplit(url).hostname or "").lower()
        lock = self.host_locks.setdefault(host, asyncio.Lock())
        async with lock:
            try:
                async with self.semaphore:
                    response = await client.head(url)
                    if response.status_code in HEAD_REFUSED:
                        # Stream so a large document is not downloaded just to learn it exists.
                        async with client.stream("GET", url) as streamed:
                            response = streamed
            finally:
                if self.host_delay:
                    await asyncio.sleep(self.host_delay)
        return response

    async def check(self, client: httpx.AsyncClient, url: str) -> Outcome:
        started = time.perf_counter()

        def elapsed() -> int:
            return round((time.perf_counter() - started) * 1000)

        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = await self._request(client, url)
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
                    return outcome_for(response, url, elapsed())
            await asyncio.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the loop returns on its last attempt")

    async def check_all(
        self, urls: Iterable[str], progress: Callable[[], None] | None = None
    ) -> dict[str, Outcome]:
        """Check each distinct URL once; returns the outcome of every URL."""
        urls = list(dict.fromkeys(urls))
        results: dict[str, Outcome] = {}
        async with httpx.AsyncClient(
            follow_redirects=True,
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


def check_catalogue(
    *,
    concurrency: int = 10,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 0.5,
    delay: float | None = None,
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
    )
    outcomes = run(checker, urls, progress=progress)
    store_results(targets, outcomes)
    return targets, outcomes


def summarize(targets: list[Target], outcomes: dict[str, Outcome]) -> dict[str, int]:
    """How many addresses ended in each status (ok, redirect, broken, unreachable)."""
    counts = dict.fromkeys(LinkStatus.values[:4], 0)
    for target in targets:
        counts[outcomes[target.url].status] += 1
    return counts
