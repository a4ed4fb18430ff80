"""The main menu: each module's entry page, shown when the module's URL exists."""
from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MENU = (
    ("exchange:search", _("Partner search")),
    ("exchange:board", _("Opportunities")),
    ("exchange:consortium", _("Consortium finder")),
    ("financing:checker", _("Subsidy check")),
    ("financing:applications", _("Joint projects")),
    ("plans:register", _("Plans")),
    ("stats:dashboard", _("Industrialisation map")),
)


def _entries() -> list[dict[str, str]]:
    entries = []
    for name, label in MENU:
        try:
            entries.append({"url": reverse(name), "label": str(label)})
        except NoReverseMatch:
            continue
    return entries


def menu(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    return {"coopnet_nav": _entries()}
