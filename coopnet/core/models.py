"""Base models that carry the cross-cutting features; domain models state only their domain."""
from __future__ import annotations

import uuid

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


class Revision(models.Model):
    """A counter per data set (e.g. "registry") bumped on every change, so caches built from that data
    (the matching index) know in one primary-key read whether they are stale, in every process."""

    name = models.CharField(max_length=40, primary_key=True)
    number = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default="", help_text=_("Random per change: numbers can repeat after a "
                                                                    "rolled-back transaction, tokens do not."))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.name}@{self.number}"

    @classmethod
    def bump(cls, name: str) -> None:
        token = uuid.uuid4().hex
        updated = cls.objects.filter(name=name).update(number=models.F("number") + 1, token=token)
        if not updated:
            cls.objects.get_or_create(name=name, defaults={"number": 1, "token": token})

    @classmethod
    def current(cls, name: str) -> str:
        """An opaque value that changes whenever the data set changes ("" before the first change)."""
        row = cls.objects.filter(name=name).values_list("number", "token").first()
        return f"{row[0]}:{row[1]}" if row else ""
