"""Catalogue pages. Every page here is public and read-only (GET and HEAD only)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from taggit.models import Tag

from resources.caching import cache_for_anonymous, cached_data, page_of_rows, selection_key
from resources.citations.views import export_list, export_one, requested_format
from resources.filters import ResourceFilter, all_tags_used
from resources.models import Author, Library, Resource, Topic
from resources.search import parse_query
from resources.search.suggest import suggestions


def _catalogue_page(request: HttpRequest, queryset, *, per_page: int | None = None) -> dict:
    """Filter, sort and paginate `queryset` by the request's query string."""
    # Built only if used: a warm page takes its ids and filter form from the cache, and the
    # FilterSet's deep copy of its filters costs ~0.5 ms.
    resource_filter = SimpleLazyObject(
        lambda: ResourceFilter(request.GET or None, queryset=queryset, request=request)
    )

    def results():
        # Built only when needed: a cached selection skips it (a search costs ~2.6 ms to build).
        if resource_filter.is_bound and not resource_filter.form.is_valid():
            # Bad parameters are reported next to the form; the rest still filter.
            cleaned = request.GET.copy()
            for key in resource_filter.form.errors:
                cleaned.pop(key, None)
            return ResourceFilter(cleaned, queryset=queryset, request=request).qs
        return resource_filter.qs

    search_text = request.GET.get("q", "").replace("\x00", "").strip()[:500]
    parsed = parse_query(search_text) if search_text else None
    search_terms = parsed.highlight_terms() if parsed else []
    selection = selection_key(request)
    page, row_bodies = page_of_rows(
        results,
        request.GET.get("page"),
        per_page or settings.CATALOGUE_PAGE_SIZE,
        selection=selection,
        search_terms=search_terms,
    )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {
        "filter": resource_filter,
        "page_obj": page,
        "resources": page.object_list,
        "row_bodies": row_bodies,
        "selection": selection,
        "query_without_page": query_without_page.urlencode(),
        # Terms to mark in the results and, when nothing matched, what to try instead.
        "search_terms": search_terms,
    }
    if parsed:
        context["search_query"] = parsed.raw
        if page.paginator.count == 0:
            context["suggestions"] = suggestions(parsed)
    return context


def _sidebar() -> dict:
    """Topics with counts and the tags in use: computed only if the page renders them (the
    filter form is often a cached fragment), and then remembered until the catalogue changes."""
    return {
        "topics": SimpleLazyObject(
            lambda: cached_data(
                "sidebar-topics",
                lambda: list(Topic.objects.with_resource_counts().select_related("parent")),
            )
        ),
        "tags": SimpleLazyObject(
            lambda: cached_data("sidebar-tags", lambda: list(all_tags_used()))
        ),
    }


@require_safe
@cache_for_anonymous
def home(request: HttpRequest) -> HttpResponse:
    """The front page: topics with counts, featured entries, recent additions. Anyone."""
    topics = list(Topic.objects.with_resource_counts())
    roots = [topic for topic in topics if topic.parent_id is None]
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    for topic in roots:
        topic.subtopics = children.get(topic.pk, [])
    return render(
        request,
        "resources/home.html",
        {
            "library": Library.current(),
            "root_topics": roots,
            "featured": Resource.objects.featured().with_related().catalogue_order()[:12],
            "recent": Resource.objects.with_related().order_by("-created", "-pk")[:8],
            "resource_total": Resource.objects.count(),
        },
    )


@require_safe
@cache_for_anonymous
def resource_list(request: HttpRequest) -> HttpResponse:
    """The catalogue with filters, sorting and pagination. Anyone.

    `format=bibtex|ris|csljson` downloads the citations of every matching resource.
    """
    if requested_format(request):
        return export_list(request, Resource.objects.all())
    context = _catalogue_page(request, Resource.objects.all())
    context.update(_sidebar())
    template = (
        "resources/includes/_resource_results.html"
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
        else "resources/resource_list.html"
    )
    return render(request, template, context)


@require_safe
@cache_for_anonymous
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One resource with its description, authors, links, family and neighbours. Anyone.

    `format=bibtex|ris|csljson` downloads its citation.
    """
    if requested_format(request):
        return export_one(request, pk)
    resource = get_object_or_404(Resource.objects.with_related(), pk=pk)
    siblings = list(
        Resource.objects.filter(topic_id=resource.topic_id)
        .order_by("position", "pk")
        .values_list("pk", "title", named=True)
    )
    index = next(i for i, row in enumerate(siblings) if row.pk == resource.pk)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "children": resource.children.order_by("position", "pk"),
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


@require_safe
@cache_for_anonymous
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's entries (sub-topics included), filterable like the catalogue. Anyone."""
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    if requested_format(request):
        return export_list(request, Resource.objects.in_topic(topic), filename=topic.slug)
    context = _catalogue_page(request, Resource.objects.in_topic(topic))
    context.update(
        {
            "topic": topic,
            "subtopics": topic.children.with_resource_counts(),
        }
    )
    return render(request, "resources/topic_detail.html", context)


@require_safe
@cache_for_anonymous
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Resources carrying one tag. Anyone."""
    tag = get_object_or_404(Tag, slug=slug)
    if requested_format(request):
        return export_list(request, Resource.objects.filter(tags__slug=tag.slug), filename=slug)
    context = _catalogue_page(request, Resource.objects.filter(tags__slug=tag.slug))
    context["tag"] = tag
    return render(request, "resources/tag_detail.html", context)


@require_safe
@cache_for_anonymous
def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag with how many resources carry it. Anyone."""
    tags = (
        Tag.objects.annotate(resource_count=Count("resource", distinct=True))
        .filter(resource_count__gt=0)
        .order_by("-resource_count", "name")
    )
    return render(request, "resources/tag_list.html", {"tags": tags})


@require_safe
@cache_for_anonymous
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An author, their other names and their works. Anyone."""
    author = get_object_or_404(Author.objects.prefetch_related("aliases"), slug=slug)
    if requested_format(request):
        return export_list(request, Resource.objects.filter(authors=author), filename=slug)
    context = _catalogue_page(request, Resource.objects.filter(authors=author))
    context["author"] = author
    return render(request, "resources/author_detail.html", context)


@require_safe
@cache_for_anonymous
def author_list(request: HttpRequest) -> HttpResponse:
    """Every author with their number of works. Anyone."""
    query = request.GET.get("q", "").strip()[:100]
    authors = Author.objects.annotate(resource_count=Count("resources", distinct=True))
    if query:
        authors = authors.filter(
            Q(name__icontains=query) | Q(aliases__name__icontains=query)
        ).distinct()
    return render(
        request,
        "resources/author_list.html",
        {"authors": authors.prefetch_related("aliases").order_by("name"), "query": query},
    )
