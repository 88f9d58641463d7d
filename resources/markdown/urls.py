"""URL keys: "one work, one resource".

`normalize_url(url)` gives the key two links share when they point at the same work. It is a
key, not a URL to visit. The rules, in order:

1. Surrounding and embedded whitespace is removed (URLs broken across lines, "url " typos).
2. arXiv links (`arxiv.org`, `www.` or `export.arxiv.org`; `/abs/ID`, `/abs/IDvN`, `/pdf/ID`,
   `/pdf/IDvN`, `/pdf/ID.pdf`) become `arxiv:ID`, without the version: every version of a
   preprint is one work. New-style (`2012.10931`) and old-style (`hep-th/9901001`) IDs.
3. DOI links (`doi.org/10…`, `dx.doi.org/10…`, `dl.acm.org/doi/[abs|full|pdf/]10…`) become
   `doi:` + the DOI in lower case (DOIs are case-insensitive).
4. Anything else with a scheme and a host: scheme and host in lower case, `http` → `https`
   (the same page is served on both), default ports (:80, :443) dropped, trailing slashes of
   the path dropped, `utm_*` tracking parameters dropped, the rest of the query kept.
   The fragment is dropped (`#more-6531`, `#category=…` point into one page) unless it is a
   client-side route (`#/…` or `#!…`), which single-page sites use to address separate pages.
   `www.` is kept: it usually names the same site, but not always, and a key must not merge
   two different works.
5. Anything without a scheme and host (relative paths, `mailto:`) is returned stripped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

_ARXIV_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*arxiv\.org$")
_ARXIV_PATH = re.compile(
    r"^/(?:abs|pdf)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
    r"(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_ACM_DOI_PATH = re.compile(r"^/doi/(?:(?:abs|full|pdf|epdf)/)?(?P<doi>10\.\d{4,9}/.+)$")
_DOI_PATH = re.compile(r"^/(?P<doi>10\.\d{4,9}/.+)$")
_WHITESPACE = re.compile(r"\s+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _clean(url: str) -> str:
    return _WHITESPACE.sub("", url or "")


def _split(url: str):
    """urlsplit that never raises (bad ports and brackets make it raise ValueError)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - validates the port, which raises for garbage
    except ValueError:
        return None
    return parts


def _arxiv_of(parts) -> str | None:
    if not parts.hostname or not _ARXIV_HOST.match(parts.hostname.lower()):
        return None
    match = _ARXIV_PATH.match(parts.path)
    return match.group("id") if match else None


def _doi_of(parts) -> str | None:
    host = (parts.hostname or "").lower()
    if host in _DOI_HOSTS:
        match = _DOI_PATH.match(parts.path)
    elif host == "dl.acm.org":
        match = _ACM_DOI_PATH.match(parts.path)
    else:
        return None
    return unquote(match.group("doi")).rstrip("/") if match else None


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier a URL points at (without version), or None."""
    parts = _split(_clean(url))
    return _arxiv_of(parts) if parts is not None else None


def doi(url: str) -> str | None:
    """The DOI a doi.org or dl.acm.org/doi/ URL points at, as written, or None."""
    parts = _split(_clean(url))
    return _doi_of(parts) if parts is not None else None


def _keep_fragment(fragment: str) -> bool:
    return fragment.startswith(("/", "!"))


def _clean_query(query: str) -> str:
    if "utm_" not in query:
        return query
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not key.lower().startswith("utm_")
    ]
    return urlencode(pairs)


@lru_cache(maxsize=65536)
def normalize_url(url: str) -> str:
    """The key under which links to the same work meet (see the module docstring)."""
    cleaned = _clean(url)
    parts = _split(cleaned) if cleaned else None
    if parts is None or not parts.scheme or not parts.hostname:
        return cleaned
    if found := _arxiv_of(parts):
        return f"arxiv:{found}"
    if found := _doi_of(parts):
        return f"doi:{found.lower()}"
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc = f"{netloc}:{parts.port}"
    if parts.username or parts.password:
        credentials = parts.username or ""
        if parts.password:
            credentials += f":{parts.password}"
        netloc = f"{credentials}@{netloc}"
    path = parts.path.rstrip("/")
    fragment = parts.fragment if _keep_fragment(parts.fragment) else ""
    if fragment:
        fragment = fragment.rstrip("/") or fragment
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), fragment))
