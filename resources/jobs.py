"""Background jobs on Django's tasks API (the django-tasks backport), queued in the database.

Curators start them from the admin (imports) or cron runs `manage.py enqueue_job` (weekly link
checks); `make worker` (`manage.py run_worker`) runs them. Each run is a `Job` row the admin
shows with its progress and outcome.

A worker that dies mid-job (killed, machine lost) leaves its Job "running". The process running
a job holds a PostgreSQL advisory lock on it, so any worker can tell such an orphan from a job
another worker is still running: it is queued again once, then marked failed. The import writes
in one transaction together with its outcome, so an interrupted import has written nothing.

Adding a job for another command is a task and a function (see `fetch_metadata` below):

    @task()
    def fetch_metadata(job_id: str) -> str:
        return run_job(job_id, _fetch_metadata)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from io import StringIO

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from resources.models import Job, JobKind, JobState

logger = logging.getLogger(__name__)

# Report lists (titles added, changed…) kept for the admin page; the counts are always whole.
REPORT_LIMIT = 500
# An orphaned job is queued again this many times in all, then marked failed.
MAX_ATTEMPTS = 2


class Progress:
    """How far a running job is. Kept in the shared "jobs" cache, not in the job's row: an
    import writes inside one transaction that nobody else sees until it commits."""

    def __init__(self, job: Job) -> None:
        self.key = progress_key(job)
        self.total = 0
        self.done = 0
        self._written = 0.0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._write()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if time.monotonic() - self._written > 0.5 or self.done >= self.total:
            self._write()

    def _write(self) -> None:
        self._written = time.monotonic()
        caches["jobs"].set(self.key, {"done": self.done, "total": self.total}, 24 * 3600)


def progress_key(job: Job) -> str:
    return f"job-progress:{job.pk}"


def progress_of(jobs: list[Job]) -> dict[str, dict]:
    """{job id: {"done": n, "total": m}} for the running ones among `jobs`."""
    running = [job for job in jobs if job.state == JobState.RUNNING]
    found = caches["jobs"].get_many([progress_key(job) for job in running])
    return {str(job.pk): found[progress_key(job)] for job in running if progress_key(job) in found}


# Queueing --------------------------------------------------------------------------------------


def enqueue_job(
    *,
    kind: str,
    label: str,
    user=None,
    payload: str = "",
    options: dict | None = None,
    dry_run: bool = False,
) -> Job:
    """Record a job and queue its task, in one transaction (the queue lives in the database)."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=label[:200],
            created_by=user,
            payload=payload,
            options=options or {},
            dry_run=dry_run,
        )
        _send(job)
    logger.info("job queued", extra={"job": str(job.pk), "kind": kind})
    return job


def requeue(job: Job, *, message: str = "") -> None:
    """Queue a finished or orphaned job again (the admin's "Run again")."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            state=JobState.QUEUED, message=message, started=None, finished=None
        )
        _send(job)


def _send(job: Job) -> None:
    result = TASKS[job.kind].enqueue(str(job.pk))
    job.task_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


# Running ---------------------------------------------------------------------------------------


@contextmanager
def holding(job: Job) -> Iterator[None]:
    """Hold the job's advisory lock for as long as this process runs it (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [job.lock_key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [job.lock_key])


def _is_orphan(job: Job) -> bool:
    """True when no live process holds the job's lock (taken and released again here)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [job.lock_key])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT pg_advisory_unlock(%s)", [job.lock_key])
    return True


def recover_interrupted_jobs(*, at_start: bool = False) -> int:
    """Queue again (or fail) the jobs whose worker died; returns how many were found.

    On PostgreSQL the advisory locks tell orphans apart at any time. SQLite has no such locks:
    there one worker runs at a time, and when it starts every "running" job is an orphan.
    """
    if connection.vendor != "postgresql" and not at_start:
        return 0
    orphans = [
        job
        for job in Job.objects.filter(state=JobState.RUNNING)
        if connection.vendor != "postgresql" or _is_orphan(job)
    ]
    for job in orphans:
        _fail_queue_result(job)
        if job.attempts < MAX_ATTEMPTS:
            logger.warning("job interrupted, queued again", extra={"job": str(job.pk)})
            requeue(job, message="The worker stopped while running this job; queued again.")
        else:
            logger.error("job interrupted again, failed", extra={"job": str(job.pk)})
            _finish(
                job,
                JobState.FAILED,
                message=(
                    "The worker stopped while running this job, twice. Nothing of it was "
                    "saved; use “Run again” once the cause is fixed."
                ),
            )
    return len(orphans)


def _fail_queue_result(job: Job) -> None:
    """The database queue keeps a killed worker's task "running" for ever; close it."""
    if not job.task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="resources.jobs.WorkerStopped",
        traceback="The worker stopped while running this task.",
    )


