"""Search synonyms: groups of terms a search treats as one; curators edit them in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchSynonym(models.Model):
    """Terms a search treats as one: an acronym and its expansion, a Chinese and English term."""

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_(
            "Comma-separated terms that mean the same, e.g. "
            '"NTK, neural tangent kernel, 神经正切核". Searching for any finds all.'
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return " ↔ ".join(self.term_list())

    def term_list(self) -> list[str]:
        parts = self.terms.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
        return [" ".join(part.split()) for part in parts if part.strip()]
