"""Every change to what the partner search sees is written to the registry's change log, in the change's
transaction: an organisation saved or deleted, a product line, a site or a link added, edited, moved to
another organisation (a merge) or deleted. A moved row logs both organisations; a site or a link logs
both ends (cooperation and own-group facts are kept on both)."""
from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from . import changes

#: The fields of each model that name organisations (the row's own organisation first).
ORGANISATION_FIELDS = {
    "Organisation": ("id", "merged_into_id"),
    "Competency": ("organisation_id",),
    "Site": ("organisation_id", "partner_id"),
    "Link": ("organisation_id", "partner_id"),
}
_LOADED = "_registry_change_loaded"


def _named(instance: Any) -> set[int | None]:
    return {getattr(instance, f, None) for f in ORGANISATION_FIELDS[type(instance).__name__]}


def remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Keep the organisations a row named when it was loaded (a move logs the old one too)."""
    if instance.pk is not None:
        setattr(instance, _LOADED, _named(instance))


def log_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    changes.record(_named(instance) | getattr(instance, _LOADED, set()))
    setattr(instance, _LOADED, _named(instance))


def log_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    changes.record(_named(instance) | getattr(instance, _LOADED, set()))


def connect() -> None:
    from .models import Competency, Link, Organisation, Site

    for model in (Organisation, Competency, Link, Site):
        name = model.__name__
        post_init.connect(remember, sender=model, dispatch_uid=f"registry-change-init-{name}")
        post_save.connect(log_save, sender=model, dispatch_uid=f"registry-change-save-{name}")
        post_delete.connect(log_delete, sender=model, dispatch_uid=f"registry-change-delete-{name}")
