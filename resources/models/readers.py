"""Readers' own library: bookmarks with a reading status, and notes (private by default).

Each reader reaches only their own bookmarks and notes; public notes are readable by all."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resources.models.catalogue import Resource, lang_of
from resources.rendering import render_markdown


class ReadingStatus(models.TextChoices):
    TO_READ = "to-read", _("To read")
    READING = "reading", _("Reading")
    DONE = "done", _("Done")


class BookmarkQuerySet(models.QuerySet):
    def of(self, user) -> BookmarkQuerySet:
        """The bookmarks of `user`; nobody's for an anonymous visitor."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Bookmark(models.Model):
    """A resource on a reader's shelf, with where they are in it. Private to its reader."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="bookmarks"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReadingStatus.choices,
        default=ReadingStatus.TO_READ,
        help_text=_("Where the reader is in this resource."),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The reader's own rating, 1 to 5; empty for none."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="unique_bookmark"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="bookmark_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.resource}"


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """What `user` may read: their own notes and everyone's public ones."""
        if not user.is_authenticated:
            return self.filter(is_public=True)
        return self.filter(Q(user=user) | Q(is_public=True))


class Annotation(models.Model):
    """A reader's note on a resource, in Markdown with TeX; private unless made public."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="annotations",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="annotations",
    )
    body = models.TextField(
        _("note"),
        max_length=20000,
        help_text=_("Markdown; mathematics as $…$, $$…$$, \\(…\\) or \\[…\\]."),
    )
    body_html = models.TextField(
        _("note as HTML"),
        blank=True,
        editable=False,
        help_text=_("The note rendered and sanitised; rebuilt on every save."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public notes appear on the resource page with their author's name."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [
            models.Index(fields=["resource", "is_public"], name="annotation_resource_public"),
            models.Index(fields=["user", "resource"], name="annotation_user_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.resource}"

    def save(self, *args, **kwargs) -> None:
        # Rendered once here, so pages and the API serve the stored, already sanitised HTML.
        self.body_html = str(render_markdown(self.body))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def lang_attr(self) -> str:
        return lang_of(self.body)


class ReaderProfile(models.Model):
    """What a reader chose for the site itself, kept across devices: for now, its language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="reader_profile",
    )
    language = models.CharField(
        _("interface language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the browser's language decides."),
    )

    class Meta:
        verbose_name = _("reader profile")
        verbose_name_plural = _("reader profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def remember_language(cls, user, language: str) -> None:
        """Keep `language` as `user`'s choice (one upsert)."""
        cls.objects.update_or_create(user=user, defaults={"language": language})
