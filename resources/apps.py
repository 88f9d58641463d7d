from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Search documents follow every edit of what they are made of, and cached catalogue
        # pages are retired by every catalogue change.
        # languages: imported for its sign-in signal (a reader's chosen language).
        from resources import caching, languages  # noqa: F401
        from resources.search.index import connect

        connect()
        caching.connect_signals()
