from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Search documents follow every edit of what they are made of, and cached catalogue
        # pages are retired by every catalogue change.
        from resources import caching, languages  # noqa: F401 - languages: the sign-in signal
        from resources.search.index import connect

        connect()
        caching.connect_signals()
