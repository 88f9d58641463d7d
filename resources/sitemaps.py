"""sitemap.xml and robots.txt: what search engines may index, and where to find it."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from resources.models import Author, Resource, Topic
from resources.reversing import reverse_with


class PageSitemap(Sitemap):
    """The home page and the list pages."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "resources:home",
            "resources:resource-list",
            "resources:tag-list",
            "resources:author-list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ResourceSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Resource.objects.only("pk", "updated").order_by("pk")

    def lastmod(self, resource: Resource):
        return resource.updated


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Topic.objects.only("pk", "slug").order_by("pk")


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Tag.objects.filter(resource__isnull=False).distinct().only("slug").order_by("slug")

    def location(self, tag: Tag) -> str:
        return reverse_with("resources:tag-detail", tag.slug)


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Author.objects.only("pk", "slug").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "topics": TopicSitemap,
    "resources": ResourceSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: everything public may be indexed except the admin and readers' own pages.
    Anyone."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )


__all__ = ["SITEMAPS", "robots_txt"]
