"""Template tags of the page layout: the filter drawer, the active-filter chips and numbered
pagination."""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.http import QueryDict
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from resources.caching import (
    caching_on,
    catalogue_version,
    encode_params,
    page_cache,
    storing_parts,
)
from resources.models import Author, Kind, Language, ReadingStatus, Topic, lang_of
from resources.release import release

register = template.Library()

DRAWER_TEMPLATE = "resources/includes/_filter_drawer.html"  # Jinja2

# Query parameters that choose what a list shows; `page` and `sort` only arrange it.
FILTER_LABELS = {
    "q": lambda: _("Search"),
    "topic": lambda: _("Topic"),
    "tag": lambda: _("Tag"),
    "kind": lambda: _("Kind"),
    "year_min": lambda: _("From year"),
    "year_max": lambda: _("To year"),
    "author": lambda: _("Author"),
    "language": lambda: _("Language"),
    "featured": lambda: _("Featured only"),
    "status": lambda: _("Status"),
}

DATA_FILTERS = {"q", "topic", "tag", "author"}


def _value_label(name: str, value: str, cleaned: dict) -> str:
    """How a chip shows a filter's value; `cleaned` is the FilterSet's reading of the values
    the list applies (empty for a chip marked ignored)."""
    # A topic or author the FilterSet found is shown by its name, not the slug in the address.
    if name in ("topic", "author") and hasattr(cleaned.get(name), "name"):
        return cleaned[name].name
    if name == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if name == "language" and value in Language.values:
        return str(Language(value).label)
    if name in ("topic", "author"):  # ignored (a topic page's own topic) or not found
        model = Topic if name == "topic" else Author
        found = model.objects.filter(slug=value).only("name").first()
        return found.name if found else value
    if name == "featured" and cleaned.get(name) is not None:
        return "" if cleaned[name] else _("No")
    if name == "status":
        return str(ReadingStatus(value).label) if value in ReadingStatus.values else value
    return value


def _separator() -> str:
    """What stands between a filter's name and its value: Chinese writes a full-width colon."""
    return pgettext("between a filter's name and its value", ": ")


def _tags_named(value: str, context) -> list:
    """The tags in use (the sidebar's) that a `tag=` value names, by slug or by name."""
    tags = context.get("tags") or []
    return [tag for tag in tags if value == tag.slug or value.lower() == tag.name.lower()]


def _asked_filters(request) -> list[tuple[str, str, bool]]:
    """The filters the request asks for, as (name, value, last): known names with a value,
    `last` when no later value of the same name follows it."""
    asked = []
    for name, values in request.GET.lists():
        if name not in FILTER_LABELS:
            continue
        values = [value.strip() for value in values if value.strip()]
        asked += [(name, value, i == len(values) - 1) for i, value in enumerate(values)]
    return asked


# Why a filter asked for is not applied, as its chip says it.
IGNORED_INVALID = "invalid"
IGNORED_FIXED = "fixed"
IGNORED_REPLACED = "replaced"
IGNORED_EMPTY = "empty"


def _ignored(name: str, value: str, last: bool, resource_filter) -> str:
    """Why the list does not apply this filter ("" when it does)."""
    # My library's status is the one filter outside the FilterSet.
    if name == "status":
        return "" if value in ReadingStatus.values else IGNORED_INVALID
    if resource_filter is None:
        return ""
    form = resource_filter.form
    if name not in resource_filter.filters:
        return IGNORED_FIXED  # the page chooses it (a topic page's topic)
    if form.is_bound and name in form.errors:
        return IGNORED_INVALID
    if name != "tag" and not last:
        return IGNORED_REPLACED  # a filter of one value applies the last one given
    cleaned = getattr(form, "cleaned_data", {}).get(name)
    if (name == "featured" and cleaned is None) or (
        name == "q" and not resource_filter.parsed_query
    ):
        return IGNORED_EMPTY  # featured=maybe, a search of no words
    return ""


