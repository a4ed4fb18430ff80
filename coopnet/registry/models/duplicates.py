"""Duplicate candidates (a match record a person confirms) and public-ID aliases after a merge."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DuplicateCandidate", "DuplicateStatus", "PublicIdAlias"]


class DuplicateStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    AUTOMATIC = "automatic", _("Automatic (above the high threshold)")
    CONFIRMED = "confirmed", _("Confirmed duplicate")
    REJECTED = "rejected", _("Rejected: different organisations")
    MERGED = "merged", _("Merged")


class DuplicateCandidate(models.Model):
    """Two organisations that may be the same, with the confidence and the reasons of the scorer.

    The pair is stored once, lower id first. A rejected pair is not proposed again."""

    organisation_a = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    organisation_b = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField(_("confidence"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=DuplicateStatus.choices,
                              default=DuplicateStatus.PENDING, db_index=True)
    import_run = models.ForeignKey("registry.ImportRun", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="duplicates")
    found = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-confidence", "pk"]
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        constraints = [
            models.UniqueConstraint(fields=["organisation_a", "organisation_b"], name="registry_duplicate_pair_once",
                                    violation_error_message=_("This pair is already a candidate.")),
            models.CheckConstraint(condition=models.Q(organisation_a__lt=models.F("organisation_b")),
                                   name="registry_duplicate_pair_ordered",
                                   violation_error_message=_("Store a pair with the lower id first.")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_a_id} ~ {self.organisation_b_id} ({self.confidence:.2f})"


class PublicIdAlias(models.Model):
    """An old public ID that still resolves: after a merge the absorbed organisation's ID points to the
    organisation that absorbed it."""

    public_id = models.CharField(_("public ID"), max_length=20, unique=True)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="aliases")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["public_id"]
        verbose_name = _("public ID alias")
        verbose_name_plural = _("public ID aliases")

    def __str__(self) -> str:
        return f"{self.public_id} → {self.organisation_id}"
