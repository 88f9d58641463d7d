"""Links of a list page to its citations and feeds, carrying the page's filters."""

from django import template

from resources.citations import FORMATS
from resources.feeds import feed_params

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context) -> list[tuple[str, str]]:
    """(label, URL) of this view's citations in each format: every page, the same filters."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for fmt, spec in FORMATS.items():
        query["format"] = fmt
        links.append((spec.label, f"{request.path}?{query.urlencode()}"))
    return links


@register.simple_tag(takes_context=True)
def feed_query(context, **extra) -> str:
    """The query of this view's feeds: its filters (and `extra`, e.g. the page's topic)."""
    query = feed_params(context["request"])
    for key, value in extra.items():
        if value and value not in query.getlist(key):
            query.appendlist(key, value)  # tags combine; a page's topic or author is its own
    return query.urlencode()
