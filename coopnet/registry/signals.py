"""Every change to the registry bumps its revision, so the matching index knows it is stale."""
from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from coopnet.core.models import Revision

REVISION = "registry"


def bump_registry_revision(**kwargs: Any) -> None:
    Revision.bump(REVISION)


def connect() -> None:
    from .models import Competency, Link, Organisation, Site

    for model in (Organisation, Competency, Link, Site):
        post_save.connect(bump_registry_revision, sender=model, dispatch_uid=f"registry-revision-save-{model.__name__}")
        post_delete.connect(bump_registry_revision, sender=model,
                            dispatch_uid=f"registry-revision-delete-{model.__name__}")
