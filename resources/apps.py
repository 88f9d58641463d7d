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
        from django.utils.autoreload import file_changed

        from resources import caching, languages  # noqa: F401
        from resources.row_bodies import forget_row_bodies
        from resources.search.index import connect

        connect()
        caching.connect_signals()
        # The development server reloads templates and translations without restarting.
        file_changed.connect(forget_row_bodies, dispatch_uid="forget-row-bodies")
