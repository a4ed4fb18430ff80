"""Which role may write which field: a table on each model, read by its API serializer and its web form.

`restrict(user, "change")` says which rows a user may change; a model's `write_rules` then names the fields
that only some roles may write, when a row is created and when it is changed. A field not in the table is
written by whoever may change the row. For example, the organisation of a product line is given when the
line is created and never changed afterwards (a line does not move to another organisation), and the
provenance of a fact (`source`, `source_note`, `is_synthetic`) is the administrators'.

The API refuses a value for a field the user may not write with a 400 that names the field (sending the
value it already has is accepted: a PUT of what a GET returned); a web form simply has no such field.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .querysets import is_admin

ADMIN = frozenset({"admin"})
CURATORS = frozenset({"admin", "contact_point"})
NOBODY: frozenset[str] = frozenset()
EVERYONE = None  #: no limit by role (the row's change scope still applies)
PROVENANCE_FIELDS = ("source", "source_note", "is_synthetic")


@dataclass(frozen=True)
class FieldRule:
    """Roles that may write a field when a row is created and when it is changed (None: any role), and what
    the API answers to another (empty: "You may not change this field.")."""

    create: frozenset[str] | None
    update: frozenset[str] | None
    message: Any = ""

    def allows(self, role: str | None, creating: bool) -> bool:
        roles = self.create if creating else self.update
        return roles is None or (role is not None and role in roles)


def set_on_create(message: Any = "") -> FieldRule:
    """Given when the row is created, never changed (a product line stays with its organisation)."""
    return FieldRule(create=EVERYONE, update=NOBODY, message=message)


SET_ON_CREATE = set_on_create()
#: the administrators' only
ADMIN_ONLY = FieldRule(create=ADMIN, update=ADMIN)
PROVENANCE = {name: ADMIN_ONLY for name in PROVENANCE_FIELDS}


def role_of(user: Any) -> str | None:
    """"admin" for administrators and superusers, the profile's role otherwise (None: anonymous)."""
    if is_admin(user):
        return "admin"
    from coopnet.accounts.roles import profile_of

    profile = profile_of(user)
    return str(profile.role) if profile is not None else None


def rules_of(model: Any) -> Mapping[str, FieldRule]:
    return getattr(model, "write_rules", {}) or {}


def refusal(model: Any, name: str) -> str:
    from django.utils.translation import gettext as _

    rule = rules_of(model).get(name)
    return str(rule.message) if rule is not None and rule.message else _("You may not change this field.")


def forbidden_fields(model: Any, user: Any, *, creating: bool, names: Iterable[str] | None = None) -> set[str]:
    """The fields of `model` (among `names`, default all with a rule) that `user` may not write."""
    rules = rules_of(model)
    role = role_of(user)
    candidates = rules if names is None else [n for n in names if n in rules]
    return {name for name in candidates if not rules[name].allows(role, creating)}
