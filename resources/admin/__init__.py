"""The admin for curators: staff with the catalogue permissions edit everything here."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.utils import edit_string_for_tags

from resources.admin import actions as admin_tools
from resources.admin import filters as admin_filters
from resources.admin import jobs as admin_jobs  # noqa: F401 - registers the Job admin
from resources.admin import paths as admin_paths  # noqa: F401 - registers reading paths
from resources.admin import readers as admin_readers  # noqa: F401 - registers the notes admin
from resources.admin import workflow as admin_workflow  # noqa: F401 - suggestions, link checks
from resources.admin.importing import ImportListMixin
from resources.models import (
    Author,
    AuthorAlias,
    Authorship,
    Library,
    LinkStatus,
    Resource,
    ResourceLink,
    SearchSynonym,
    Topic,
)
from resources.scholarly.admin import fetch_arxiv_metadata, forget_arxiv_source, from_arxiv

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
class ResourceAdmin(ImportListMixin, admin_tools.ResourceToolsMixin, SimpleHistoryAdmin):
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


# --- Search ---------------------------------------------------------------------------------
@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]
