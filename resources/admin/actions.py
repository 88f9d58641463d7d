"""Curators' tools for the admin at scale: bulk actions and extra pages.

Used by resources/admin/__init__.py. Only staff with the catalogue permissions (the `curators`
group, see resources/roles.py) reach any of this; each page checks the model permission it
needs.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources import services
from resources.duplicates import find_duplicate_groups
from resources.models import (
    Kind,
    Resource,
    SuggestionStatus,
    Topic,
)

# Bulk actions ----------------------------------------------------------------------------------


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        help_text=_("Comma-separated, e.g. “generalization, 泛化”."),
    )

    def clean_tags(self) -> list[str]:
        tags = [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        if not tags:
            raise forms.ValidationError(_("Name at least one tag."))
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError(_("A tag has at most 100 characters."))
        return tags


class TopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.select_related("parent").order_by("position")
    )


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The reader sees it with their suggestion."),
    )


def _with_form(modeladmin, request, queryset, *, form_class, title: str, action: str, apply):
    """Run `apply(queryset, cleaned_data)` once the intermediate form is valid; else show it."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            _report(modeladmin, request, apply(queryset, form.cleaned_data))
            return None
    else:
        form = form_class()
    return render(
        request,
        "admin/resources/bulk_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _form_action(name: str, *, description: str, form_class, title: str, apply):
    """A bulk action on resources that asks for `form_class` first.

    `apply(resources, cleaned_data, user)` makes the change and returns how many changed.
    """

    def action(modeladmin, request, queryset):
        return _with_form(
            modeladmin,
            request,
            queryset,
            form_class=form_class,
            title=title,
            action=name,
            apply=lambda qs, data: apply(qs, data, request.user),
        )

    action.__name__ = action.__qualname__ = name  # the admin names an action after its function
    return admin.action(description=description, permissions=["change"])(action)


add_tags = _form_action(
    "add_tags",
    description=_("Add tags to selected resources"),
    form_class=TagsForm,
    title=_("Add tags"),
    apply=lambda qs, data, user: services.add_tags(resources=qs, tags=data["tags"], user=user),
)
remove_tags = _form_action(
    "remove_tags",
    description=_("Remove tags from selected resources"),
    form_class=TagsForm,
    title=_("Remove tags"),
    apply=lambda qs, data, user: services.remove_tags(resources=qs, tags=data["tags"], user=user),
)
move_to_topic = _form_action(
    "move_to_topic",
    description=_("Move selected resources to a topic"),
    form_class=TopicForm,
    title=_("Move to a topic"),
    apply=lambda qs, data, user: services.move_to_topic(
        resources=qs, topic=data["topic"], user=user
    ),
)
set_kind = _form_action(
    "set_kind",
    description=_("Set the kind of selected resources"),
    form_class=KindForm,
    title=_("Set kind"),
    apply=lambda qs, data, user: services.set_field(
        resources=qs, name="kind", value=data["kind"], user=user
    ),
)


def _report(modeladmin, request, count: int) -> None:
    modeladmin.message_user(
        request,
        ngettext("%(count)d entry changed.", "%(count)d entries changed.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Feature selected resources"), permissions=["change"])
def feature(modeladmin, request, queryset):
    count = services.set_field(
        resources=queryset, name="is_featured", value=True, user=request.user
    )
    _report(modeladmin, request, count)


@admin.action(description=_("Stop featuring selected resources"), permissions=["change"])
def unfeature(modeladmin, request, queryset):
    count = services.set_field(
        resources=queryset, name="is_featured", value=False, user=request.user
    )
    _report(modeladmin, request, count)


def _move(modeladmin, request, queryset, offset: int) -> None:
    # Moving up, the topmost goes first; moving down, the lowest: a block keeps its shape.
    rows = sorted(queryset, key=lambda r: (r.topic_id, r.position, r.pk), reverse=offset > 0)
    moved = 0
    for resource in rows:
        resource.refresh_from_db(fields=["position"])
        moved += services.move_within_topic(resource=resource, offset=offset, user=request.user)
    _report(modeladmin, request, moved)


@admin.action(description=_("Move up within their topic"), permissions=["change"])
def move_up(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, -1)


@admin.action(description=_("Move down within their topic"), permissions=["change"])
def move_down(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, +1)


@admin.action(description=_("Merge selected resources…"), permissions=["delete"])
def merge_selected(modeladmin, request, queryset):
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    return HttpResponseRedirect(f"{reverse('admin:resources_resource_merge')}?ids={ids}")


RESOURCE_ACTIONS = [
    add_tags,
    remove_tags,
    move_to_topic,
    set_kind,
    feature,
    unfeature,
    move_up,
    move_down,
    merge_selected,
]


@admin.action(description=_("Accept selected suggestions"), permissions=["change"])
def accept_suggestions(modeladmin, request, queryset):
    accepted = 0
    for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
        services.accept_suggestion(suggestion=suggestion, curator=request.user)
        accepted += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d suggestion accepted.", "%(count)d suggestions accepted.", accepted)
        % {"count": accepted},
        messages.SUCCESS,
    )


