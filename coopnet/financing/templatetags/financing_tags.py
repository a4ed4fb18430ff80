from __future__ import annotations

from typing import Any

from django import template

from coopnet.accounts.roles import has_role

register = template.Library()


@register.filter
def holds_role(user: Any, role: str) -> bool:
    """``{% if user|holds_role:"commission" %}``"""
    return has_role(user, role)
