"""Readers' library in the admin: curators moderate public notes.

Private notes and bookmarks are their readers' alone and are not listed here.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from resources.caching import bump_readers_version
from resources.models import Annotation


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
