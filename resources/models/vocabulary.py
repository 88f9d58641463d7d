"""The catalogue's vocabulary: what kinds of resource and languages there are, and the small
helpers every model uses for slugs and `lang` attributes."""

from __future__ import annotations

import re

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    """A slug for `text` that no other row of `model` uses; keeps Chinese characters."""
    base = slugify(text, allow_unicode=True)[:80].strip("-") or "item"
    slug, n = base, 2
    others = model._default_manager.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


HAN = re.compile("[\u4e00-\u9fff]")


def lang_of(text: str) -> str:
    """The HTML lang for a name or title: Chinese text is marked so fonts and readers agree."""
    return "zh-Hans" if HAN.search(text) else "en"


class Kind(models.TextChoices):
    PAPER = "paper", _("Paper")
    BOOK = "book", _("Book")
    COURSE = "course", _("Course")
    NOTES = "notes", _("Lecture notes")
    BLOG = "blog", _("Blog post")
    VIDEO = "video", _("Video")
    TALK = "talk", _("Talk")
    EVENT = "event", _("Event")
    CODE = "code", _("Code")
    WEBSITE = "website", _("Website")
    DISCUSSION = "discussion", _("Discussion")


SCHEMA_TYPES = {
    Kind.PAPER: "ScholarlyArticle",
    Kind.BOOK: "Book",
    Kind.COURSE: "Course",
    Kind.NOTES: "ScholarlyArticle",
    Kind.BLOG: "BlogPosting",
    Kind.VIDEO: "VideoObject",
    Kind.WEBSITE: "WebSite",
}


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
