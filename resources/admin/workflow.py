"""Curators' workflow in the admin: the suggestion moderation queue and link checks."""

from __future__ import annotations

from django.contrib import admin

from resources.admin import actions as admin_tools
from resources.admin import filters as admin_filters
from resources.models import LinkCheck, Suggestion


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
