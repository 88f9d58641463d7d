"""Top-level URLs: the catalogue, the API, the admin."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from resources import api, languages, reader_api
from resources.caching import cache_for_anonymous
from resources.sitemaps import SITEMAPS, robots_txt

router = DefaultRouter()
router.register("resources", api.ResourceViewSet, basename="api-resource")
router.register("topics", api.TopicViewSet, basename="api-topic")
# Readers' own library.
router.register("bookmarks", reader_api.BookmarkViewSet, basename="api-bookmark")
router.register("annotations", reader_api.AnnotationViewSet, basename="api-annotation")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
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
        cache_for_anonymous(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
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
