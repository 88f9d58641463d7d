"""A small client of the arXiv API (https://info.arxiv.org/help/api/): metadata by id.

Ids are asked for in batches (`id_list`), at most one request every `delay` seconds as arXiv
asks of API users, retried with growing waits when the service is busy or unreachable. The
answer is an Atom feed, read with feedparser.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import feedparser
import httpx

DEFAULT_API = "http://export.arxiv.org/api/query"
BATCH_SIZE = 50
DELAY = 3.0  # seconds between requests: arXiv's published limit for API clients
RETRIES = 3
_ABS_URL = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")


class ArxivError(Exception):
    """The arXiv API could not be reached or gave no usable answer (after retries)."""


@dataclass
class ArxivRecord:
    arxiv_id: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    doi: str = ""
    primary_category: str = ""
    journal_ref: str = ""


def _record(entry) -> ArxivRecord | None:
    match = _ABS_URL.match(entry.get("id", ""))
    if match is None:  # arXiv answers an unknown or malformed id with an "Error" entry
        return None
    published = entry.get("published_parsed")
    primary = entry.get("arxiv_primary_category") or {}
    return ArxivRecord(
        arxiv_id=match.group("id"),
        # arXiv wraps abstracts at ~80 columns; a paragraph is one line of text here.
        abstract=" ".join(entry.get("summary", "").split()),
        authors=[" ".join(a.get("name", "").split()) for a in entry.get("authors", [])],
        published=date(*published[:3]) if published else None,
        doi=entry.get("arxiv_doi", "").strip(),
        primary_category=primary.get("term", ""),
        journal_ref=" ".join(entry.get("arxiv_journal_ref", "").split()),
    )


def parse(body: bytes) -> list[ArxivRecord]:
    """The records of an arXiv API Atom answer; error entries are left out."""
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        raise ArxivError(f"arXiv's answer is not a feed: {feed.get('bozo_exception')}")
    return [record for record in map(_record, feed.entries) if record is not None]


class ArxivClient:
    def __init__(
        self,
        *,
        api_url: str = DEFAULT_API,
        delay: float = DELAY,
        retries: int = RETRIES,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url
        self.delay = delay
        self.retries = retries
        self.sleep = sleep
        self._last_request = float("-inf")
        self._http = httpx.Client(
            timeout=timeout, headers={"User-Agent": "dlt-library enrich_metadata"}
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _wait_turn(self) -> None:
        wait = self._last_request + self.delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last_request = time.monotonic()

    def fetch(self, ids: Sequence[str]) -> list[ArxivRecord]:
        """One request for `ids`, retried (waiting delay, 2×delay, 4×delay…) on failure."""
        params = {"id_list": ",".join(ids), "max_results": str(len(ids))}
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.delay * 2 ** (attempt - 1))
            self._wait_turn()
            try:
                response = self._http.get(self.api_url, params=params)
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
                continue
            if response.status_code == 200:
                return parse(response.content)
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break  # a refusal that asking again will not change
        raise ArxivError(f"arXiv API at {self.api_url} failed for {len(ids)} ids: {problem}")

    def batches(
        self, ids: Sequence[str], *, size: int = BATCH_SIZE
    ) -> Iterator[tuple[list[str], list[ArxivRecord]]]:
        """(ids asked, records found) for each batch of `ids`, one request each."""
        for start in range(0, len(ids), size):
            batch = list(ids[start : start + size])
            yield batch, self.fetch(batch)
