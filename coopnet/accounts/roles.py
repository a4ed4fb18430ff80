"""Role checks shared by querysets, views and the API."""
from __future__ import annotations

from typing import Any


def profile_of(user: Any) -> Any | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Exception:  # the user has no profile row (RelatedObjectDoesNotExist)
        return None


def has_role(user: Any, *roles: str) -> bool:
    """True when the user is authenticated and holds one of `roles` (superusers hold every role)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    profile = profile_of(user)
    return profile is not None and profile.role in roles
