"""The readers' library API: /api/bookmarks/ and /api/annotations/.

Session or token authentication. Bookmarks are private: a reader lists and changes only their
own. Notes: a reader lists their own and everyone's public ones; another reader's private note
does not exist for them (404), another reader's public note can be read but not changed (403).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, permissions, serializers, status, viewsets
from rest_framework.response import Response

from resources.models import Annotation, Bookmark, Resource
from resources.shelf import shelve

# Token first: an anonymous request then gets 401 with "WWW-Authenticate: Token", telling a
# script how to log in, rather than the bare 403 session authentication answers.
AUTHENTICATION = [authentication.TokenAuthentication, authentication.SessionAuthentication]


class GoneMeanwhileIs404:
    """A row deleted between this request's fetch and its save is a 404 (see ReaderRow).
    Every answer is the reader's own: no shared cache may keep it."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def perform_update(self, serializer) -> None:
        try:
            super().perform_update(serializer)
        except ObjectDoesNotExist as error:
            raise Http404 from error


class ResourceIdField(serializers.PrimaryKeyRelatedField):
    """A resource named by its id: a whole number (a float such as 1e999 would reach the
    database lookup, which cannot convert it)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class WithdrawnFields(serializers.Serializer):
    """`withdrawn`: the resource was taken out of the catalogue (`resource` is then null and
    `withdrawn_title` names it); the reader's row is kept, and returns if it is restored."""

    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)
    withdrawn_title = serializers.CharField(read_only=True)


class BookmarkSerializer(WithdrawnFields, serializers.ModelSerializer):
    resource = ResourceIdField(queryset=Resource.objects.all())
    rating = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)

    class Meta:
        model = Bookmark
        fields = ["id", "resource", "status", "rating", "created", "withdrawn", "withdrawn_title"]
        read_only_fields = ["id", "created"]

    def validate_resource(self, resource: Resource) -> Resource:
        # A bookmark stays on its resource; to shelve another, POST a new one.
        if self.instance is not None and resource.pk != self.instance.resource_id:
            raise serializers.ValidationError(_("A bookmark's resource cannot be changed."))
        return resource


class BookmarkViewSet(GoneMeanwhileIs404, viewsets.ModelViewSet):
    """The logged-in reader's bookmarks. Only their own, for every method."""

    serializer_class = BookmarkSerializer
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["resource", "status"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Bookmark.objects.of(self.request.user).order_by("-created", "-pk")

    def create(self, request, *args, **kwargs):
        """A second POST of the same resource updates and returns the one bookmark (200)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        bookmark, created = shelve(user=request.user, resource=data.pop("resource"), changes=data)
        return Response(
            self.get_serializer(bookmark).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AnnotationSerializer(WithdrawnFields, serializers.ModelSerializer):
    resource = ResourceIdField(queryset=Resource.objects.all())
    author = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "resource",
            "body",
            "body_html",
            "is_public",
            "author",
            "created",
            "updated",
            "withdrawn",
            "withdrawn_title",
        ]
        read_only_fields = ["id", "body_html", "author", "created", "updated"]

    def validate_resource(self, resource: Resource) -> Resource:
        if self.instance is not None and resource.pk != self.instance.resource_id:
            raise serializers.ValidationError(_("A note's resource cannot be changed."))
        return resource


class IsAuthorOrReadOnly(permissions.BasePermission):
    """Anyone who can see a note may read it; only its author may change or delete it."""

    def has_object_permission(self, request, view, obj: Annotation) -> bool:
        return request.method in permissions.SAFE_METHODS or obj.user_id == request.user.pk


class AnnotationFilter(django_filters.FilterSet):
    class Meta:
        model = Annotation
        fields = ["resource"]


class AnnotationViewSet(GoneMeanwhileIs404, viewsets.ModelViewSet):
    """Notes: the reader's own and everyone's public ones (anonymous visitors: public ones)."""

    serializer_class = AnnotationSerializer
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    filterset_class = AnnotationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Annotation.objects.visible_to(self.request.user)
            .select_related("user")
            .order_by("-created", "-pk")
        )

    def perform_create(self, serializer) -> None:
        serializer.save(user=self.request.user)