@admin.action(description=_("Reject selected suggestions…"), permissions=["change"])
def reject_suggestions(modeladmin, request, queryset):
    def apply(qs, data) -> int:
        pending = list(qs.filter(status=SuggestionStatus.PENDING))
        for suggestion in pending:
            services.reject_suggestion(
                suggestion=suggestion, curator=request.user, reason=data["reason"]
            )
        return len(pending)

    return _with_form(
        modeladmin,
        request,
        queryset,
        form_class=RejectForm,
        title=_("Reject suggestions"),
        action="reject_suggestions",
        apply=apply,
    )


# Extra pages of the resource admin ----------------------------------------------------------


class ResourceToolsMixin:
    """Duplicates, merge and restore-deleted pages for ResourceAdmin."""

    def get_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view
        return [
            path("duplicates/", view(self.duplicates_view), name="resources_resource_duplicates"),
            path("merge/", view(self.merge_view), name="resources_resource_merge"),
            path("deleted/", view(self.deleted_view), name="resources_resource_deleted"),
            *super().get_urls(),
        ]

    def _context(self, request, title) -> dict:
        return {**self.admin_site.each_context(request), "title": title, "opts": Resource._meta}

    def duplicates_view(self, request: HttpRequest) -> HttpResponse:
        """Groups of likely duplicates, each with a link to merge them. Curators."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        groups = find_duplicate_groups()
        context = self._context(request, _("Likely duplicates"))
        context["groups"] = groups
        return render(request, "admin/resources/resource/duplicates.html", context)

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """Choose which record to keep and fold the others into it. Curators who may delete."""
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()][:20]
        resources = list(Resource.objects.with_related().filter(pk__in=ids).order_by("pk"))
        if len(resources) < 2:
            self.message_user(request, _("Select at least two resources to merge."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:resources_resource_changelist"))
        scored = sorted(resources, key=lambda r: (-services.richness(r), r.pk))
        if request.method == "POST":
            keep = next((r for r in resources if str(r.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, _("Choose the record to keep."), messages.ERROR)
            else:
                others = [r for r in resources if r.pk != keep.pk]
                services.merge_resources(keep=keep, duplicates=others, user=request.user)
                self.message_user(
                    request,
                    _("Merged %(count)d duplicates into “%(title)s”.")
                    % {"count": len(others), "title": keep.title},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:resources_resource_change", args=[keep.pk])
                )
        context = self._context(request, _("Merge resources"))
        context.update({"resources": scored, "richest": scored[0], "ids": ",".join(map(str, ids))})
        return render(request, "admin/resources/resource/merge.html", context)

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """Deleted resources, newest first, each restorable. Curators who may add."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        History = Resource.history.model
        if request.method == "POST":
            history_id = request.POST.get("history_id", "")
            record = get_object_or_404(
                History, history_id=int(history_id) if history_id.isdigit() else 0
            )
            try:
                resource = services.restore_resource(
                    history_id=record.history_id, user=request.user
                )
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:resources_resource_deleted"))
            self.message_user(request, _("Restored “%s”.") % resource.title, messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:resources_resource_change", args=[resource.pk])
            )
        records = (
            History.objects.filter(history_type="-")
            .exclude(id__in=Resource.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")[:500]
        )
        latest: dict[int, object] = {}
        for record in records:  # a resource deleted twice is listed once, at its last deletion
            latest.setdefault(record.id, record)
        context = self._context(request, _("Deleted resources"))
        context["deleted"] = list(latest.values())[:200]
        return render(request, "admin/resources/resource/deleted.html", context)
