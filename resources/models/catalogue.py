"""The catalogue: topics, resources, their authors and links.

Anyone may read the catalogue; curators (staff in the `curators` group) change it in the admin.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from resources.markdown.urls import arxiv_id, doi, normalize_url
from resources.models.vocabulary import SCHEMA_TYPES, Kind, Language, lang_of, unique_slug
from resources.reversing import reverse_with
from resources.tagging import TagPrefetchQuerySet


class Library(models.Model):
    """The list as a whole: its title, introduction and where it comes from (one row)."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    attribution = models.TextField(
        _("attribution"), blank=True, help_text=_("Source and license of the list (Markdown).")
    )

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("library")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def current(cls) -> Library:
        return cls.objects.order_by("pk").first() or cls(title=str(_("DLT Library")))


class TopicQuerySet(models.QuerySet):
    def with_resource_counts(self) -> TopicQuerySet:
        return self.annotate(resource_count=Count("resources", distinct=True))

    def roots(self) -> TopicQuerySet:
        return self.filter(parent__isnull=True)


class Topic(models.Model):
    """A section of the list; sub-sections are children. Ordered as in the list."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    heading_level = models.PositiveSmallIntegerField(
        _("heading level"), default=2, help_text=_("Markdown heading level used on export.")
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Markdown shown above the topic's entries.")
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_with("resources:topic-detail", self.slug)


class Author(models.Model):
    """A person, with every spelling of their name as aliases ("Yi Ma", "马毅", "MaYi")."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_with("resources:author-detail", self.slug)

    @classmethod
    def find(cls, name: str) -> Author | None:
        """The author known by `name` or one of their aliases (case-insensitive)."""
        name = " ".join(name.split())
        return (
            cls.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name))
            .distinct()
            .first()
        )


