"""Guessing a new entry's kind and language from its address and title (imports, suggestions)."""

from __future__ import annotations

from urllib.parse import urlsplit

from resources.models import Kind, Language
from resources.models.vocabulary import HAN

# Host (or host + path prefix) → kind, for entries nobody has classified yet.
KIND_BY_HOST = [
    ("arxiv.org", Kind.PAPER),
    ("openreview.net", Kind.PAPER),
    ("proceedings.mlr.press", Kind.PAPER),
    ("proceedings.neurips.cc", Kind.PAPER),
    ("papers.nips.cc", Kind.PAPER),
    ("jmlr.org", Kind.PAPER),
    ("dl.acm.org", Kind.PAPER),
    ("nature.com", Kind.PAPER),
    ("pnas.org", Kind.PAPER),
    ("github.com", Kind.CODE),
    ("zhihu.com/question", Kind.DISCUSSION),
    ("zhuanlan.zhihu.com", Kind.BLOG),
    ("mp.weixin.qq.com", Kind.BLOG),
    ("wordpress.com", Kind.BLOG),
    ("offconvex.org", Kind.BLOG),
    ("youtube.com", Kind.VIDEO),
    ("bilibili.com", Kind.VIDEO),
    ("wikipedia.org", Kind.WEBSITE),
]
CHINESE_HOSTS = ("zhihu.com", "weixin.qq.com", "bilibili.com", "engineering.org.cn")


def guess_kind(url: str) -> str:
    """A first guess at what a URL points to; curators correct it in the admin."""
    if not url:
        return Kind.WEBSITE
    parts = urlsplit(url)
    where = (parts.hostname or "").lower() + parts.path.lower()
    for prefix, kind in KIND_BY_HOST:
        if prefix in where:
            return kind
    if parts.path.lower().endswith(".pdf"):
        return Kind.PAPER
    return Kind.WEBSITE


def guess_language(url: str, title: str) -> str:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    if any(host.endswith(chinese) for chinese in CHINESE_HOSTS) or HAN.search(title):
        return Language.CHINESE
    return Language.ENGLISH
