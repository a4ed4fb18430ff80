"""Bulk import runs: who imported which file when, what it changed, and the row-level report."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportRun", "ImportStatus"]


class ImportStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CHECKED = "checked", _("Checked (dry run)")
    INVALID = "invalid", _("Refused: invalid rows")
    FAILED = "failed", _("Refused: unreadable file")


class ImportRun(models.Model):
    """One import of one file. Nothing of a refused file is written except this record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="registry_imports")
    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=300)
    source = models.CharField(_("import source"), max_length=100,
                              help_text=_("Refs are unique within a source; re-importing updates them."))
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    duplicates_count = models.PositiveIntegerField(_("duplicate candidates"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-started"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
