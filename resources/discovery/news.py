"""What's new: additions and notable changes to the catalogue, week by week.

Additions are the resources themselves, by the date they entered the library (a library loaded
from the shipped fixture has no history rows, yet its entries were added). Changes come from the
history curators already keep (django-simple-history on Resource): an edit is notable when it
changes what a reader would notice — see NOTABLE_FIELDS — not a reordering or a re-index.
The same for everyone, so it is cached per catalogue version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from resources.caching import cached_data
from resources.models import Resource

# Only these fields make an edit worth announcing.
NOTABLE_FIELDS = (
    "title",
    "url",
    "kind",
    "year",
    "venue",
    "description",
    "language",
    "is_featured",
    "topic_id",
    "parent_id",
    "tag_names",
)
# Bounded whatever the catalogue's size: the newest events only.
MAX_EVENTS = 300
MAX_WEEKS = 8


@dataclass
class Event:
    resource_id: int
    title: str
    when: datetime
    kind: str  # "added" or "changed"
    fields: list[str] = field(default_factory=list)


@dataclass
class Week:
    start: date
    added: list[Event] = field(default_factory=list)
    changed: list[Event] = field(default_factory=list)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def week_start(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _additions() -> list[Event]:
    rows = Resource.objects.order_by("-created", "-pk").values_list("pk", "title", "created")
    return [Event(pk, title, created, "added") for pk, title, created in rows[:MAX_EVENTS]]


def _changes() -> list[Event]:
    """Notable edits of resources that still exist, newest first: two queries."""
    history = Resource.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    columns = ["history_id", "id", "history_date", *NOTABLE_FIELDS]
    edits = list(
        history.objects.filter(history_type="~", id__in=Resource.objects.values("pk"))
        .annotate(previous_id=Subquery(previous))
        .order_by("-history_date", "-history_id")
        .values(*columns, "previous_id")[:MAX_EVENTS]
    )
    before = {
        row["history_id"]: row
        for row in history.objects.filter(
            history_id__in=[e["previous_id"] for e in edits if e["previous_id"]]
        ).values(*columns)
    }
    events = []
    for edit in edits:
        earlier = before.get(edit["previous_id"])
        if earlier is None:
            changed = []  # the first recorded version: we cannot tell what it changed
        else:
            changed = [name for name in NOTABLE_FIELDS if edit[name] != earlier[name]]
            if not changed:
                continue
        events.append(Event(edit["id"], edit["title"], edit["history_date"], "changed", changed))
    return events


def recent_weeks() -> list[Week]:
    """The latest MAX_WEEKS weeks with news, newest first; within a week, one entry per
    resource (an edit in the week a resource was added is part of its addition)."""
    return cached_data("whats-new", _compute_weeks)


def _compute_weeks() -> list[Week]:
    weeks: dict[date, Week] = {}
    added: dict[tuple[date, int], Event] = {}
    for event in _additions():
        start = week_start(event.when)
        weeks.setdefault(start, Week(start)).added.append(event)
        added[(start, event.resource_id)] = event
    changed: dict[tuple[date, int], Event] = {}
    for event in _changes():
        key = (week_start(event.when), event.resource_id)
        if key in added:
            continue
        kept = changed.get(key)
        if kept is None:
            changed[key] = event  # the newest edit of the week gives the title and date
            weeks.setdefault(key[0], Week(key[0])).changed.append(event)
        else:
            kept.fields = sorted(set(kept.fields) | set(event.fields))
    return sorted(weeks.values(), key=lambda week: week.start, reverse=True)[:MAX_WEEKS]


def latest_events(limit: int) -> list[Event]:
    """The newest `limit` additions and changes, across weeks."""
    events = [event for week in recent_weeks() for event in (*week.added, *week.changed)]
    return sorted(events, key=lambda event: event.when, reverse=True)[:limit]
