"""`python manage.py enqueue_job link-check` (cron or a systemd timer): queue a background job.

Returns at once; `make worker` runs the job. A job of the same kind still queued or running is
not queued twice, so a weekly timer never piles up checks behind a slow one.
"""

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

from resources.jobs import enqueue_job
from resources.models import Job, JobKind

LABELS = {JobKind.LINK_CHECK: "Every address", JobKind.METADATA: "Missing metadata"}


class Command(BaseCommand):
    help = "Queue a background job (link-check, metadata) for `make worker` to run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=list(LABELS))

    def handle(self, *args, kind: str, **options) -> None:
        if kind == JobKind.METADATA and "enrich_metadata" not in get_commands():
            raise CommandError("Metadata fetches need the enrich_metadata command (issue 13).")
        pending = Job.objects.unfinished().filter(kind=kind).first()
        if pending:
            self.stdout.write(f"A {kind} job is already {pending.state}: {pending.pk}")
            return
        job = enqueue_job(kind=kind, label=LABELS[kind])
        self.stdout.write(f"Queued {kind} job {job.pk}")
