"""The JSON API. The catalogue endpoints are read-only and open to anyone."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from resources.caching import cache_public_page, encode_params
from resources.citations import FORMATS, MAX_EXPORT
from resources.citations.records import cited
from resources.citations.renderers import CITATION_RENDERERS
from resources.filters import ResourceFilter
from resources.listing import list_page_key
from resources.models import LinkCheck, Resource, Topic


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class LinkHealthSerializer(serializers.ModelSerializer):
    """The latest check of a resource's main URL (contract: status, http_status, …)."""

    final_url = serializers.SerializerMethodField()

    class Meta:
        model = LinkCheck
        fields = ["status", "http_status", "final_url", "checked_at"]

    def get_final_url(self, check: LinkCheck) -> str | None:
        return check.final_url or None


class ResourceSerializer(serializers.ModelSerializer):
    topic = TopicRefSerializer(read_only=True)
    authors = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    links = LinkSerializer(many=True, read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    page_url = serializers.SerializerMethodField()
    link_health = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "url",
            "kind",
            "year",
            "venue",
            "topic",
            "authors",
            "tags",
            "is_featured",
            "language",
            "description",
            "abstract",
            "arxiv_id",
            "doi",
            "published",
            "links",
            "parent",
            "page_url",
            "link_health",
        ]

    def get_authors(self, resource: Resource) -> list[str]:
        return [author.name for author in resource.ordered_authors]

    def get_tags(self, resource: Resource) -> list[str]:
        # Sorted in Python: the prefetched tags are reused, no query per row.
        return sorted(tag.name for tag in resource.tags.all())

    def get_page_url(self, resource: Resource) -> str:
        path = resource.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(LinkHealthSerializer)
    def get_link_health(self, resource: Resource) -> dict:
        # `link_check` is select_related by with_related(): no query per row.
        try:
            check = resource.link_check
        except ObjectDoesNotExist:
            check = None
        if check is None:
            return {
                "status": "unchecked",
                "http_status": None,
                "final_url": None,
                "checked_at": None,
            }
        return LinkHealthSerializer(check).data


class TopicSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    resource_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "parent", "position", "resource_count"]


def _resource_list_key(request) -> str | None:
    """The API list's cache key: the FilterSet's cleaned data, the page and its size."""
    filters = list_page_key(request)
    if filters is None:
        return None
    return filters + "&" + encode_params(request, ["page_size", "format"])


@method_decorator(cache_public_page(_resource_list_key), name="dispatch")
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue, filtered with the same parameters as /resources/. Anyone may read.

    `format=bibtex|ris|csljson` (or the matching Accept header) answers with the citations
    of EVERY matching resource, not one page; more than MAX_EXPORT is refused with a 400.
    """

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    queryset = Resource.objects.all()
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, *CITATION_RENDERERS]

    def get_queryset(self):
        return Resource.objects.with_related()

    def _citation_format(self) -> str | None:
        fmt = getattr(self.request.accepted_renderer, "format", "")
        return fmt if fmt in FORMATS else None

    def list(self, request, *args, **kwargs):
        fmt = self._citation_format()
        if fmt is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(Resource.objects.all())
        count = queryset.count()
        if count > MAX_EXPORT:
            message = _(
                "This selection holds %(count)s resources; an export may hold at most "
                "%(limit)s. Narrow it with a filter."
            ) % {"count": count, "limit": MAX_EXPORT}
            return Response({"detail": message}, status=400, content_type="text/plain")
        return self._citations(cited(queryset), fmt, "dlt-library")

    def retrieve(self, request, *args, **kwargs):
        fmt = self._citation_format()
        if fmt is None:
            return super().retrieve(request, *args, **kwargs)
        resource = self.get_object()
        resources = cited(Resource.objects.filter(pk=resource.pk))
        return self._citations(resources, fmt, f"dlt-library-{resource.pk}")

    def _citations(self, resources: list, fmt: str, filename: str) -> Response:
        disposition = content_disposition_header(True, f"{filename}.{FORMATS[fmt].extension}")
        return Response(resources, headers={"Content-Disposition": disposition})


@method_decorator(cache_public_page(["format"]), name="dispatch")
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    """Topics in list order with their resource counts. Anyone may read."""

    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    pagination_class = None

    def get_queryset(self):
        return (
            Topic.objects.select_related("parent")
            .annotate(resource_count=Count("resources", distinct=True))
            .order_by("position", "pk")
        )
