"""The registry's change log: the ordered ids of organisations whose searchable data changed.

Written in the same transaction as the change (``coopnet.registry.changes``), read by every process that
serves the partner search to bring its index up to date (``coopnet.exchange.engine``)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RegistryChange"]


class RegistryChange(models.Model):
    """One changed organisation (``organisation_id``), or every organisation with an id from
    ``organisation_id`` to ``last_id`` (a bulk import). No foreign key: a deleted organisation stays named."""

    id = models.BigAutoField(primary_key=True)
    organisation_id = models.BigIntegerField(_("organisation id"))
    last_id = models.BigIntegerField(_("last organisation id"), null=True, blank=True)
    stamp = models.CharField(_("stamp"), max_length=12, help_text=_("Random per entry: an id can be reused "
                                                                    "after a rollback, a stamp is not."))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("registry change")
        verbose_name_plural = _("registry changes")

    def __str__(self) -> str:
        span = f"{self.organisation_id}–{self.last_id}" if self.last_id is not None else str(self.organisation_id)
        return f"#{self.id}: {span}"
