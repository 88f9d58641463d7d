"""Creating a row that a concurrent transaction may be creating at the same moment.

Two curators importing lists that share a new topic both find no such topic and both insert
one; on PostgreSQL the second insert waits for the first transaction, then fails on the unique
slug (IntegrityError, a 500). Inserting inside a savepoint lets the loser roll back just that
insert and use the row the winner committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

Row = TypeVar("Row")


def create_or_fetch(
    *, create: Callable[[], Row], fetch: Callable[[], Row | None], attempts: int = 3
) -> tuple[Row, bool]:
    """`(create(), True)`, or `(fetch(), False)` when a unique value was taken meanwhile.

    When `fetch` finds nothing the clash was on another value (a slug made from a similar
    name, say): `create` runs again and sees the committed row this time.
    """
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            existing = fetch()
            if existing is not None:
                return existing, False
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")
