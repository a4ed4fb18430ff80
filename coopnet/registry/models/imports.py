"""Bulk import runs: who imported which file when, what it changed, and the row-level report."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopnet.accounts.roles import profile_of
from coopnet.core.querysets import CHANGE, VIEW, RestrictedQuerySet, is_admin

__all__ = ["ImportRun", "ImportStatus"]


class ImportStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CHECKED = "checked", _("Checked (dry run)")
    INVALID = "invalid", _("Refused: invalid rows")
    FAILED = "failed", _("Refused: unreadable file")


class ImportRunQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> ImportRunQuerySet:
        """An import's report (rejected cell values included) is read by its author, by the national contact
        point of the author's country and by administrators; no one changes it."""
        if action not in (VIEW, CHANGE):
            raise ValueError(f"unknown action {action!r}")
        if action == CHANGE or user is None or not getattr(user, "is_authenticated", False):
            return self.all() if action == CHANGE and is_admin(user) else self.none()
        if is_admin(user):
            return self.all()
        mine = Q(user=user)
        profile = profile_of(user)
        if profile is not None and profile.role == "contact_point" and profile.country_id:
            mine |= Q(user__profile__country_id=profile.country_id)
        return self.filter(mine)


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

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
