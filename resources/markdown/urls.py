"""URL normalisation (placeholder until the parser package lands; same API)."""

import re
from urllib.parse import urlsplit, urlunsplit

ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/([\w.\-/]+?)(?:v\d+)?(?:\.pdf)?/?$", re.I)
DOI = re.compile(r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/)?)(10\.\d{4,9}/[^\s?#]+)", re.I)


def arxiv_id(url: str) -> str | None:
    match = ARXIV.search(url.strip())
    return match.group(1) if match else None


def doi(url: str) -> str | None:
    match = DOI.search(url.strip())
    return match.group(1) if match else None


def normalize_url(url: str) -> str:
    url = url.strip()
    if found := arxiv_id(url):
        return f"arxiv:{found}"
    parts = urlsplit(url)
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme.lower()
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, parts.query, ""))
