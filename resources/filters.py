"""The one FilterSet behind the catalogue page, the API and exports.

Its query parameters are the shareable state of a catalogue view: a URL names a selection.
"""

from functools import cached_property

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from taggit.models import Tag, TaggedItem

from resources.models import Author, Kind, Language, Resource, Topic
from resources.search import RANK_ORDERING, ParsedQuery, parse_query, search

SORT_CHOICES = [
    ("list", _("List order")),
    ("-year", _("Newest first")),
    ("year", _("Oldest first")),
    ("title", _("Title A–Z")),
    ("-created", _("Recently added")),
    ("-bookmarks", _("Most bookmarked")),  # readers' library
]
SORT_ORDERINGS = {
    "list": ("topic__position", "topic_id", "position", "pk"),
    "-year": ("-year", "topic__position", "position", "pk"),
    "year": ("year", "topic__position", "position", "pk"),
    "title": ("title", "pk"),
    "-created": ("-created", "-pk"),
    "-bookmarks": ("-bookmark_count", "topic__position", "position", "pk"),
}


class MultipleValueField(forms.Field):
    """A repeated query parameter (`tag=a&tag=b`) or a comma-separated one (`tag=a,b`)."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        values: list[str] = []
        for item in value:
            values.extend(part.strip() for part in str(item).split(",") if part.strip())
        return values[:10]


# Described for the OpenAPI schema: a list of tag slugs or names.
@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AllTagsFilter(django_filters.Filter):
    """`tag=a&tag=b`: resources carrying every named tag (by slug or name)."""

    field_class = MultipleValueField

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        for tag in value or []:
            qs = qs.filter(
                pk__in=Resource.objects.filter(
                    Q(tags__slug=tag) | Q(tags__name__iexact=tag)
                ).values("pk")
            )
        return qs


class AuthorChoiceField(forms.ModelChoiceField):
    """An author typed in a text box: their slug (as links write it) or any of their names.

    A text box, not a select: a list of every author is thousands of options to render.
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()[:200]
        author = self.queryset.filter(slug=value).first() or Author.find(value)
        if author is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return author

    def prepare_value(self, value):
        return value.slug if isinstance(value, Author) else value


class AuthorFilter(django_filters.ModelChoiceFilter):
    field_class = AuthorChoiceField


class ResourceFilterForm(forms.Form):
    """The filters' form: a year range that ends before it starts is an error on its end,
    shown back and left out, rather than a list that is silently empty."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_min"), cleaned.get("year_max")
        if start is not None and end is not None and end < start:
            self.add_error("year_max", _("Ends before the From year."))
        return cleaned


class ResourceFilter(django_filters.FilterSet):
    """Filters any reader may apply; every parameter is optional and may be combined."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=500)
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_topic",
        label=_("Topic"),
        empty_label=_("All topics"),
    )
    tag = AllTagsFilter(label=_("Tags"))
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    year_min = django_filters.NumberFilter(
        field_name="year", lookup_expr="gte", label=_("From year"), min_value=0, max_value=9999
    )
    year_max = django_filters.NumberFilter(
        field_name="year", lookup_expr="lte", label=_("To year"), min_value=0, max_value=9999
    )
    author = AuthorFilter(
        queryset=Author.objects.all(),
        to_field_name="slug",
        field_name="authors",
        label=_("Author"),
        empty_label=_("Any author"),
    )
    language = django_filters.ChoiceFilter(
        choices=Language.choices, label=_("Language"), empty_label=_("Any language")
    )
    featured = django_filters.BooleanFilter(field_name="is_featured", label=_("Featured only"))
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="apply_sort", label=_("Sort"), empty_label=None
    )

    class Meta:
        model = Resource
        fields = ["q", "topic", "tag", "kind", "year_min", "year_max", "author", "language"]
        form = ResourceFilterForm

    @cached_property
    def parsed_query(self) -> ParsedQuery | None:
        """The search box query, parsed once: it filters the rows and marks their terms."""
        if not self.is_bound:
            return None
        self.form.is_valid()  # cleans every field; an invalid one is left out of cleaned_data
        text = (self.form.cleaned_data.get("q") or "").replace("\x00", "").strip()
        return parse_query(text) if text else None

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Annotates `search_rank`; `qs` orders by it unless the reader chose a sort.
        return search(queryset, value, parsed=self.parsed_query)

    def filter_topic(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        return queryset.in_topic(value)

    def apply_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "-bookmarks":
            queryset = queryset.with_bookmark_count()
        return queryset.order_by(*SORT_ORDERINGS.get(value, SORT_ORDERINGS["list"]))

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not (self.is_bound and self.form.cleaned_data.get("sort")):
            searching = "search_rank" in queryset.query.annotations
            queryset = queryset.order_by(*(RANK_ORDERING if searching else SORT_ORDERINGS["list"]))
        return queryset


def all_tags_used() -> list[Tag]:
    """Tags that label at least one resource, by name, each with how many (`resource_count`):
    the sidebar's tag facets, computed once per catalogue version (`listing.sidebar_tags`).

    Counted on taggit's through table alone (a tag labels a resource at most once), grouped
    by tag along its (content type, tag) index (migration 0016), then the tags read by key."""
    counts = dict(
        TaggedItem.objects.filter(content_type=resource_content_type())
        .order_by()
        .values_list("tag_id")
        .annotate(count=Count("pk"))
    )
    tags = list(Tag.objects.filter(pk__in=counts).order_by("name").only("pk", "name", "slug"))
    for tag in tags:
        tag.resource_count = counts[tag.pk]
    return tags


def resource_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Resource)
