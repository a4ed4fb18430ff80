from typing import Any

from django import template

register = template.Library()


@register.filter
def verbose_name(obj: Any) -> str:
    """The verbose name of a model instance or a simple-history record's model."""
    model = getattr(obj, "instance_type", None) or type(obj)
    return str(model._meta.verbose_name)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
