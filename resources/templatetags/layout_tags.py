"""Template tags of the page layout: the active-filter chips and numbered pagination."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from resources.models import Author, Kind, Language, ReadingStatus, lang_of

register = template.Library()

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


def _value_label(name: str, value: str, context) -> str:
    if name == "topic":
        topics = context.get("topics") or []
        return next((topic.name for topic in topics if topic.slug == value), value)
    if name == "tag":
        tags = context.get("tags") or []
        return next((tag.name for tag in tags if tag.slug == value), value)
    if name == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if name == "language" and value in Language.values:
        return str(Language(value).label)
    if name == "author":
        author = Author.objects.filter(slug=value).only("name").first()
        return author.name if author else value
    if name == "featured":
        return ""
    if name == "status":
        return str(ReadingStatus(value).label) if value in ReadingStatus.values else value
    return value


@register.inclusion_tag("includes/_filter_chips.html", takes_context=True)
def active_filters(context) -> dict:
    """The filters in force as chips, each a link to the same list without it."""
    request = context.get("request")
    chips = []
    if request is not None:
        for name, values in request.GET.lists():
            if name not in FILTER_LABELS:
                continue
            for value in values:
                value = value.strip()
                if not value or (name == "featured" and value.lower() not in {"true", "1", "on"}):
                    continue
                rest = QueryDict(mutable=True)
                for other, other_values in request.GET.lists():
                    kept = [v for v in other_values if not (other == name and v == value)]
                    if other != "page" and kept:
                        rest.setlist(other, kept)
                chips.append(
                    {
                        "name": FILTER_LABELS[name](),
                        "value": _value_label(name, value, context),
                        # Readers' words and catalogue names keep their own language.
                        "lang": lang_of(value) if name in DATA_FILTERS else "",
                        "remove_url": "?" + rest.urlencode(),
                    }
                )
    return {
        "chips": chips,
        "clear_url": request.path if request else "?",
        # Chinese writes a full-width colon.
        "separator": pgettext("between a filter's name and its value", ": "),
    }


@register.simple_tag
def filter_count(request) -> int:
    """How many filters are in force: shown on the drawer's button."""
    return sum(
        1
        for name, values in request.GET.lists()
        if name in FILTER_LABELS
        for value in values
        if value.strip()
    )


@register.simple_tag
def page_numbers(page_obj) -> list:
    """Page numbers around the current one, with the first and last; None marks a gap."""
    elided = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return [None if number == page_obj.paginator.ELLIPSIS else number for number in elided]
