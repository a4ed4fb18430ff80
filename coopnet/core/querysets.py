"""Permissions live in querysets, so a view cannot forget them."""
from __future__ import annotations

from typing import Any

from django.db import models

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


class RestrictedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """`Model.objects.restrict(user, action)` returns what `user` may see or change.

    The default: everyone may view; only superusers and administrators may change. Models with
    finer rules subclass this and override `restrict`.
    """

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if action == VIEW:
            return self.all()
        if is_admin(user):
            return self.all()
        return self.none()


def is_admin(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile is not None and profile.role == "admin")
