"""Serializer helpers shared by the apps: the model's own rules and the fields a role may write."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import empty

from coopnet.core.fieldrules import forbidden_fields, refusal


class ModelCleanMixin:
    """Run the model's own clean() and its constraints, so that the API enforces the same rules as the web
    forms and a duplicate (e.g. a ref another organisation has) is a 400 naming the field, not a server error."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        instance = self.instance if self.instance is not None else model()  # type: ignore[attr-defined]
        for key, value in attrs.items():
            setattr(instance, key, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        try:
            instance.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self._name_the_field(exc.message_dict, attrs)) from exc
        for key in attrs:
            attrs[key] = getattr(instance, key)
        return attrs


    def _name_the_field(self, errors: dict[str, list[str]], attrs: dict[str, Any]) -> dict[str, list[str]]:
        """A unique constraint over several fields reports a non-field error; name the field the request sent
        (e.g. "ref": "Another organisation already has this reference in this source.")."""
        if set(errors) != {NON_FIELD_ERRORS}:
            return errors
        for constraint in self.Meta.model._meta.constraints:  # type: ignore[attr-defined]
            sent = [name for name in getattr(constraint, "fields", ()) if name in attrs]
            if sent:
                return {sent[-1]: errors[NON_FIELD_ERRORS]}
        return errors


class FieldRulesMixin:
    """Only the fields the request's user may write are writable (the model's `write_rules`, see
    `coopnet.core.fieldrules`). A value sent for another field is refused with a 400 naming it, unless it is
    the value the row already has. The schema (no user) documents every field as writable."""

    def _forbidden(self) -> set[str]:
        context = getattr(self, "context", {})
        view = context.get("view")
        request = context.get("request")
        if request is None or getattr(view, "swagger_fake_view", False):
            return set()
        model = self.Meta.model  # type: ignore[attr-defined]
        return forbidden_fields(model, request.user, creating=getattr(self, "instance", None) is None,
                                names=self.fields)  # type: ignore[attr-defined]

    def to_internal_value(self, data: Any) -> Any:
        forbidden = self._forbidden()
        errors: dict[str, list[str]] = {}
        if forbidden and hasattr(data, "get"):
            for name in sorted(forbidden):
                value = data.get(name, empty)
                if value is not empty and not self._is_current(name, value):
                    errors[name] = [refusal(self.Meta.model, name)]  # type: ignore[attr-defined]
        if errors:
            raise serializers.ValidationError(errors)
        saved = {name: self.fields[name].read_only for name in forbidden}  # type: ignore[attr-defined]
        for name in forbidden:
            self.fields[name].read_only = True  # type: ignore[attr-defined]
        try:
            return super().to_internal_value(data)  # type: ignore[misc]
        finally:
            for name, read_only in saved.items():
                self.fields[name].read_only = read_only  # type: ignore[attr-defined]

    def _is_current(self, name: str, value: Any) -> bool:
        """True when `value` is what the row has (a new row: the field's default)."""
        instance = getattr(self, "instance", None)
        if instance is None:
            instance = self.Meta.model()  # type: ignore[attr-defined]
        field = self.fields[name]  # type: ignore[attr-defined]
        try:
            attribute = field.get_attribute(instance)
            current = None if attribute is None else field.to_representation(attribute)
        except Exception:  # an unset relation and the like: not comparable, so not the current value
            return False
        if current is None or isinstance(current, bool):
            return current == value or str(current).lower() == str(value).lower() or (current is None and value == "")
        return bool(current == value or str(current) == str(value))
