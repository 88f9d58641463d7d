"""The admin for curators: staff with the catalogue permissions edit everything here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from resources.models import (
    Author,
    AuthorAlias,
    Authorship,
    Library,
    Resource,
    ResourceLink,
    SearchSynonym,
    Topic,
)

# Edits to these fields mark them as curated, so a later import leaves them alone.
CURATED_FIELDS = ("title", "kind", "year", "venue", "language", "is_featured", "tags", "topic")


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
class ResourceAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "topic",
        "kind",
        "year",
        "is_featured",
        "language",
        "author_count",
        "view_on_site_link",
    ]
    list_filter = ["topic", "kind", "is_featured", "language", "year"]
    list_editable = ["kind", "year", "is_featured"]
    list_select_related = ["topic"]
    list_per_page = 100
    search_fields = ["title", "url", "description", "venue", "authors__name", "arxiv_id"]
    autocomplete_fields = ["topic", "parent"]
    readonly_fields = ["url_key", "arxiv_id", "doi", "curated_fields", "created", "updated"]
    inlines = [AuthorshipInline, ResourceLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "url", "kind", "topic", "parent", "marker", "position"]}),
        (_("Details"), {"fields": ["year", "venue", "language", "is_featured", "tags"]}),
        (_("Description"), {"fields": ["description"]}),
        (
            _("Bookkeeping"),
            {
                "classes": ["collapse"],
                "fields": ["url_key", "arxiv_id", "doi", "curated_fields", "created", "updated"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_author_count=Count("authorships"))

    @admin.display(description=_("authors"), ordering="_author_count")
    def author_count(self, resource: Resource) -> int:
        return resource._author_count

    @admin.display(description=_("page"))
    def view_on_site_link(self, resource: Resource) -> str:
        return format_html('<a href="{}">{}</a>', resource.get_absolute_url(), _("view"))

    def save_model(self, request, obj: Resource, form, change: bool) -> None:
        touched = set(form.changed_data) & set(CURATED_FIELDS)
        if touched:
            obj.curated_fields = sorted(set(obj.curated_fields) | touched)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Authorship and formset.has_changed():
            resource = form.instance
            if "authors" not in resource.curated_fields:
                resource.curated_fields = sorted({*resource.curated_fields, "authors"})
                resource.save(update_fields=["curated_fields"])


class ChildTopicInline(admin.TabularInline):
    model = Topic
    fk_name = "parent"
    fields = ["name", "slug", "position"]
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
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
class AuthorAdmin(admin.ModelAdmin):
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
