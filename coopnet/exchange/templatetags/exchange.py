from typing import Any

from django import template

from coopnet.exchange.reasons import reason_text as _reason_text

register = template.Library()


@register.filter
def reason_text(reason: Any) -> str:
    """A matching reason in the page's language: ``{{ reason|reason_text }}``."""
    return _reason_text(reason)
