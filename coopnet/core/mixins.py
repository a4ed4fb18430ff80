"""View mixins that read permissions from the queryset (`restrict`), so a view cannot forget them."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet

from .querysets import CHANGE, VIEW


class RestrictedQuerysetMixin:
    """Generic views: `queryset` is narrowed to what the user may do (`action`)."""

    action = VIEW
    model: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        base = super().get_queryset()  # type: ignore[misc]
        return base.restrict(self.request.user, self.action)  # type: ignore[attr-defined]


class ChangeViewMixin(LoginRequiredMixin, RestrictedQuerysetMixin):
    """Edit and delete views: objects outside the user's change scope are a 404."""

    action = CHANGE
