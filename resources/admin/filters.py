"""The admin's list filters for resources and suggestions. Curators only (see roles.py)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from resources.models import (
    Authorship,
    LinkCheck,
    LinkStatus,
    Resource,
    SuggestionStatus,
)

# List filters --------------------------------------------------------------------------------


class LinkHealthFilter(admin.SimpleListFilter):
    title = _("link health")
    parameter_name = "link_health"
    BROKEN_SECONDARY = "secondary-broken"

    def lookups(self, request, model_admin):
        return [
            *LinkStatus.choices,
            (self.BROKEN_SECONDARY, _("A secondary link is broken or unreachable")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        value = self.value()
        bad = [LinkStatus.BROKEN, LinkStatus.UNREACHABLE]
        if value == self.BROKEN_SECONDARY:
            return queryset.filter(
                Exists(LinkCheck.objects.filter(link__resource=OuterRef("pk"), status__in=bad))
            )
        if value == LinkStatus.UNCHECKED:
            return queryset.exclude(url="").filter(
                Q(link_check__isnull=True) | Q(link_check__status=LinkStatus.UNCHECKED)
            )
        if value in LinkStatus.values:
            return queryset.filter(link_check__status=value)
        return queryset


class _MissingFilter(admin.SimpleListFilter):
    """Yes/no filter on whether a resource has no related row of some kind."""

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def present(self):
        raise NotImplementedError

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(~self.present())
        if self.value() == "no":
            return queryset.filter(self.present())
        return queryset


class MissingAuthorsFilter(_MissingFilter):
    title = _("missing authors")
    parameter_name = "missing_authors"

    def present(self):
        return Exists(Authorship.objects.filter(resource=OuterRef("pk")))


class MissingTagsFilter(_MissingFilter):
    title = _("missing tags")
    parameter_name = "missing_tags"

    def present(self):
        return Exists(
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Resource),
                object_id=OuterRef("pk"),
            )
        )


class SuggestionStatusFilter(admin.SimpleListFilter):
    """The moderation queue: pending suggestions unless the curator asks for others."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*SuggestionStatus.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or SuggestionStatus.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())
