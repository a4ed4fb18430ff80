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


@register.simple_tag(takes_context=True)
def actor(context: Any, user: Any, recorded: str = "") -> str:
    """Who changed a record, as the page's viewer may see it: `{% actor record.history_user %}` (the user
    name for administrators only, the role and organisation for everyone else)."""
    from coopnet.accounts.roles import shown_actor

    request = context.get("request")
    return shown_actor(getattr(request, "user", None), user, recorded)


@register.filter
def web_url(value: Any) -> str:
    """A stored address as a link target only when it is a web address (http or https): a `javascript:` or
    `data:` URL from an import or an old record is shown as text, never linked."""
    from urllib.parse import urlsplit

    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ("http", "https") else ""
