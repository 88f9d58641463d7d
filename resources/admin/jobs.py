"""Background jobs in the admin: curators follow imports and link checks and run them again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources import jobs
from resources.models import Job, JobKind, JobState


@admin.action(description=_("Run selected jobs again"), permissions=["change"])
def run_again(modeladmin, request, queryset):
    finished = [job for job in queryset.defer("payload") if job.is_finished]
    for job in finished:
        jobs.requeue(job)
    modeladmin.message_user(
        request,
        ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", len(finished))
        % {"count": len(finished)},
        messages.SUCCESS,
    )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "dry_run", "state", "progress", "message", "created"]
    list_filter = ["kind", "state", "dry_run"]
    list_select_related = ["created_by"]
    actions = [run_again]
    change_list_template = "admin/resources/job/change_list.html"

    def get_queryset(self, request):
        # The list never shows the uploaded text or the whole report.
        return super().get_queryset(request).defer("payload", "result")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("progress"))
    def progress(self, job: Job) -> str:
        done = jobs.progress_of([job]).get(str(job.pk))
        if job.state != JobState.RUNNING or not done:
            return "—"
        return f"{done['done']} / {done['total']}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("check-links/", view(self.check_links_view), name="resources_job_check_links"),
            *super().get_urls(),
        ]

    def check_links_view(self, request: HttpRequest) -> HttpResponse:
        """Queue a check of every address (POST). Curators."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        job = jobs.enqueue_job(kind=JobKind.LINK_CHECK, label="Every address", user=request.user)
        self.message_user(request, _("The link check is queued."), messages.SUCCESS)
        return redirect("admin:resources_job_change", job.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A job's state, progress and outcome; a dry run's report with the confirm button."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            job = get_object_or_404(Job.objects.select_related("created_by"), pk=object_id)
        except ValidationError as error:  # not a job id at all (ids are UUIDs)
            raise Http404 from error
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(job),
            "job": job,
            "progress": jobs.progress_of([job]).get(str(job.pk)),
            "report": job.result if job.kind == JobKind.IMPORT else None,
            "can_confirm": (
                job.dry_run
                and job.kind == JobKind.IMPORT
                and job.state == JobState.SUCCEEDED
                and request.user.has_perms(["resources.add_resource", "resources.change_resource"])
            ),
        }
        return TemplateResponse(request, "admin/resources/job/detail.html", context)
