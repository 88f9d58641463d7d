from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Search documents follow every edit of what they are made of, and cached catalogue
        # pages are retired by every catalogue change.
        from resources import caching, languages  # noqa: F401 - languages: the sign-in signal
        from resources.search.index import connect

        connect()
        caching.connect_signals()
