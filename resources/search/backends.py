"""The one backend-specific step: which resources hold a boolean combination of tokens.

PostgreSQL answers from a GIN index on `to_tsvector('simple', search_text)`, SQLite from the
FTS5 table `resources_resource_fts` (unicode61 tokenizer) kept in step by triggers. Both see
the same whitespace-separated tokens, so both return the same rows. Tokens are letters and
digits only (see tokens.py), so quoting them below cannot break out of the query syntax.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

FTS_TABLE = "resources_resource_fts"
TABLE = "resources_resource"
TSVECTOR = f"to_tsvector('simple'::regconfig, {TABLE}.search_text)"

# Migrations create these objects; they live here so the SQL sits next to the queries it serves.
POSTGRES_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS resource_search_gin ON {TABLE} USING gin ({TSVECTOR})"
)
POSTGRES_DROP_SQL = "DROP INDEX IF EXISTS resource_search_gin"
# External content: the tokens are stored once, in resources_resource; the FTS5 table holds
# only the inverted index, which the triggers keep in step (SQLite's documented pattern: remove
# the old tokens with the 'delete' command, then add the new ones). Positions are kept
# (detail=full) so phrases and title matches are answered by the index, not by reading rows.
SQLITE_CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, search_title, "
    f"content = '{TABLE}', content_rowid = 'id', tokenize = 'unicode61')",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    f"CREATE TRIGGER IF NOT EXISTS resource_fts_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text, search_title) "
    f"VALUES (new.id, new.search_text, new.search_title); END",
    f"CREATE TRIGGER IF NOT EXISTS resource_fts_update AFTER UPDATE OF search_text, search_title "
    f"ON {TABLE} BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_title) "
    f"VALUES ('delete', old.id, old.search_text, old.search_title); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text, search_title) "
    f"VALUES (new.id, new.search_text, new.search_title); END",
    f"CREATE TRIGGER IF NOT EXISTS resource_fts_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_title) "
    f"VALUES ('delete', old.id, old.search_text, old.search_title); END",
]
SQLITE_DROP_SQL = [
    "DROP TRIGGER IF EXISTS resource_fts_insert",
    "DROP TRIGGER IF EXISTS resource_fts_update",
    "DROP TRIGGER IF EXISTS resource_fts_delete",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# An expression is a list of clauses (all must hold); a clause is a list of token sets (any
# will do); a token set is a tuple of tokens (all must be present).
Clauses = list[list[tuple[str, ...]]]


def _fts5(positive: Clauses, negative: list[tuple[str, ...]]) -> str:
    def all_of(tokens: tuple[str, ...]) -> str:
        return "(" + " AND ".join(f'"{token}"' for token in tokens) + ")"

    text = " AND ".join(
        "(" + " OR ".join(all_of(alt) for alt in clause) + ")" for clause in positive
    )
    for tokens in negative:
        text += f" NOT {all_of(tokens)}"
    return text


def _tsquery(positive: Clauses, negative: list[tuple[str, ...]]) -> str:
    def all_of(tokens: tuple[str, ...]) -> str:
        return "(" + " & ".join(f"'{token}'" for token in tokens) + ")"

    parts = ["(" + " | ".join(all_of(alt) for alt in clause) + ")" for clause in positive]
    parts += [f"!{all_of(tokens)}" for tokens in negative]
    return " & ".join(parts)


def _matching(vendor: str, positive: Clauses, negative: list[tuple[str, ...]]) -> Q:
    if vendor == "postgresql":
        expression = RawSQL(
            f"{TSVECTOR} @@ %s::tsquery",
            [_tsquery(positive, negative)],
            output_field=BooleanField(),
        )
        return Q(expression)
    return _fts_rows(_fts5(positive, negative))


def token_filter(alias: str, positive: Clauses, negative: list[tuple[str, ...]]) -> Q:
    """Resources holding every positive clause and none of the negative token sets."""
    vendor = connections[alias].vendor
    if positive:
        return _matching(vendor, positive, negative)
    # Only exclusions: look the excluded rows up through the index and keep the rest.
    query = Q()
    for tokens in negative:
        query &= ~Q(pk__in=_subquery(vendor, [[tokens]]))
    return query


def _subquery(vendor: str, positive: Clauses) -> RawSQL:
    if vendor == "postgresql":
        return RawSQL(
            f"SELECT id FROM {TABLE} WHERE {TSVECTOR} @@ %s::tsquery", [_tsquery(positive, [])]
        )
    return RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts5(positive, [])]
    )


def _fts_rows(expression: str) -> Q:
    return Q(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    )


def phrase_filter(alias: str, words: tuple[str, ...]) -> Q:
    """Resources whose document holds `words` side by side (within one field)."""
    if connections[alias].vendor == "sqlite":
        return _fts_rows('search_text : "' + " ".join(words) + '"')
    return Q(GreaterThan(StrIndex("search_text", Value(f" {' '.join(words)} ")), 0))


def title_filter(alias: str, tokens: tuple[str, ...], *, adjacent: bool = False) -> Q:
    """Resources whose title holds every token (side by side, if `adjacent`)."""
    if connections[alias].vendor == "sqlite":
        if adjacent:
            return _fts_rows('search_title : "' + " ".join(tokens) + '"')
        return _fts_rows("search_title : (" + " AND ".join(f'"{t}"' for t in tokens) + ")")
    # strpos, not LIKE: on PostgreSQL it is several times cheaper per row, and this runs on
    # every matching row to rank it.
    needles = [" ".join(tokens)] if adjacent else list(tokens)
    query = Q()
    for needle in needles:
        query &= Q(GreaterThan(StrIndex("search_title", Value(f" {needle} ")), 0))
    return query
