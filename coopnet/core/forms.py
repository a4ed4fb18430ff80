"""Form helpers shared by the apps."""
from __future__ import annotations

from typing import Any

from .fieldrules import forbidden_fields


class FieldRulesFormMixin:
    """A model form that has only the fields its user may write (the model's `write_rules`, see
    `coopnet.core.fieldrules`): `Form(data, instance=..., user=request.user)`. A value posted for a field
    the form does not have is ignored, as Django ignores any unknown field."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        instance = getattr(self, "instance", None)
        creating = instance is None or instance._state.adding
        fields = self.fields  # type: ignore[attr-defined]
        for name in forbidden_fields(self._meta.model, user, creating=creating, names=list(fields)):  # type: ignore[attr-defined]
            del fields[name]
