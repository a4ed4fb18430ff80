"""Models of the stats app.

The observations themselves live in the columnar store (Parquet under ``STATS_DIR``, queried by DuckDB:
one query path for every indicator). The database keeps the record of each batch written or rejected:
who imported which file, when, with what result — with history, like every business model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopnet.core.models import TrackedModel
from coopnet.core.querysets import CHANGE, RestrictedQuerySet, is_admin

from .choices import DatasetFormat, DatasetStatus

#: Roles that may import statistics (besides administrators).
IMPORT_ROLES = ("analyst", "commission")


class DatasetQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> DatasetQuerySet:
        """Everyone sees the list of datasets; administrators, analysts and the Commission import."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        if may_import(user):
            return self.all()
        return self.none()


def may_import(user: Any) -> bool:
    from coopnet.accounts.roles import has_role

    return is_admin(user) or has_role(user, *IMPORT_ROLES)


class Dataset(TrackedModel):
    """One import (or generator run) into the store: the batch id, the file and the outcome."""

    batch = models.CharField(_("batch"), max_length=120, db_index=True)
    format = models.CharField(_("format"), max_length=12, choices=DatasetFormat.choices)
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DatasetStatus.choices, default=DatasetStatus.REJECTED)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    observations = models.PositiveBigIntegerField(_("observations written"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return f"{self.batch} ({self.get_status_display()})"
