"""Matching reasons in the reader's language.

The pure engine (coopnet.logic.matching) writes each reason's ``text`` in English for the API and the
command line, and puts the facts behind it in the reason's data (kind, codes, words, km, ...). Pages
write the reason again from those facts with translatable phrases; in English the result is the
engine's own text. A reason this module does not know is shown as the engine wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["reason_text"]

SCHEMES = {"hs": gettext_lazy("HS"), "nace": gettext_lazy("NACE")}
DEPTHS = {
    "chapter": gettext_lazy("chapter"),
    "heading": gettext_lazy("heading"),
    "subheading": gettext_lazy("subheading"),
    "TN VED 8-digit": gettext_lazy("TN VED 8-digit"),
    "TN VED 10-digit": gettext_lazy("TN VED 10-digit"),
    "division": gettext_lazy("division"),
    "group": gettext_lazy("group"),
    "class": gettext_lazy("class"),
    "sub-class": gettext_lazy("sub-class"),
    "code": gettext_lazy("code"),
}


def _facts(reason: Any) -> Mapping[str, Any]:
    if isinstance(reason, Mapping):
        return reason
    return {**getattr(reason, "data", {}), "kind": getattr(reason, "kind", ""), "text": getattr(reason, "text", "")}


def _number(value: float) -> str:
    return f"{value:g}"


def _codes(r: Mapping[str, Any]) -> str:
    depth = str(DEPTHS.get(r["depth"], r["depth"]))
    via_depth = str(DEPTHS.get(r["via_depth"], r["via_depth"]))
    args = {"label": SCHEMES[r["scheme"]], "code": r["code"], "their": r["their_code"], "via": r["via"],
            "depth": depth, "via_depth": via_depth}
    head = (_("%(label)s %(code)s (from the glossary)") if r.get("from_glossary") else _("%(label)s %(code)s")) % args
    relation = r["relation"]
    if relation == "same":
        how = _("same code")
    elif relation == "inside":
        how = _("their %(their)s is inside the requested %(depth)s") % args
    elif relation == "contains":
        how = _("their %(via_depth)s %(via)s contains it") % args
    elif relation == "sibling":
        how = _("same %(via_depth)s %(via)s (their %(their)s)") % args
    else:
        raise KeyError(relation)
    return f"{head}: {how}"


def _words(r: Mapping[str, Any]) -> str:
    own, via = r.get("words") or [], r.get("glossary_words") or []
    text = _("words matched: %(words)s") % {"words": ", ".join(own)} if own else _("no words of the request")
    if via:
        text += _("; through the glossary: %(words)s") % {"words": ", ".join(via)}
    return text


def _capacity(r: Mapping[str, Any]) -> str:
    args = {"capacity": _number(r["capacity"]), "quantity": _number(r["quantity"])}
    if r["kind"] == "capacity_short":
        return _("capacity %(capacity)s below %(quantity)s") % args
    if r["capacity"] >= r["quantity"]:
        return _("capacity %(capacity)s covers %(quantity)s") % args
    return _("capacity %(capacity)s covers half of %(quantity)s") % args


def _cooperation(r: Mapping[str, Any]) -> str:
    if "partner_name" in r:
        return _("already cooperates with %(name)s") % {"name": r["partner_name"]}
    return _("already present in %(country)s") % {"country": r["present_in"]}


WRITERS = {
    "codes": _codes,
    "words": _words,
    "certifications": lambda r: _("holds %(certs)s") % {"certs": ", ".join(r["held"])},
    "certifications_missing": lambda r: _("does not declare %(certs)s") % {"certs": ", ".join(r["missing"])},
    "capacity": _capacity,
    "capacity_short": _capacity,
    "distance": lambda r: _("%(km)s km from the buyer") % {"km": number_format(r["km"], force_grouping=True)},
    "cross_border": lambda r: _("cross-border cooperation %(buyer)s–%(country)s inside the EAEU")
    % {"buyer": r["buyer_country"], "country": r["country"]},
    "cooperation": _cooperation,
}


def reason_text(reason: Any) -> str:
    """The reason in the current language (a Reason of the engine or its dict form)."""
    r = _facts(reason)
    writer = WRITERS.get(r.get("kind", ""))
    if writer is not None:
        try:
            return writer(r)
        except (KeyError, TypeError, ValueError):
            pass  # an answer from an older engine, without the facts: its own text
    return str(r.get("text", ""))
