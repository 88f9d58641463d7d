"""Reading paths: ordered courses of reading that curators compose from the catalogue.

Anyone reads published paths; curators compose them in the admin. A reader's progress along a
path is not stored here: it is read from their own bookmarks' statuses (resources/discovery.py).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resources.models.catalogue import Resource, lang_of


def _chinese_wanted() -> bool:
    return (get_language() or "").lower().startswith("zh")


class ReadingPathQuerySet(models.QuerySet):
    def published(self) -> ReadingPathQuerySet:
        return self.filter(is_published=True)

    def with_steps(self) -> ReadingPathQuerySet:
        """Each path's steps in order, with their resources, in one more query."""
        return self.prefetch_related(
            models.Prefetch(
                "steps",
                queryset=PathStep.objects.select_related("resource").order_by("position", "pk"),
            )
        )


class ReadingPath(models.Model):
    """A curated course of reading: what to read, in which order, and why."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(
        _("title in Chinese"), max_length=200, blank=True, help_text=_("Shown to Chinese readers.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Who the path is for and where it leads.")
    )
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order on the list of paths.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, db_index=True, help_text=_("Unpublished paths are hidden.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReadingPathQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("reading path")
        verbose_name_plural = _("reading paths")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:path-detail", kwargs={"slug": self.slug})

    @property
    def display_title(self) -> str:
        return self.title_zh if self.title_zh and _chinese_wanted() else self.title

    @property
    def display_description(self) -> str:
        if self.description_zh and _chinese_wanted():
            return self.description_zh
        return self.description

    @property
    def lang_attr(self) -> str:
        return lang_of(self.display_title)


class PathStep(models.Model):
    """One resource on a path, at its position, with the curator's note on why it is there."""

    path = models.ForeignKey(
        ReadingPath, verbose_name=_("path"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # SET_NULL, not CASCADE: a resource merged away or deleted must not take the curator's
    # note with it; the step stays, marked as gone, until a curator points it elsewhere.
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="path_steps",
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Why it comes here and what to look for.")
    )
    note_zh = models.TextField(_("note in Chinese"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        indexes = [models.Index(fields=["path", "position"], name="pathstep_path_position")]

    def __str__(self) -> str:
        return f"{self.path} #{self.position}"

    @property
    def display_note(self) -> str:
        return self.note_zh if self.note_zh and _chinese_wanted() else self.note

    @property
    def note_lang(self) -> str:
        return lang_of(self.display_note)
