"""`python manage.py run_worker [--batch]` (`make worker`): run queued background jobs.

First queues again (or fails) the jobs a dead worker left running, then takes jobs one at a
time from the database queue. SIGTERM lets the current job finish; a second one stops it (the
job is then marked failed and, being one transaction, has written nothing). Run one or more per
machine on PostgreSQL; on SQLite, one in all.
"""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from resources.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = "Run queued background jobs (imports, link checks, metadata fetches)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued, then exit (tests, cron)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle (1)."
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many.")

    def handle(self, *args, batch: bool, interval: float, max_tasks: int | None, **options):
        recovered = recover_interrupted_jobs(at_start=True)
        if recovered and options["verbosity"]:
            self.stderr.write(f"{recovered} interrupted job(s) queued again or failed.")
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()
