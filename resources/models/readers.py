"""Readers' own library: bookmarks with a reading status, and notes (private by default).

Each reader reaches only their own bookmarks and notes; public notes are readable by all."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resources.models.catalogue import Resource, lang_of
from resources.rendering import render_markdown


class ReadingStatus(models.TextChoices):
    TO_READ = "to-read", _("To read")
    READING = "reading", _("Reading")
    DONE = "done", _("Done")


class ReaderRow(models.Model):
    """A reader's bookmark or note: it outlives its resource, and a save never re-creates it.

    Deleting a resource (the admin's delete) withdraws it from readers' shelves instead of
    deleting their rows: `resource` becomes empty and the row remembers which resource it
    was and its title (`_withdraw_readers_rows`); restoring the resource re-attaches them.

    Django's `save()` of a fetched row UPDATEs, and when no row matched it INSERTs: a PATCH
    racing a DELETE re-created the note it was saving (or failed on the duplicate key). Here
    a fetched row only ever updates, and a row gone meanwhile raises DoesNotExist (a 404).
    """

    withdrawn_resource_id = models.PositiveBigIntegerField(
        _("withdrawn resource"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The id of the resource, once it was taken out of the catalogue."),
    )
    withdrawn_title = models.CharField(
        _("withdrawn resource's title"), max_length=500, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.resource_id is None

    @property
    def resource_title(self) -> str:
        return self.resource.title if self.resource_id else self.withdrawn_title

    @property
    def title_lang(self) -> str:
        return lang_of(self.resource_title)

    def save(self, *args, **kwargs) -> None:
        existing = not self._state.adding and not kwargs.get("force_insert")
        if not existing:
            return super().save(*args, **kwargs)
        kwargs.setdefault("force_update", True)
        try:
            # A savepoint, so that a failed update leaves an enclosing transaction usable.
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
        except DatabaseError as error:
            # Django's own "did not affect any rows" has no database error behind it.
            if type(error) is DatabaseError and error.__cause__ is None:
                raise self.DoesNotExist(f"{self._meta.verbose_name} {self.pk} is gone") from error
            raise


class BookmarkQuerySet(models.QuerySet):
    def of(self, user) -> BookmarkQuerySet:
        """The bookmarks of `user`; nobody's for an anonymous visitor."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Bookmark(ReaderRow):
    """A resource on a reader's shelf, with where they are in it. Private to its reader."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # withdrawn, not deleted: see ReaderRow
        related_name="bookmarks",
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
        return f"{self.user} – {self.resource_title}"


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """What `user` may read: their own notes and everyone's public ones."""
        # A public note on a withdrawn resource stays its author's alone.
        public = Q(is_public=True, resource__isnull=False)
        if not user.is_authenticated:
            return self.filter(public)
        return self.filter(Q(user=user) | public)


class Annotation(ReaderRow):
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
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # withdrawn, not deleted: see ReaderRow
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
        return f"{self.user} on {self.resource_title}"

    def save(self, *args, **kwargs) -> None:
        # Rendered once here, so pages and the API serve the stored, already sanitised HTML.
        self.body_html = str(render_markdown(self.body))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The note on its resource's page; a withdrawn resource's notes are on My library."""
        if self.resource_id is None:
            return reverse("resources:my-library") + "#withdrawn"
        return f"{self.resource.get_absolute_url()}#note-{self.pk}"

    @property
    def lang_attr(self) -> str:
        return lang_of(self.body)


def withdraw_readers_rows(resource: Resource) -> None:
    """Mark the bookmarks and notes of `resource` as withdrawn from it (before it is deleted,
    which empties their `resource`), so that they stay on their readers' shelves."""
    for model in (Bookmark, Annotation):
        model.objects.filter(resource=resource).update(
            withdrawn_resource_id=resource.pk, withdrawn_title=resource.title
        )


def reattach_readers_rows(resource: Resource) -> int:
    """Give the bookmarks and notes withdrawn from `resource` back to it (it was restored)."""
    return sum(
        model.objects.filter(withdrawn_resource_id=resource.pk, resource__isnull=True).update(
            resource=resource, withdrawn_resource_id=None, withdrawn_title=""
        )
        for model in (Bookmark, Annotation)
    )


@receiver(pre_delete, sender=Resource, dispatch_uid="resources.withdraw_readers_rows")
def _withdraw_readers_rows(sender, instance: Resource, **kwargs) -> None:
    withdraw_readers_rows(instance)


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
