"""Which release renders the pages: a fingerprint of the files a render is made from.

Cached pages, rows and data in the shared cache live across a deploy (Redis outlives the
servers, and the file cache is on disk). Their keys carry `release()`, so a server running new
templates, translations, code or static files never reads what an older release rendered, and
an older server still running during a deploy never reads a newer one's. Version tokens stay
shared by every release (`caching.versions`), so a write retires both releases' entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings

# What a render reads from disk: templates, translations, the code, the locked dependencies.
SOURCES = ("templates", "resources", "dlt_library", "locale", "requirements.txt")
SUFFIXES = {".html", ".txt", ".xml", ".py", ".mo", ".json"}


def fingerprint(paths: Iterable[Path]) -> str:
    """A short digest of the names and contents of the files at `paths` (files, or folders
    searched for the SUFFIXES kinds); a path that does not exist counts as empty."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            files = [path]
        else:  # a folder, or nothing
            files = sorted(f for f in path.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        for file in files:
            digest.update(str(file.relative_to(path.parent)).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def release() -> str:
    """This process's release: read once, at its first cached render."""
    # The static manifest names the hashed files every page links to (absent in development).
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return fingerprint([*(settings.BASE_DIR / source for source in SOURCES), manifest])
