"""The admin for curators: staff with the catalogue permissions edit everything here."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.utils import edit_string_for_tags

from resources import jobs as background_jobs
from resources.admin import actions as admin_tools
from resources.admin import filters as admin_filters
from resources.admin import jobs as admin_jobs  # noqa: F401 - registers the Job admin
from resources.caching import bump_readers_version
from resources.forms import ImportListForm
from resources.models import (
    Annotation,
    Author,
    AuthorAlias,
    Authorship,
    Job,
    JobKind,
    JobState,
    Library,
    LinkCheck,
    LinkStatus,
    Resource,
    ResourceLink,
    SearchSynonym,
    Suggestion,
    Topic,
)
from resources.scholarly.admin import fetch_arxiv_metadata, forget_arxiv_source, from_arxiv
from resources.services import ListEncodingError, decode_list

# The admin is the curators' desk: it says whose it is, in the reader's language.
admin.site.site_header = _("DLT Library administration")
admin.site.site_title = _("DLT Library administration")
admin.site.index_title = _("Curators' desk")


# Edits to these fields mark them as curated, so a later import leaves them alone.
CURATED_FIELDS = (
    "title", "kind", "year", "venue", "language", "is_featured", "tags", "topic", "abstract",
    "published",
)  # fmt: skip


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    autocomplete_fields = ["author"]
    extra = 0
    ordering = ["position"]


class ResourceLinkInline(admin.TabularInline):
    model = ResourceLink
    extra = 0
    ordering = ["position"]


@admin.register(Resource)
class ResourceAdmin(admin_tools.ResourceToolsMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "topic",
        "position",
        "kind",
        "year",
        "is_featured",
        "language",
        "author_count",
        "tag_count",
        "link_health",
        from_arxiv,
        "view_on_site_link",
    ]
    list_filter = [
        "topic",
        "kind",
        "is_featured",
        "language",
        "year",
        admin_filters.LinkHealthFilter,
        admin_filters.MissingAuthorsFilter,
        admin_filters.MissingTagsFilter,
    ]
    list_editable = ["kind", "year", "is_featured"]
    list_select_related = ["topic", "link_check"]
    list_per_page = 100
    actions = [*admin_tools.RESOURCE_ACTIONS, fetch_arxiv_metadata]
    history_list_display = ["tag_names"]
    search_fields = ["title", "url", "description", "venue", "authors__name", "arxiv_id"]
    autocomplete_fields = ["topic", "parent"]
    readonly_fields = [
        "url_key", "arxiv_id", "doi", "arxiv_category", "curated_fields", from_arxiv,
        "metadata_fetched_at", "created", "updated",
    ]  # fmt: skip
    inlines = [AuthorshipInline, ResourceLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "url", "kind", "topic", "parent", "marker", "position"]}),
        (
            _("Details"),
            {"fields": ["year", "venue", "language", "is_featured", "tags", "published"]},
        ),
        (_("Description"), {"fields": ["description", "abstract"]}),
        (
            _("Metadata from arXiv"),
            {
                "description": _(
                    "Filled by enrich_metadata or the action “Fetch metadata from arXiv”. "
                    "Editing a field here makes it yours: arXiv never overwrites it again."
                ),
                "fields": ["arxiv_id", "arxiv_category", "doi", from_arxiv, "metadata_fetched_at"],
            },
        ),
        (
            _("Bookkeeping"),
            {
                "classes": ["collapse"],
                "fields": ["url_key", "curated_fields", "created", "updated"],
            },
        ),
    ]

    change_list_template = "admin/resources/resource/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _author_count=Count("authorships", distinct=True),
                _tag_count=Count("tags", distinct=True),
            )
        )

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

    @admin.display(description=_("authors"), ordering="_author_count")
    def author_count(self, resource: Resource) -> int:
        return resource._author_count

    @admin.display(description=_("tags"), ordering="_tag_count")
    def tag_count(self, resource: Resource) -> int:
        return resource._tag_count

    @admin.display(description=_("link"), ordering="link_check__status")
    def link_health(self, resource: Resource) -> str:
        check = getattr(resource, "link_check", None) if resource.url else None
        if check is None:
            return LinkStatus.UNCHECKED.label if resource.url else "–"
        return format_html(
            '<span title="{}">{}</span>',
            check.final_url or check.url,
            f"{check.get_status_display()} {check.http_status or ''}".strip(),
        )

    @admin.display(description=_("page"))
    def view_on_site_link(self, resource: Resource) -> str:
        return format_html('<a href="{}">{}</a>', resource.get_absolute_url(), _("view"))

    def save_model(self, request, obj: Resource, form, change: bool) -> None:
        touched = set(form.changed_data) & set(CURATED_FIELDS)
        if touched:
            obj.curated_fields = sorted(set(obj.curated_fields) | touched)
            forget_arxiv_source(obj, touched)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Authorship and formset.has_changed():
            resource = form.instance
            if "authors" not in resource.curated_fields:
                resource.curated_fields = sorted({*resource.curated_fields, "authors"})
                forget_arxiv_source(resource, {"authors"})
                resource.save(update_fields=["curated_fields", "metadata_sources"])

    def render_history_view(self, request, template, context, **kwargs):
        form = getattr(context.get("adminform"), "form", None)
        if form is not None and not form.is_bound and request.resolver_match.args[1:]:
            # Reverting restores the version's tags too (stored with it, see TagSnapshot).
            version = Resource.history.filter(history_id=request.resolver_match.args[1]).first()
            if version is not None:
                tags = [SimpleNamespace(name=name) for name in version.tag_names]
                form.initial["tags"] = edit_string_for_tags(tags)
        return super().render_history_view(request, template, context, **kwargs)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "tags" in form.changed_data:
            # The version was recorded before the form saved the tags; give it the new ones.
            latest = form.instance.history.order_by("-history_date", "-history_id").first()
            if latest is not None:
                latest.tag_names = sorted(form.instance.tags.names())
                latest.save(update_fields=["tag_names"])


class ChildTopicInline(admin.TabularInline):
    model = Topic
    fk_name = "parent"
    fields = ["name", "slug", "position"]
    extra = 0


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "position", "resource_count", "view_on_site_link"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChildTopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_resource_count=Count("resources"))

    @admin.display(description=_("resources"), ordering="_resource_count")
    def resource_count(self, topic: Topic) -> int:
        return topic._resource_count

    @admin.display(description=_("page"))
    def view_on_site_link(self, topic: Topic) -> str:
        return format_html('<a href="{}">{}</a>', topic.get_absolute_url(), _("view"))


class AuthorAliasInline(admin.TabularInline):
    model = AuthorAlias
    extra = 1


@admin.register(Author)
class AuthorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alias_list", "resource_count"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorAliasInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_resource_count=Count("authorships", distinct=True))
            .prefetch_related("aliases")
        )

    @admin.display(description=_("aliases"))
    def alias_list(self, author: Author) -> str:
        return ", ".join(alias.name for alias in author.aliases.all())

    @admin.display(description=_("resources"), ordering="_resource_count")
    def resource_count(self, author: Author) -> int:
        return author._resource_count


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["title"]


# Readers' library: curators moderate public notes. Private notes and bookmarks are their
# readers' alone and are not listed here.


@admin.register(Annotation)
class PublicAnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "resource", "created"]
    list_select_related = ["user", "resource"]
    search_fields = ["body", "user__username", "resource__title"]
    date_hierarchy = "created"
    fields = ["author", "resource", "body", "rendered", "is_public", "created", "updated"]
    readonly_fields = ["author", "resource", "body", "rendered", "created", "updated"]
    actions = ["make_private"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_public=True)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("author"), ordering="user__username")
    def author(self, note: Annotation) -> str:
        return note.user.get_username()

    @admin.display(description=_("as shown"))
    def rendered(self, note: Annotation) -> str:
        return format_html('<div class="markdown">{}</div>', mark_safe(note.body_html))  # noqa: S308

    @admin.action(
        description=_("Make private (take off the resource page)"), permissions=["change"]
    )
    def make_private(self, request, queryset) -> None:
        count = queryset.update(is_public=False)
        bump_readers_version()  # update() sends no signals; the notes leave public pages now
        self.message_user(request, _("%(count)d notes made private.") % {"count": count})


# --- Curators' workflow (issue 6): moderation queue and link checks --------------------------


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "topic", "user", "status", "created", "decided_by", "resource"]
    list_filter = [admin_filters.SuggestionStatusFilter, "topic"]
    list_select_related = ["topic", "user", "decided_by", "resource"]
    search_fields = ["title", "url", "reason", "user__username"]
    autocomplete_fields = ["topic", "resource"]
    # Decisions go through the actions, which create the resource and record who decided.
    readonly_fields = ["user", "status", "created", "decided_at", "decided_by"]
    actions = [admin_tools.accept_suggestions, admin_tools.reject_suggestions]
    date_hierarchy = "created"

    def has_add_permission(self, request) -> bool:
        return False  # readers suggest at /suggest/


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ["url", "status", "http_status", "final_url", "checked_at", "elapsed_ms"]
    list_filter = ["status", "http_status"]
    list_select_related = ["resource", "link"]
    search_fields = ["url", "final_url"]
    readonly_fields = [f.name for f in LinkCheck._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # written by `manage.py check_links`


# --- Search ---------------------------------------------------------------------------------
@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


# Discovery: reading paths are composed in their own admin module.
from resources import discovery_admin  # noqa: E402, F401
