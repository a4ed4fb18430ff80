"""Base models that carry the cross-cutting features; domain models state only their domain."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import RestrictedQuerySet


class TrackedModel(models.Model):
    """Creation and update stamps. Concrete models add `history = HistoricalRecords()`."""

    created = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class SourcedModel(models.Model):
    """Provenance of a fact: the seed file and line, a document and page, or "synthetic"."""

    source = models.CharField(
        _("source"), max_length=300, blank=True,
        help_text=_('Where the fact comes from, e.g. "002_34fcb34fd01e1444.txt:507".'),
    )
    source_note = models.TextField(_("source note"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, db_index=True,
        help_text=_("Generated data for tests and scale runs, not a real fact."),
    )

    class Meta:
        abstract = True
