"""Top-level URLs: the catalogue, the API, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from resources import api, reader_api

router = DefaultRouter()
router.register("resources", api.ResourceViewSet, basename="api-resource")
router.register("topics", api.TopicViewSet, basename="api-topic")
# Readers' own library.
router.register("bookmarks", reader_api.BookmarkViewSet, basename="api-bookmark")
router.register("annotations", reader_api.AnnotationViewSet, basename="api-annotation")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("resources.accounts_urls")),  # readers' accounts
    path("", include("resources.urls")),
]

# --- Production hardening (issue 7): probes, sign-in pages, error handlers --------------------
from resources import health  # noqa: E402

urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("django.contrib.auth.urls")),
]
handler500 = "resources.health.server_error"

# --- Operations (issue 16): Prometheus metrics for monitoring ----------------------------------
from resources import observability  # noqa: E402

urlpatterns += [path("metrics", observability.metrics, name="metrics")]
