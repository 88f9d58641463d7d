"""Search over the catalogue in Chinese and English.

    from resources import search
    search.search(Resource.objects.all(), 'author:"Yi Ma" 稀疏 -survey year:2019..2021')

The query is parsed (query.py), its words become index tokens (tokens.py), the database finds
the resources holding them (backends.py) and the rest is ordinary ORM: field terms, the
relevance score and the sidebar filters compose as querysets.
"""

from __future__ import annotations

from django.db.models import Case, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from resources.search.backends import phrase_filter, title_filter, token_filter
from resources.search.index import document
from resources.search.query import ParsedQuery, kind_value, parse, year_range
from resources.search.tokens import query_tokens

__all__ = ["ParsedQuery", "parse_query", "search", "RANK_ORDERING", "synonym_map"]

SYNONYM_VERSION = "search-synonyms"
_memo: dict = {}  # this process's copy: {"version": …, "map": …}
# Relevance first; featured entries break ties; then the list's own order.
RANK_ORDERING = ("-search_rank", "-is_featured", "topic__position", "topic_id", "position", "pk")
EXACT_TITLE_BONUS = 10
PHRASE_IN_TITLE_BONUS = 5
TERM_IN_TITLE_BONUS = 2
MAX_FIELD_MATCHES = 2000  # tags or authors one field term may name
# A cast, not a bare literal: PostgreSQL reads `ORDER BY 0` as a column position.
ZERO = Cast(Value(0), IntegerField())


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Token tuple → every token tuple of its synonym groups.

    Kept in the shared cache under a version that every change of a group replaces, so a
    curator's edit reaches every server process; each process keeps the map it last read
    until the version moves.
    """
    from resources.caching import page_cache, versions

    (version,) = versions(SYNONYM_VERSION)
    if _memo.get("version") == version:
        return _memo["map"]
    key = f"search-synonyms:{version}"
    mapping = page_cache().get(key)
    if mapping is None:
        mapping = _load_synonyms()
        page_cache().set(key, mapping, 24 * 60 * 60)
    _memo.update(version=version, map=mapping)
    return mapping


def _load_synonyms() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    from resources.models import SearchSynonym

    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in SearchSynonym.objects.all():
        variants = [tuple(query_tokens(term)) for term in group.term_list()]
        variants = [variant for variant in dict.fromkeys(variants) if variant]
        for variant in variants:
            mapping.setdefault(variant, [])
            mapping[variant].extend(v for v in variants if v not in mapping[variant])
    return mapping


def forget_synonyms(**kwargs) -> None:
    """Retire the synonym map in every process (a group was saved or deleted)."""
    from resources.caching import bump_version

    bump_version(SYNONYM_VERSION)
    _memo.clear()


def parse_query(text: str) -> ParsedQuery:
    return parse(text, synonym_map())


def _field_filter(name: str, value: str) -> Q:
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from resources.models import Author, AuthorAlias, Authorship, Resource

    # Look the few matching tags or authors up first and filter by their ids: both databases'
    # planners then walk indexes, where a LIKE inside a nested subquery misleads them.
    if name == "tag":
        tags = Tag.objects.filter(Q(slug__iexact=value) | Q(name__iexact=value))
        tagged = TaggedItem.objects.filter(
            tag_id__in=list(tags.values_list("pk", flat=True)[:MAX_FIELD_MATCHES]),
            content_type=ContentType.objects.get_for_model(Resource),
        )
        return Q(pk__in=tagged.values("object_id"))
    if name == "author":
        aliased = AuthorAlias.objects.filter(name__icontains=value).values("author_id")
        authors = Author.objects.filter(Q(name__icontains=value) | Q(pk__in=aliased))
        ids = list(authors.values_list("pk", flat=True)[:MAX_FIELD_MATCHES])
        return Q(pk__in=Authorship.objects.filter(author_id__in=ids).values("resource_id"))
    if name == "kind":
        return Q(kind=kind_value(value))
    if name == "topic":
        return (
            Q(topic__slug__iexact=value)
            | Q(topic__name__icontains=value)
            | Q(topic__parent__slug__iexact=value)
            | Q(topic__parent__name__icontains=value)
        )
    low, high = year_range(value)
    query = Q()
    if low is not None:
        query &= Q(year__gte=low)
    if high is not None:
        query &= Q(year__lte=high)
    return query


def search(queryset: QuerySet, text: str, parsed: ParsedQuery | None = None) -> QuerySet:
    """Resources of `queryset` matching `text`, annotated with `search_rank` (higher first).

    An empty or meaningless query leaves the queryset as it is (rank 0 for all).
    """
    parsed = parsed if parsed is not None else parse_query(text)
    if not parsed:
        return queryset.annotate(search_rank=ZERO)
    positive = [list(term.alternatives) for term in parsed.positive_terms]
    negative = [term.alternatives[0] for term in parsed.negative_terms if not term.phrase]
    filters = Q()
    if positive or negative:
        filters &= token_filter(queryset.db, positive, negative)
    for term in parsed.terms:
        if term.phrase:
            contiguous = phrase_filter(queryset.db, term.phrase)
            filters &= ~contiguous if term.negated else contiguous
    for field_term in parsed.fields:
        condition = _field_filter(field_term.name, field_term.value)
        filters &= ~condition if field_term.negated else condition
    queryset = queryset.filter(filters)

    score = ZERO
    if parsed.plain_text:
        # The title says exactly what was asked (up to case, punctuation and inflection).
        _, exact_title = document(title=parsed.plain_text)
        score = score + Case(
            When(search_title=exact_title, then=Value(EXACT_TITLE_BONUS)), default=Value(0)
        )
    plain_tokens = tuple(query_tokens(parsed.plain_text))
    if len(plain_tokens) > 1 and parsed.plain_text.isascii():
        score = score + Case(
            When(
                title_filter(queryset.db, plain_tokens, adjacent=True),
                then=Value(PHRASE_IN_TITLE_BONUS),
            ),
            default=Value(0),
        )
    for term in parsed.positive_terms:
        in_title = Q()
        for alternative in term.alternatives:
            in_title |= title_filter(queryset.db, alternative)
        score = score + Case(When(in_title, then=Value(TERM_IN_TITLE_BONUS)), default=Value(0))
    # The documents are for the database only; rows never need them back.
    return queryset.defer("search_text", "search_title").annotate(
        search_rank=ExpressionWrapper(score, output_field=IntegerField())
    )
