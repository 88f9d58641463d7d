"""Top-level URLs: the catalogue, the API, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from resources import api, reader_api
from resources.views import discovery, health

router = DefaultRouter()
router.register("resources", api.ResourceViewSet, basename="api-resource")
router.register("topics", api.TopicViewSet, basename="api-topic")
# Readers' own library.
router.register("bookmarks", reader_api.BookmarkViewSet, basename="api-bookmark")
router.register("annotations", reader_api.AnnotationViewSet, basename="api-annotation")
# Discovery: reading paths.
router.register("paths", discovery.ReadingPathViewSet, basename="api-path")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/resources/<int:pk>/related/",
        discovery.related_api_view,
        name="api-resource-related",
    ),
    path("api/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("resources.accounts_urls")),  # readers' accounts
    # Probes for operators and load balancers.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("resources.urls")),
]
handler500 = "resources.views.health.server_error"