class AuthorAlias(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.name

    @property
    def lang_attr(self) -> str:
        return lang_of(self.name)


# The fields a list row shows (`for_rows`): a row's cached body is keyed on what was loaded
# (resources/row_bodies.py), so loading no more than this keeps the key to what is shown.
ROW_FIELDS = ("title", "kind", "year", "venue", "description", "is_featured", "topic")
# A kind's label (lazy: translated when shown), without building the enum member per row.
KIND_LABELS = dict(Kind.choices)


class ResourceQuerySet(TagPrefetchQuerySet):
    def with_related(self) -> ResourceQuerySet:
        """Everything a list row or API result shows, in a fixed number of queries."""
        return (
            self.select_related("topic", "parent", "link_check")
            .with_authors()
            .prefetch_related("links")
            .with_tags()  # taggit's own prefetch costs 4x more (resources/tagging.py)
            .with_bookmark_count()
        )

    def for_rows(self) -> ResourceQuerySet:
        """Everything a list row shows (`includes/_resource_row.html`), in a fixed number of
        queries: less than `with_related`, which the API and the resource page use."""
        return (
            self.select_related("topic")
            .with_authors()
            .with_tags()
            .with_bookmark_count()
            .only(*ROW_FIELDS)
        )

    def with_authors(self) -> ResourceQuerySet:
        """Each resource's authors in their order (`ordered_authors`), in one more query."""
        return self.prefetch_related(Prefetch("authorships", queryset=Authorship.in_order()))

    def with_bookmark_count(self) -> ResourceQuerySet:
        """`bookmark_count`: how many readers shelved each resource (a subquery, no GROUP BY).

        Idempotent, so a sort by popularity and `with_related` can both ask for it.
        """
        if "bookmark_count" in self.query.annotations:
            return self
        from resources.models.readers import Bookmark  # readers' models build on these

        counts = (
            Bookmark.objects.filter(resource=OuterRef("pk"))
            .order_by()
            .values("resource")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(bookmark_count=Coalesce(Subquery(counts), 0))

    def featured(self) -> ResourceQuerySet:
        return self.filter(is_featured=True)

    def in_topic(self, topic: Topic) -> ResourceQuerySet:
        """Resources of `topic` and of its sub-topics."""
        return self.filter(Q(topic=topic) | Q(topic__parent=topic))

    def for_feed(self) -> ResourceQuerySet:
        """What a feed entry shows, in a fixed number of queries (no per-row ones)."""
        return (
            self.defer("search_text", "search_title")
            .with_authors()
            .prefetch_related("links")
            .with_tags()
        )

    def catalogue_order(self) -> ResourceQuerySet:
        """The list's own order: topic by topic, entries as numbered."""
        return self.order_by("topic__position", "topic_id", "position", "pk")


class Resource(models.Model):
    """One work in the library: a paper, book, course, post, video…"""

    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(
        _("URL"),
        max_length=2000,
        blank=True,
        help_text=_("The work's main address; empty for a heading that only groups sub-items."),
    )
    url_key = models.CharField(
        _("normalised URL"),
        max_length=2000,
        blank=True,
        editable=False,
        help_text=_("The URL reduced to one form per work (arXiv id, https, no trailing slash)."),
    )
    arxiv_id = models.CharField(_("arXiv id"), max_length=40, blank=True, db_index=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.PAPER, db_index=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown as the curator wrote it, nested notes included."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        db_index=True,
        help_text=_("Language of the work itself."),
    )
    is_featured = models.BooleanField(_("featured"), default=False, db_index=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="resources"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    marker = models.CharField(
        _("number"),
        max_length=16,
        blank=True,
        help_text=_('The entry\'s numbering as the list writes it ("2+", "6.0").'),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    authors = models.ManyToManyField(
        Author, through="Authorship", related_name="resources", blank=True
    )
    tags = TaggableManager(_("tags"), blank=True)
    curated_fields = models.JSONField(
        _("curated fields"),
        default=list,
        blank=True,
        help_text=_("Fields a curator set by hand; imports never overwrite them."),
    )
    # --- Scholarly metadata (resources/scholarly/): filled from arXiv by `enrich_metadata` ----
    abstract = models.TextField(
        _("abstract"), blank=True, help_text=_("The work's abstract; TeX between $…$ is typeset.")
    )
    published = models.DateField(
        _("published"), null=True, blank=True, help_text=_("Date of the first version.")
    )
    arxiv_category = models.CharField(
        _("arXiv category"), max_length=40, blank=True, help_text=_('Primary, e.g. "cs.LG".')
    )
    metadata_sources = models.JSONField(
        _("fields from arXiv"),
        default=list,
        blank=True,
        help_text=_("Fields last written from arXiv; a curator's edit removes a field from it."),
    )
    metadata_fetched_at = models.DateTimeField(_("metadata fetched"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    # --- Search (resources/search/): index tokens, kept current by signals --------------------
    search_text = models.TextField(
        _("search document"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Index tokens of everything searchable about the resource; computed."),
    )
    search_title = models.TextField(
        _("search title"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Index tokens of the title alone, for ranking; computed."),
    )
    # --- end search ---------------------------------------------------------------------------

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["topic__position", "position", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(
                fields=["url_key"], condition=~Q(url_key=""), name="unique_resource_url"
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "position"], name="resource_topic_position"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.url = self.url.strip()
        self.url_key = normalize_url(self.url) if self.url else ""
        self.arxiv_id = (arxiv_id(self.url) or "") if self.url else ""
        # A DOI from arXiv stays unless the URL itself names one.
        url_doi = (doi(self.url) or "") if self.url else ""
        if url_doi or "doi" not in self.metadata_sources:
            self.doi = url_doi
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_with("resources:resource-detail", self.pk)

    @property
    def ordered_authors(self) -> list[Author]:
        return [authorship.author for authorship in self.authorships.all()]

    def get_kind_display(self) -> str:
        # Django's own rebuilds a dict of every choice on each call; a list calls it per row.
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def lang_attr(self) -> str:
        return lang_of(self.title)

    @property
    def schema_type(self) -> str:
        """The schema.org type its page is marked up as (papers, books, courses; else a work)."""
        return SCHEMA_TYPES.get(self.kind, "CreativeWork")


class Authorship(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "author"], name="unique_authorship")
        ]
        verbose_name = _("authorship")
        verbose_name_plural = _("authorships")

    def __str__(self) -> str:
        return f"{self.author} – {self.resource}"

    @classmethod
    def in_order(cls) -> models.QuerySet:
        """Authorships with their authors, first author first: what a prefetch of a
        resource's authors reads."""
        return cls.objects.select_related("author").order_by("position")


class ResourceLink(models.Model):
    """A secondary link of a resource: its code, a talk, a Chinese explainer…"""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.label or self.url
