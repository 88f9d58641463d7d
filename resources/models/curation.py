"""Curators' workflow: link health, readers' suggestions and the history of catalogue changes.

Curators (the `curators` group) manage these in the admin; readers see their own suggestions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_migrate, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.signals import pre_create_historical_record

from resources.models.catalogue import Author, Authorship, Resource, ResourceLink, Topic, lang_of


class LinkStatus(models.TextChoices):
    """Outcome of checking one address (contract values, shown in the API)."""

    OK = "ok", _("OK")
    REDIRECT = "redirect", _("Redirected")
    BROKEN = "broken", _("Broken")
    UNREACHABLE = "unreachable", _("Unreachable")
    UNCHECKED = "unchecked", _("Not checked")
    # Not contacted: the host is (or redirected to) a loopback, private or other non-public
    # address. Nothing about it is published (no HTTP status, no final URL).
    BLOCKED = "blocked", _("Blocked (not a public address)")


class LinkCheck(models.Model):
    """The latest check of a resource's main URL or of one of its secondary links."""

    resource = models.OneToOneField(
        Resource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="link_check",
        help_text=_("Set when this checks the resource's main URL."),
    )
    link = models.OneToOneField(
        ResourceLink,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="link_check",
        help_text=_("Set when this checks a secondary link."),
    )
    url = models.URLField(_("URL checked"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LinkStatus.choices,
        default=LinkStatus.UNCHECKED,
        db_index=True,
    )
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(
        _("final URL"), max_length=2000, blank=True, help_text=_("Where redirects ended.")
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, db_index=True)
    elapsed_ms = models.PositiveIntegerField(_("time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at", "pk"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False, link__isnull=True)
                | Q(resource__isnull=True, link__isnull=False),
                name="linkcheck_checks_one_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} – {self.get_status_display()}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """A resource a reader proposes; curators accept (creating it) or reject it with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    url = models.URLField(_("URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=500)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("Where the reader thinks it belongs."),
    )
    reason = models.TextField(_("why"), blank=True, help_text=_("Why it belongs in the library."))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
        db_index=True,
    )
    rejection_reason = models.TextField(
        _("rejection reason"), blank=True, help_text=_("Shown to the reader.")
    )
    created = models.DateTimeField(_("suggested"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text=_("The catalogue entry it became (or already was)."),
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:suggestion-detail", kwargs={"pk": self.pk})

    @property
    def lang_attr(self) -> str:
        return lang_of(self.title)


class TagSnapshot(models.Model):
    """Extra column of a resource's history: its tags when the version was recorded."""

    tag_names = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        abstract = True


# Who changed what, when: every save and delete of these writes a historical row.
register_history(
    Resource, bases=[TagSnapshot], excluded_fields=["updated", "search_text", "search_title"]
)
register_history(Topic)
register_history(Author)
register_history(ResourceLink)
register_history(Authorship)


@receiver(pre_delete, sender=Resource)
def _remember_tags_before_delete(sender, instance: Resource, **kwargs) -> None:
    # Tags are deleted before the deletion is recorded; keep them so a restore brings them back.
    instance._tag_snapshot = sorted(instance.tags.names())


@receiver(pre_create_historical_record, sender=Resource.history.model)
def _snapshot_tags(sender, instance: Resource, history_instance, **kwargs) -> None:
    snapshot = getattr(instance, "_tag_snapshot", None)
    if snapshot is None:
        snapshot = sorted(instance.tags.names()) if history_instance.history_type != "+" else []
    instance.__dict__.pop("_tag_snapshot", None)
    history_instance.tag_names = snapshot


@receiver(post_migrate, dispatch_uid="resources.curators_role")
def _apply_curators_role(sender, app_config=None, apps=None, **kwargs) -> None:
    # After every migrate (and after a test database flush) the group matches the models.
    if app_config is not None and app_config.label == "resources":
        from resources.roles import apply_curator_role

        apply_curator_role(*([apps] if apps is not None else []))
