"""Top-level URLs: the catalogue, the API, the admin."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from resources import api, languages, observability, reader_api
from resources.caching import cache_public_page
from resources.sitemaps import SITEMAPS, robots_txt
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
    # Swagger UI from the vendored sidecar; its start-up script is a separate file, for the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("api/", include(router.urls)),
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_public_page()(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("accounts/", include("resources.accounts_urls")),  # readers' accounts
    # Probes for operators and load balancers.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Prometheus metrics for monitoring (allowed addresses or a token only).
    path("metrics", observability.metrics, name="metrics"),
    path("", include("resources.urls")),
]
handler500 = "resources.views.health.server_error"
