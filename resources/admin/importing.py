"""The admin's import page: curators upload a Markdown list, read the dry run, confirm.

Used by `ResourceAdmin`; the dry run and the import themselves run in the job queue.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resources import jobs as background_jobs
from resources.forms import ImportListForm
from resources.models import Job, JobKind, JobState
from resources.services import ListEncodingError, decode_list


class ImportListMixin:
    """Adds /admin/resources/resource/import/ to the resource admin."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_markdown_view),
                name="resources_resource_import",
            ),
            *super().get_urls(),
        ]

    def import_markdown_view(self, request):
        """Curators who may add and change resources: upload a list, read the dry run, confirm.

        The dry run and the import run in the background (`make worker`); each answer returns
        at once with the job's page, where the dry run's report has the confirm button.
        """
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request)
        form = ImportListForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text, problems = decode_list(
                    upload.read(), repair_encoding=form.cleaned_data["repair_encoding"]
                )
            except ListEncodingError as error:
                form.add_error("file", str(error))
            else:
                job = background_jobs.enqueue_job(
                    kind=JobKind.IMPORT,
                    label=upload.name,
                    user=request.user,
                    payload=text,
                    options={"problems": problems},
                    dry_run=True,
                )
                return redirect("admin:resources_job_change", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import a Markdown list"),
        }
        return TemplateResponse(request, "admin/resources/resource/import_markdown.html", context)

    def _confirm_import(self, request):
        try:
            pk = uuid.UUID(request.POST.get("job", ""))
        except ValueError:
            pk = None
        dry_runs = Job.objects.filter(kind=JobKind.IMPORT, dry_run=True, state=JobState.SUCCEEDED)
        with transaction.atomic():
            dry_run = dry_runs.select_for_update().filter(pk=pk).first()
            if dry_run is None:
                messages.error(request, _("That import has expired; upload the file again."))
                return redirect("admin:resources_resource_import")
            if dry_run.follow_up_id is None:  # a second click queues nothing more
                dry_run.follow_up = background_jobs.enqueue_job(
                    kind=JobKind.IMPORT,
                    label=dry_run.label,
                    user=request.user,
                    payload=dry_run.payload,
                    options=dry_run.options,
                )
                dry_run.save(update_fields=["follow_up"])
        messages.success(request, _("The import is queued; this page shows its progress."))
        return redirect("admin:resources_job_change", dry_run.follow_up_id)