def _finish(job: Job, state: str, *, result: dict | None = None, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, result=result or {}, message=message, finished=timezone.now()
    )


Work = Callable[[Job, Progress], tuple[dict, str]]


def run_job(job_id: str, work: Work, *, atomic: bool = False) -> str:
    """Run `work(job, progress)` → (result, summary) for a queued job and record the outcome.

    With `atomic`, the work and its recorded outcome commit together or not at all.
    """
    recover_interrupted_jobs()
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.QUEUED:
        return job.state  # delivered twice, or already recovered elsewhere
    with holding(job):
        Job.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING, started=timezone.now(), attempts=F("attempts") + 1
        )
        logger.info("job started", extra={"job": str(job.pk), "kind": job.kind})
        try:
            with transaction.atomic() if atomic else nullcontext():
                result, summary = work(job, Progress(job))
                _finish(job, JobState.SUCCEEDED, result=result, message=summary)
        except BaseException as error:  # a forced stop (SystemExit) is recorded too
            logger.exception("job failed", extra={"job": str(job.pk), "kind": job.kind})
            _finish(job, JobState.FAILED, message=_describe(error))
            raise
    logger.info("job succeeded", extra={"job": str(job.pk), "kind": job.kind})
    return summary


def _describe(error: BaseException) -> str:
    if isinstance(error, ValueError):
        return f"Failed: {error}"
    if isinstance(error, SystemExit | KeyboardInterrupt):
        return "The worker was stopped while running this job; nothing of it was saved."
    return f"Failed with an unexpected {type(error).__name__}; the worker's log has the details."


# The jobs --------------------------------------------------------------------------------------


def _import_list(job: Job, progress: Progress) -> tuple[dict, str]:
    from resources.markdown.parse import parse_markdown
    from resources.services import count_entries, import_document

    document = parse_markdown(job.payload)
    progress.start(count_entries(document))
    report = import_document(document, dry_run=job.dry_run, progress=progress.advance)
    lists = {
        "added": report.added,
        "changed": report.changed,
        "topics_added": report.topics_added,
        "warnings": report.warnings,
        "problems": job.options.get("problems", []),
    }
    result = {name: items[:REPORT_LIMIT] for name, items in lists.items()}
    result["counts"] = {name: len(items) for name, items in lists.items()}
    result["counts"]["unchanged"] = report.unchanged
    # What the parser understood, section by section (entries, prose skipped, lines not placed).
    result["sections"] = [asdict(section) for section in report.sections[:REPORT_LIMIT]]
    return result, report.summary()


@task()
def import_list(job_id: str) -> str:
    """Import (or dry-run) the Markdown list a curator uploaded; all or nothing."""
    return run_job(job_id, _import_list, atomic=True)


def _check_links(job: Job, progress: Progress) -> tuple[dict, str]:
    from resources.linkcheck import check_catalogue, summarize

    targets, outcomes = check_catalogue(
        **job.options, start=progress.start, progress=progress.advance
    )
    counts = summarize(targets, outcomes)
    summary = ", ".join(f"{count} {status}" for status, count in counts.items())
    return {"counts": counts}, f"Checked {len(targets)} addresses: {summary}"


@task()
def check_links(job_id: str) -> str:
    """Check every address of the catalogue (see `manage.py check_links`)."""
    return run_job(job_id, _check_links)


def _fetch_metadata(job: Job, progress: Progress) -> tuple[dict, str]:
    out = StringIO()
    call_command("enrich_metadata", *job.options.get("args", []), stdout=out, verbosity=1)
    return {}, out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else "Done"


@task()
def fetch_metadata(job_id: str) -> str:
    """Fill in missing metadata (`manage.py enrich_metadata`, when installed)."""
    return run_job(job_id, _fetch_metadata)


TASKS = {
    JobKind.IMPORT: import_list,
    JobKind.LINK_CHECK: check_links,
    JobKind.METADATA: fetch_metadata,
}
