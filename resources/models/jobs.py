"""Background jobs: long work (imports, link checks, metadata fetches) run by `make worker`.

A Job is what curators see in the admin: what was asked, by whom, its state, progress and
outcome. The queue itself is django-tasks' (resources/jobs.py); a Job names its task.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import a list")
    LINK_CHECK = "link-check", _("Check links")
    METADATA = "metadata", _("Fetch metadata")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def unfinished(self) -> JobQuerySet:
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])


class Job(models.Model):
    """One run of a background task, as curators follow it in the admin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Reports what would change and writes nothing.")
    )
    label = models.CharField(
        _("label"), max_length=200, help_text=_("What the job works on, e.g. a file.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=JobState.choices, default=JobState.QUEUED
    )
    payload = models.TextField(
        _("input"), blank=True, help_text=_("The input, e.g. the list to import.")
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    result = models.JSONField(
        _("result"), default=dict, blank=True, help_text=_("Counts and report.")
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("Summary, or why the job failed.")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(
        _("task id"), max_length=64, blank=True, help_text=_("The queue's task id.")
    )
    follow_up = models.ForeignKey(
        "self",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The import a curator confirmed after this dry run."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("queued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created"]
        indexes = [models.Index(fields=["state"], name="job_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    @property
    def lock_key(self) -> int:
        """A PostgreSQL advisory lock number: held by the worker process running this job."""
        return self.id.int & (2**63 - 1)
