"""Discovery pages and API: related reading, reading paths, what's new.

Related lists, paths and the news are public and the same for everyone, so anonymous requests
are served from the page cache; a signed-in reader's path pages show their own progress and are
rendered for them alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from resources.api import ResourceSerializer
from resources.caching import cache_public_page
from resources.discovery.news import latest_events, recent_weeks
from resources.discovery.paths import progress, progress_by_path, start_path
from resources.discovery.related import related_resources
from resources.models import Authorship, ReadingPath, Resource
from resources.reader_forms import BookmarkForm

# --- Related reading -------------------------------------------------------------------------


class RelatedResourceSerializer(ResourceSerializer):
    """A resource as the list API gives it, with `reasons`: why it is related, strongest
    first — `same-entry`, `same-authors`, `co-readers`, `shared-tags`, `similar-text`,
    `same-topic`."""

    reasons = serializers.SerializerMethodField()

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "reasons"]

    def get_reasons(self, resource: Resource) -> list[str]:
        return self.context["reasons"][resource.pk]


@extend_schema(responses=RelatedResourceSerializer(many=True))
@api_view(["GET"])
def related_api(request, pk: int) -> Response:
    """Up to 8 resources related to resource `pk`, best first, each with its `reasons`.
    Anyone may read."""
    resource = get_object_or_404(Resource, pk=pk)
    related = related_resources(resource, Resource.objects.with_related())
    serializer = RelatedResourceSerializer(
        [resource for resource, _entry in related],
        many=True,
        context={"request": request, "reasons": {r.pk: entry["reasons"] for r, entry in related}},
    )
    return Response(serializer.data)


related_api_view = cache_public_page(["format"])(related_api)


# --- Reading paths ---------------------------------------------------------------------------


@require_safe
@cache_public_page()
def path_list(request: HttpRequest) -> HttpResponse:
    """Every published reading path, with the reader's progress on each. Anyone; progress is
    the signed-in reader's own."""
    paths = list(ReadingPath.objects.published().with_steps())
    by_path = progress_by_path(paths=paths, user=request.user)
    for path in paths:
        path.progress = by_path.get(path.pk)
    return render(request, "resources/path_list.html", {"paths": paths})


@require_safe
@cache_public_page()
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A reading path, step by step with the curators' notes. Anyone; a signed-in reader also
    sees their status of every step, the next step, and forms to start the path and to mark
    steps."""
    path = get_object_or_404(ReadingPath.objects.published(), slug=slug)
    steps = list(
        path.steps.select_related("resource").prefetch_related(
            Prefetch("resource__authorships", queryset=Authorship.in_order())
        )
    )
    return render(
        request,
        "resources/path_detail.html",
        {
            "path": path,
            "progress": progress(steps=steps, user=request.user),
            "statuses": BookmarkForm.base_fields["status"].choices,
        },
    )


@require_POST
@login_required
def path_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a path: every step goes on the reader's shelf as "to read", keeping the status of
    any they already have. Signed-in readers, for themselves."""
    path = get_object_or_404(ReadingPath.objects.published(), slug=slug)
    added = start_path(user=request.user, path=path)
    if added:
        messages.success(
            request,
            ngettext(
                "Path started: %(count)d resource added to your library.",
                "Path started: %(count)d resources added to your library.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(request, _("Every step of this path is already in your library."))
    return redirect(path.get_absolute_url())


class PathStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    resource = serializers.IntegerField(source="resource_id", allow_null=True)
    note = serializers.CharField()
    note_zh = serializers.CharField()


class ReadingPathSerializer(serializers.ModelSerializer):
    steps = PathStepSerializer(many=True, read_only=True)

    class Meta:
        model = ReadingPath
        fields = ["slug", "title", "title_zh", "description", "description_zh", "steps"]


@method_decorator(cache_public_page(["format"]), name="dispatch")
class ReadingPathViewSet(viewsets.ReadOnlyModelViewSet):
    """Published reading paths with their steps in order. Anyone may read."""

    serializer_class = ReadingPathSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return ReadingPath.objects.published().with_steps()


# --- What's new ------------------------------------------------------------------------------


@require_safe
@cache_public_page()
def whats_new(request: HttpRequest) -> HttpResponse:
    """Additions and notable changes to the catalogue, week by week. Anyone."""
    return render(request, "resources/whats_new.html", {"weeks": recent_weeks()})


class WhatsNewFeed(Feed):
    """The same news as an Atom feed, newest first. Anyone."""

    feed_type = Atom1Feed
    title = gettext_lazy("DLT Library: what's new")
    subtitle = gettext_lazy("Additions and notable changes to the deep learning theory library.")
    link = reverse_lazy("resources:whats-new")
    description_template = "resources/includes/_news_feed_item.html"

    def items(self):
        return latest_events(50)

    def item_title(self, event) -> str:
        if event.kind == "added":
            return _("Added: %(title)s") % {"title": event.title}
        return _("Changed: %(title)s") % {"title": event.title}

    def item_link(self, event) -> str:
        return reverse("resources:resource-detail", args=[event.resource_id])

    def item_guid(self, event) -> str:
        return f"{event.kind}-{event.resource_id}-{event.when.isoformat()}"

    def item_guid_is_permalink(self, event) -> bool:
        return False

    def item_pubdate(self, event):
        return event.when

    def item_updateddate(self, event):
        return event.when


whats_new_feed = require_safe(cache_public_page()(WhatsNewFeed()))
