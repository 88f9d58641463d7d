"""Catalogue pages. Every page here is public and read-only (GET and HEAD only).

Anonymous visitors get them from the page cache (`cache_public_page`); signed-in readers get a
fresh render, since each row carries their own bookmark control.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from resources.caching import cache_public_page
from resources.citations.views import export_list, export_one, format_key, requested_format
from resources.listing import (
    control_context,
    draw_rows,
    list_page,
    list_page_key,
    sidebar_tags,
    with_bodies,
)
from resources.models import Author, Library, Resource, Topic
from resources.shelf import mark_bookmarks


@require_safe
@cache_public_page()
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
    featured = with_bodies(list(Resource.objects.featured().for_rows().catalogue_order()[:12]), [])
    recent = with_bodies(list(Resource.objects.for_rows().order_by("-created", "-pk")[:8]), [])
    mark_bookmarks(request.user, featured + recent)
    reader = control_context(request.user, request.path)
    return render(
        request,
        "resources/home.html",
        {
            "library": Library.current(),
            "root_topics": roots,
            "featured": featured,
            "featured_rows": draw_rows(featured, reader),
            "recent": recent,
            "recent_rows": draw_rows(recent, reader),
            "resource_total": Resource.objects.count(),
            "next_url": request.path,
        },
    )


@require_safe
@cache_public_page(list_page_key)
def resource_list(request: HttpRequest) -> HttpResponse:
    """The catalogue with filters, sorting and pagination. Anyone.

    `format=bibtex|ris|csljson` downloads the citations of every matching resource.
    """
    if requested_format(request):
        return export_list(request, Resource.objects.all())
    context = list_page(request, Resource.objects.all(), same_for_everyone=True)
    template = (
        "resources/includes/_resource_results.html"
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
        else "resources/resource_list.html"
    )
    return render(request, template, context)


@require_safe
@cache_public_page(format_key)
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
@cache_public_page(list_page_key)
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's entries (sub-topics included), filterable like the catalogue. Anyone."""
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    resources = Resource.objects.in_topic(topic)
    if requested_format(request):
        return export_list(request, resources, fixed=["topic"], filename=topic.slug)
    context = list_page(request, resources, fixed=["topic"], same_for_everyone=True)
    context.update(topic=topic, subtopics=topic.children.with_resource_counts())
    return render(request, "resources/topic_detail.html", context)


@require_safe
@cache_public_page(list_page_key)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Resources carrying one tag, filterable like the catalogue. Anyone."""
    tag = get_object_or_404(Tag, slug=slug)
    resources = Resource.objects.filter(tags__slug=tag.slug)
    if requested_format(request):
        return export_list(request, resources, filename=tag.slug)
    context = list_page(request, resources, same_for_everyone=True)
    context["tag"] = tag
    return render(request, "resources/tag_detail.html", context)


@require_safe
@cache_public_page()
def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag with how many resources carry it. Anyone."""
    # The sidebar's counts, most used first (the sort is stable: ties stay in name order).
    in_use = sidebar_tags()
    tags = sorted(in_use, key=lambda tag: -tag.resource_count)
    return render(request, "resources/tag_list.html", {"tags": tags})


@require_safe
@cache_public_page(list_page_key)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An author, their other names and their works, filterable like the catalogue. Anyone."""
    author = get_object_or_404(Author.objects.prefetch_related("aliases"), slug=slug)
    resources = Resource.objects.filter(authors=author)
    if requested_format(request):
        return export_list(request, resources, fixed=["author"], filename=author.slug)
    context = list_page(request, resources, fixed=["author"], same_for_everyone=True)
    context["author"] = author
    return render(request, "resources/author_detail.html", context)


@require_safe
@cache_public_page(["q"])
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
