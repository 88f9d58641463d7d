"""A list row's body, rendered once per server process for each state of what it shows.

A row's body (the Jinja2 template `includes/_resource_row_body.html`: title, kind, year, venue,
topic, authors, tags, a search snippet) is made from the resource as `for_rows()` loads it, the
search terms marked in it, the language, time zone and URL prefix, and from nothing else: it is
rendered without the request, and nothing about the reader is in it. Its key is made of those very
values (`loaded_state`), so an edit to any of them gives the row a new key, and the body made
before the edit is never read again. There is nothing to retire, and no process can hold a
body that is out of date, so the bodies live in each process's own memory (the "row-bodies"
cache, bounded, least recently used dropped first) and cost no round trip to Redis or the disk.
A body whose drawing reads the database (something `for_rows()` did not load, hence not in
the key) is never kept.

What this buys: after any change, which retires the whole cached pages and the signed-in rows
(`caching.py`), the first render redraws only the rows whose resource changed; the others come
from memory, in a process that drew them before. With caching off (PAGE_CACHE_SECONDS=0)
nothing is kept and every body is drawn.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.core.cache import caches
from django.db import connection
from django.db.models import Model
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

ROW_BODY_TEMPLATE = "resources/includes/_resource_row_body.html"

logger = logging.getLogger(__name__)


# Values that pickle as exactly what they are; anything else on an instance is looked into
# (`_plain`).
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), Decimal, date, datetime, UUID})


def loaded_state(instance: Model, _open: set[int] | None = None) -> tuple:
    """Everything of `instance` that is in memory, as plain values: its loaded fields and
    annotations, then, in turn, the objects select_related and prefetch_related loaded with it.

    A template given `instance` can show nothing else of it without a query, so two instances
    with equal states render alike. Names go with values, in the order the load set them (the
    same for the same query; another order only makes another key). An object met again below
    itself (a prefetched authorship's link back to its resource) is noted by class only."""
    name = type(instance).__name__
    open_ = set() if _open is None else _open
    if id(instance) in open_:
        return (name,)
    open_.add(id(instance))
    try:
        own = tuple(
            (key, value if type(value) in _PLAIN_TYPES else _plain(value, open_))
            for key, value in vars(instance).items()
            if key[0] != "_"
        )
        related = tuple(
            (key, None if obj is None else loaded_state(obj, open_))
            for key, obj in instance._state.fields_cache.items()
        )
        prefetched = tuple(
            (key, tuple(loaded_state(obj, open_) for obj in queryset))
            for key, queryset in getattr(instance, "_prefetched_objects_cache", {}).items()
        )
    finally:
        open_.discard(id(instance))
    return (name, own, related, prefetched)


def _plain(value, open_: set[int]):
    """`value` as plain values: an object set on the instance by hand is taken whole (its repr
    could leave out what a template shows of it), a list or tuple item by item, anything else
    as its repr."""
    if isinstance(value, Model):
        return loaded_state(value, open_)
    if isinstance(value, list | tuple):
        items = tuple(item if type(item) in _PLAIN_TYPES else _plain(item, open_) for item in value)
        return (type(value).__name__, items)
    return (type(value).__name__, repr(value))


def _key(row: Model, setting: tuple[str, ...], terms: tuple[str, ...]) -> str:
    # Pickled rather than written out with repr, in a third of the time. Two equal pickles
    # load as equal states, so a key never names another state's body; equal states can
    # pickle apart (pickle notes a string met twice as a reference), which only misses.
    state = pickle.dumps((setting, terms, loaded_state(row)), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(state).hexdigest()


class _QueryCounter:
    """A database execute wrapper that counts the queries run while it is installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def row_bodies(rows: Sequence[Model], terms: Sequence[str], *, keep: bool) -> list[SafeString]:
    """The body of each of `rows` (as `for_rows()` loaded them, before anything else is set on
    them), with `terms` marked. With `keep` (caching on), from this process's memory, or
    rendered and kept there; without, rendered.

    A body whose drawing read the database showed something its key does not hold (a field or
    relation `for_rows()` did not load): it is used for this page but not kept, and logged."""
    template = get_template(ROW_BODY_TEMPLATE, using="jinja2")
    marks = tuple(terms)

    def draw(row: Model) -> str:
        return template.render({"resource": row, "search_terms": marks})

    # Rendered by the body template, autoescaped.
    if not keep:
        return [mark_safe(draw(row)) for row in rows]
    # What a render reads besides the row and the terms: its language, time zone and the
    # prefix its links are made under.
    setting = (get_language() or "", get_current_timezone_name(), get_script_prefix())
    keys = [_key(row, setting, marks) for row in rows]
    memory = caches["row-bodies"]
    known = memory.get_many(keys)
    made: dict[str, str] = {}
    bodies = []
    queries = _QueryCounter()
    with connection.execute_wrapper(queries):
        for row, key in zip(rows, keys, strict=True):
            body = known.get(key) or made.get(key)
            if body is None:
                body = made[key] = draw(row)
            # Rendered by the body template, autoescaped, here or when it was kept.
            bodies.append(mark_safe(body))
    if queries.count:
        logger.warning(
            "%s read the database %d times for %d rows: bodies not kept (load what a row "
            "shows in ResourceQuerySet.for_rows)",
            ROW_BODY_TEMPLATE,
            queries.count,
            len(made),
        )
    elif made:
        memory.set_many(made, timeout=None)
    return bodies


def forget_row_bodies() -> None:
    """Empty this process's row bodies: the development server does when a template or a
    translation changes without a restart (apps.py); in production a new release starts new
    processes, with empty memories."""
    caches["row-bodies"].clear()
