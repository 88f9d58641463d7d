"""`python manage.py setup_roles`: (re)apply the curators group's permissions; idempotent."""

from django.core.management.base import BaseCommand

from resources.roles import CURATORS, apply_curator_role


class Command(BaseCommand):
    help = "Create or update the curators group: catalogue permissions only, never users."

    def handle(self, *args, **options) -> None:
        count, missing = apply_curator_role()
        for name in missing:
            self.stderr.write(f"warning: model {name} is not installed; skipped")
        self.stdout.write(self.style.SUCCESS(f"Group {CURATORS!r} holds {count} permissions."))
