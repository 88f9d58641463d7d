"""Readers on reading paths: progress from their own bookmarks, starting a path, and loading
the shipped paths.

Progress is never stored: it is read from the reader's bookmarks' statuses each time, so it is
always theirs and always current, and a path's page is cached only for anonymous visitors, who
see no progress.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from resources.caching import bump_now_and_at_commit, bump_readers_version
from resources.markdown.urls import normalize_url
from resources.models import Bookmark, PathStep, ReadingPath, ReadingStatus, Resource


@dataclass
class StepView:
    """A step as one reader sees it: their status of its resource (None: not shelved)."""

    step: PathStep
    status: str | None = None
    rating: int | None = None
    is_next: bool = False


@dataclass
class Progress:
    steps: list[StepView]
    done: int = 0
    reading: int = 0
    to_read: int = 0
    next_step: StepView | None = None
    total: int = 0
    started: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def unshelved(self) -> int:
        """Steps not in the reader's library yet (what "start" would add)."""
        return sum(1 for view in self.steps if view.step.resource_id and not view.status)

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total


def _shelf(user, resource_ids: set[int]) -> dict[int, tuple[str, int | None]]:
    """The reader's (status, rating) of each of `resource_ids` they shelved: one query, and
    none for an anonymous visitor."""
    if not resource_ids:
        return {}
    rows = (
        Bookmark.objects.of(user)
        .filter(resource_id__in=resource_ids)
        .values_list("resource_id", "status", "rating")
    )
    return {pk: (status, rating) for pk, status, rating in rows}


def _views(steps: list[PathStep], shelf: dict) -> list[StepView]:
    views = []
    for step in steps:
        status, rating = shelf.get(step.resource_id, (None, None))
        views.append(StepView(step=step, status=status, rating=rating))
    return views


def progress(*, steps: list[PathStep], user) -> Progress:
    """Where `user` is along a path of `steps`: done, reading and to read, and the next step —
    the first one not done, favouring one they are reading. Anonymous readers get no statuses."""
    views = _views(steps, _shelf(user, {s.resource_id for s in steps if s.resource_id}))
    live = [view for view in views if view.step.resource_id]
    result = Progress(steps=views, total=len(live))
    result.done = sum(view.status == ReadingStatus.DONE for view in live)
    result.reading = sum(view.status == ReadingStatus.READING for view in live)
    result.to_read = sum(view.status == ReadingStatus.TO_READ for view in live)
    result.started = any(view.status for view in live)
    pending = [view for view in live if view.status != ReadingStatus.DONE]
    if pending and user.is_authenticated:  # a next step is a reader's, not a visitor's
        reading = [view for view in pending if view.status == ReadingStatus.READING]
        result.next_step = (reading or pending)[0]
        result.next_step.is_next = True
    return result


def progress_by_path(*, paths: list[ReadingPath], user) -> dict[int, Progress]:
    """Each path's progress for `user`, from one query of their bookmarks (paths prefetched
    with `with_steps()`)."""
    if not user.is_authenticated:
        return {}
    ids = {s.resource_id for path in paths for s in path.steps.all() if s.resource_id}
    shelf = _shelf(user, ids)
    found = {}
    for path in paths:
        views = _views(list(path.steps.all()), shelf)
        live = [view for view in views if view.step.resource_id]
        done = sum(view.status == ReadingStatus.DONE for view in live)
        found[path.pk] = Progress(
            steps=views, total=len(live), done=done, started=any(v.status for v in live)
        )
    return found


@transaction.atomic
def start_path(*, user, path: ReadingPath) -> int:
    """Shelve every step of `path` for `user` as "to read"; returns how many were added.

    Bookmarks the reader already has keep their status and rating: starting a path again, or
    a path that shares a resource with another, never resets anything.
    """
    wanted = set(path.steps.exclude(resource=None).values_list("resource_id", flat=True))
    have = set(
        Bookmark.objects.filter(user=user, resource_id__in=wanted).values_list(
            "resource_id", flat=True
        )
    )
    new = [
        Bookmark(user=user, resource_id=pk, status=ReadingStatus.TO_READ)
        for pk in sorted(wanted - have)
    ]
    # ignore_conflicts: a bookmark made in another tab meanwhile is kept as it is.
    Bookmark.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        # bulk_create sends no signals; reader counts and co-reader lists must still change.
        bump_now_and_at_commit(bump_readers_version)
    return len(new)


# Shipped paths ------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@transaction.atomic
def load_reading_paths(*, source: Path) -> LoadReport:
    """Create the paths in `source` (JSON) that the library does not have yet.

    A path whose slug exists is left exactly as curators made it. Steps name their resource by
    URL (any form of it that normalises to the same work), so the file does not depend on the
    database's ids; a step whose resource is not in the catalogue is left out and reported.
    """
    report = LoadReport()
    entries = json.loads(source.read_text(encoding="utf-8"))
    for entry in entries:
        if ReadingPath.objects.filter(slug=entry["slug"]).exists():
            report.kept.append(entry["slug"])
            continue
        keys = {normalize_url(step["url"]) for step in entry["steps"]}
        by_key = dict(Resource.objects.filter(url_key__in=keys).values_list("url_key", "pk"))
        path = ReadingPath.objects.create(
            slug=entry["slug"],
            title=entry["title"],
            title_zh=entry.get("title_zh", ""),
            description=entry.get("description", ""),
            description_zh=entry.get("description_zh", ""),
            position=entry.get("position", 0),
        )
        steps = []
        for position, step in enumerate(entry["steps"], start=1):
            resource_id = by_key.get(normalize_url(step["url"]))
            if resource_id is None:
                report.missing.append(f"{entry['slug']}: {step['url']}")
                continue
            steps.append(
                PathStep(
                    path=path,
                    position=position,
                    resource_id=resource_id,
                    note=step.get("note", ""),
                    note_zh=step.get("note_zh", ""),
                )
            )
        PathStep.objects.bulk_create(steps)
        report.created.append(entry["slug"])
    return report
