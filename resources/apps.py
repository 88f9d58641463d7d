from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Search documents follow every edit of what they are made of.
        from resources.search.index import connect

        connect()
