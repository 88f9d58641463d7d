from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _forget_renders(sender=None, **kwargs) -> None:
    """The development server reloads templates and translations without a restart (autoreload's
    `file_changed`): retire every cached page and this process's row bodies, so the next render
    shows the change. (A restart gives a new release, `resources/release.py`.)"""
    from resources.caching import bump_catalogue_version
    from resources.row_bodies import forget_row_bodies

    bump_catalogue_version()
    forget_row_bodies()


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
        from resources.search.index import connect

        connect()
        caching.connect_signals()
        file_changed.connect(_forget_renders, dispatch_uid="forget-renders")