@register.inclusion_tag("includes/_filter_chips.html", takes_context=True)
def active_filters(context) -> dict:
    """The filters asked for as chips, each a link to the same list without it. A value the
    list could not use (an unknown topic, a year that is not a number) is marked as ignored,
    so a reader whose drawer is closed still sees why the list is not filtered by it."""
    request = context.get("request")
    resource_filter = context.get("filter")
    form = resource_filter.form if resource_filter is not None else None
    # The FilterSet has validated its form by now (the list was filtered with it).
    cleaned = getattr(form, "cleaned_data", {}) if form is not None else {}
    chips = []
    for name, value, last in _asked_filters(request) if request is not None else []:
        rest = QueryDict(mutable=True)
        for other, other_values in request.GET.lists():
            kept = [v for v in other_values if not (other == name and v.strip() == value)]
            if other != "page" and kept:
                rest.setlist(other, kept)
        ignored = _ignored(name, value, last, resource_filter)
        tags = _tags_named(value, context) if name == "tag" else []
        label = tags[0].name if tags else _value_label(name, value, {} if ignored else cleaned)
        chips.append(
            {
                "name": FILTER_LABELS[name](),
                "value": label,
                "ignored": ignored,
                # Applied, but it matches nothing: say so rather than leave an empty list.
                "unused_tag": name == "tag" and not ignored and not tags,
                # Readers' words and catalogue names keep their own language.
                "lang": lang_of(label) if name in DATA_FILTERS else "",
                "remove_url": "?" + rest.urlencode(),
            }
        )
    return {
        "chips": chips,
        "clear_url": request.path if request else "?",
        "separator": _separator(),
    }


def filter_count(request, resource_filter) -> int:
    """How many filters are in force, shown on the drawer's button: those asked for that the
    list applies (the chips not marked ignored)."""
    return sum(
        1
        for name, value, last in _asked_filters(request)
        if not _ignored(name, value, last, resource_filter)
    )


def _drawer_key(context) -> str:
    """The cache key of a list's filter drawer, or "" when it is not to be cached.

    The drawer shows the catalogue (topics, tags and their counts), the page's address and
    the filter values as asked: the key holds the catalogue version, the language, the path
    and those values (known names only, escaped), never anything about the reader. A value
    with an error is shown back with it, uncached, so junk makes no entries.
    """
    request = context.get("request")
    resource_filter = context.get("filter")
    if request is None or resource_filter is None or not caching_on():
        return ""
    if resource_filter.form.errors:
        return ""
    names = set(resource_filter.form.fields) | set(FILTER_LABELS)
    variant = "\x1f".join(
        [
            release(),
            catalogue_version(),
            get_language() or "",
            request.path,
            encode_params(request, names),
            repr(context.get("filter_hidden") or []),
        ]
    )
    return "filter-drawer:" + hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()


@register.simple_tag(takes_context=True)
def filter_drawer(context) -> str:
    """A list's filter drawer (the Jinja2 template `includes/_filter_drawer.html`), the same
    for everyone asking with the same filters: kept in the shared cache by renders not cached
    whole, rendered when missing (or when the cache is down)."""
    key = _drawer_key(context)
    found = page_cache().probe_many([key]) if key else None
    if found and key in found:
        return mark_safe(found[key])  # rendered by the drawer's template
    resource_filter = context["filter"]
    drawer = {
        "filter": resource_filter,
        "tags": context.get("tags") or [],
        "filter_hidden": context.get("filter_hidden") or [],
        "active_count": filter_count(context["request"], resource_filter),
        "separator": _separator(),
    }
    html = get_template(DRAWER_TEMPLATE, using="jinja2").render(drawer)
    # A page cached whole (anonymous) does not store its drawer apart as well.
    if found is not None and storing_parts():
        page_cache().set(key, html, settings.PAGE_CACHE_SECONDS)
    return mark_safe(html)  # rendered (autoescaped) by the template


@register.simple_tag
def page_numbers(page_obj) -> list:
    """Page numbers around the current one, with the first and last; None marks a gap."""
    elided = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return [None if number == page_obj.paginator.ELLIPSIS else number for number in elided]
