"""Template tags of discovery: a resource's related reading, and the latest news."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from resources.caching import CATALOGUE, READERS, cached_data
from resources.discovery.news import latest_events
from resources.discovery.related import REASON_LABELS, related_resources
from resources.models import Resource

register = template.Library()

FIELD_LABELS = {
    "topic_id": _("topic"),
    "parent_id": _("parent resource"),
    "tag_names": _("tags"),
}


@register.simple_tag
def related_reading(resource: Resource) -> SafeString:
    """The related resources of `resource` with why each is related: the same for every
    reader, so rendered once per catalogue and readers version and then served from the
    cache (no query)."""

    def render() -> str:
        related = related_resources(resource, Resource.objects.only("pk", "title", "kind", "year"))
        return render_to_string(
            "resources/includes/_related_list.html",
            {"resource": resource, "related": related, "labels": REASON_LABELS},
        )

    html = cached_data(f"related-html:{resource.pk}", render, depends=(CATALOGUE, READERS))
    return mark_safe(html)  # noqa: S308 - rendered from our autoescaping template


@register.inclusion_tag("resources/includes/_news_latest_list.html")
def latest_news(limit: int = 5) -> dict:
    """The newest additions and changes, for the home page."""
    return {"events": latest_events(limit)}


@register.filter
def field_label(name: str) -> str:
    """The reader's word for a field of a resource (`topic_id` → "topic")."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    try:
        return Resource._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field a later version dropped still shows, as stored
        return name


@register.filter
def reason_label(code: str) -> str:
    return REASON_LABELS.get(code, code)
