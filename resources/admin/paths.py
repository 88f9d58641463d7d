"""Admin of reading paths: curators compose a path as an ordered list of steps with notes."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from resources.models import PathStep, ReadingPath


class PathStepInline(admin.TabularInline):
    """Steps in order of their position; renumber to reorder (gaps are fine: 10, 20, 30…)."""

    model = PathStep
    fields = ["position", "resource", "note", "note_zh"]
    autocomplete_fields = ["resource"]
    ordering = ["position", "pk"]
    extra = 1


@admin.register(ReadingPath)
class ReadingPathAdmin(admin.ModelAdmin):
    list_display = ["title", "title_zh", "slug", "position", "is_published", "step_count"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "title_zh", "slug", "description", "description_zh"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PathStepInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "position", "is_published"]}),
        (_("Description"), {"fields": ["description"]}),
        (_("In Chinese"), {"fields": ["title_zh", "description_zh"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    @admin.display(description=_("steps"), ordering="step_total")
    def step_count(self, path: ReadingPath) -> int:
        return path.step_total
