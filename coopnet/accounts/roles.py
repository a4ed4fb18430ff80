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


def public_label(user: Any) -> str:
    """How a person who changed a record is shown to others: their role and organisation or country, never
    their user name (e.g. "Enterprise — MAZ", "National contact point (BY)")."""
    from django.utils.translation import gettext as _

    from .choices import Role

    if user is None:
        return _("system")
    if getattr(user, "is_superuser", False):
        return str(Role.ADMIN.label)
    profile = profile_of(user)
    if profile is None:
        return _("a user")
    role = str(Role(profile.role).label) if profile.role in Role.values else _("a user")
    if profile.organisation_id:
        organisation = profile.organisation
        return f"{role} — {getattr(organisation, 'display_name', None) or organisation.name}"
    if profile.country_id:
        return f"{role} ({profile.country_id})"
    return role


def shown_actor(viewer: Any, user: Any, recorded: str = "") -> str:
    """Who did something, as `viewer` may see it: administrators read the user name, everyone else the role
    and organisation (`public_label`). `recorded` is the name written down when there is no user (e.g. a
    seed document)."""
    from coopnet.core.querysets import is_admin

    if user is None:
        return recorded or public_label(None)
    if is_admin(viewer):
        return f"{user.get_username()} · {public_label(user)}"
    return public_label(user)
