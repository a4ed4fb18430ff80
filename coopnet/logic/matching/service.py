"""The one interface the web views, the API and the command line share.

``parse_request`` turns loosely typed parameters (form fields, JSON, command-line strings) into a
validated :class:`MatchRequest` with clear messages; ``run_match`` and ``run_consortium`` return the
JSON-ready answers of the documented contract.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from .consortium import ComponentLine, find_consortia, parse_bom_csv
from .index import MAX_LIMIT, normalise_codes
from .model import MEMBER_STATES, Match, MatchRequest, MatchRequestError, Searchable

_FIELDS = {
    "text",
    "hs",
    "nace",
    "quantity",
    "unit",
    "certification",
    "certifications",
    "countries",
    "exclude_countries",
    "buyer_country",
    "buyer_region",
    "buyer_lat",
    "buyer_lon",
    "buyer_id",
    "limit",
}


def _list(value: Any, name: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: Iterable[Any] = value.replace(";", ",").split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise MatchRequestError(f"{name} must be a list or a comma-separated string")
    out: list[str] = []
    for item in items:
        if not isinstance(item, (str, int)):
            raise MatchRequestError(f"{name} must contain strings")
        s = str(item).strip()
        if s:
            out.append(s)
    return tuple(out)


def _countries(value: Any, name: str) -> tuple[str, ...]:
    out = tuple(c.upper() for c in _list(value, name))
    for c in out:
        if len(c) != 2 or not c.isalpha() or not c.isascii():
            raise MatchRequestError(f"{name}: {c!r} is not a two-letter country code (e.g. BY, KZ)")
    return out


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise MatchRequestError(f"{name} must be a number")
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError) as exc:
        raise MatchRequestError(f"{name} must be a number, not {value!r}") from exc
    if math.isnan(number) or math.isinf(number):
        raise MatchRequestError(f"{name} must be a finite number")
    return number


def parse_request(params: Mapping[str, Any], *, strict: bool = False) -> MatchRequest:
    """Validate parameters; `strict` rejects unknown fields (for the API)."""
    if strict:
        unknown = sorted(set(params) - _FIELDS)
        if unknown:
            raise MatchRequestError(f"unknown field(s): {', '.join(unknown)}")
    text = params.get("text") or ""
    if not isinstance(text, str):
        raise MatchRequestError("text must be a string")
    if len(text) > 2000:
        raise MatchRequestError("text is longer than 2000 characters")
    hs = tuple(normalise_codes("hs", _list(params.get("hs"), "hs")))
    nace = tuple(normalise_codes("nace", _list(params.get("nace"), "nace")))
    certs = _list(params.get("certifications"), "certifications") + _list(params.get("certification"), "certification")
    limit_raw = params.get("limit")
    limit = 10
    if limit_raw not in (None, ""):
        limit_num = _number(limit_raw, "limit")
        if limit_num is None or limit_num != int(limit_num) or not 1 <= limit_num <= MAX_LIMIT:
            raise MatchRequestError(f"limit must be a whole number between 1 and {MAX_LIMIT}")
        limit = int(limit_num)
    quantity = _number(params.get("quantity"), "quantity")
    if quantity is not None and quantity < 0:
        raise MatchRequestError("quantity cannot be negative")
    lat = _number(params.get("buyer_lat"), "buyer_lat")
    lon = _number(params.get("buyer_lon"), "buyer_lon")
    if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
        raise MatchRequestError("buyer_lat / buyer_lon out of range")
    buyer = _countries(params.get("buyer_country"), "buyer_country")
    if len(buyer) > 1:
        raise MatchRequestError("buyer_country takes one country")
    for key in ("unit", "buyer_region", "buyer_id"):
        if params.get(key) is not None and not isinstance(params.get(key), str):
            raise MatchRequestError(f"{key} must be a string")
    req = MatchRequest(
        text=text.strip(),
        hs=hs,
        nace=nace,
        quantity=quantity,
        unit=str(params.get("unit") or ""),
        certifications=certs,
        countries=_countries(params.get("countries"), "countries"),
        exclude_countries=_countries(params.get("exclude_countries"), "exclude_countries"),
        buyer_country=buyer[0] if buyer else "",
        buyer_region=str(params.get("buyer_region") or "").upper(),
        buyer_lat=lat,
        buyer_lon=lon,
        buyer_id=str(params.get("buyer_id") or ""),
        limit=limit,
    )
    if not req.text and not req.hs and not req.nace and not req.certifications:
        raise MatchRequestError("the request needs some text, an HS or NACE code, or a certification")
    return req


#: How many of the closest organisations an answer with nothing suitable names.
CLOSEST = 3


def split_suitable(matches: list[Match]) -> tuple[list[Match], list[Match]]:
    """(the suitable matches, or [] ; the closest few when none is suitable)."""
    good = [m for m in matches if m.suitable]
    return good, ([] if good else matches[:CLOSEST])


def run_match(index: Searchable, params: Mapping[str, Any] | MatchRequest, *, strict: bool = False) -> dict[str, Any]:
    """The documented answer: ``{"results": [{"ref", "id", "name", "country", "score", "reasons", "suitable"},
    ...], "nothing_suitable": bool, "closest": [...]}`` — the results are the suitable organisations; when
    there are none, ``closest`` names the nearest few and ``nothing_suitable`` is true."""
    req = params if isinstance(params, MatchRequest) else parse_request(params, strict=strict)
    good, closest = split_suitable(index.match(req))
    return {
        "results": [m.to_dict() for m in good],
        "nothing_suitable": not good,
        "closest": [m.to_dict() for m in closest],
    }


def parse_lines(items: Any) -> list[ComponentLine]:
    """Component lines from JSON: a list of {label|component, text, hs, nace, quantity} or code strings."""
    if not isinstance(items, list) or not items:
        raise MatchRequestError("lines must be a non-empty list")
    out: list[ComponentLine] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            label = item.strip()
            if not label:
                raise MatchRequestError(f"line {n} is empty")
            codes = label.split(":", 1)
            if len(codes) == 2 and codes[0].lower() in ("hs", "nace"):
                scheme, value = codes[0].lower(), codes[1].strip()
                normalise_codes(scheme, [value])
                out.append(
                    ComponentLine(
                        label=label,
                        hs=(value,) if scheme == "hs" else (),
                        nace=(value,) if scheme == "nace" else (),
                    )
                )
            else:
                out.append(ComponentLine(label=label, text=label))
            continue
        if not isinstance(item, Mapping):
            raise MatchRequestError(f"line {n} must be an object or a string")
        label = str(item.get("label") or item.get("component") or item.get("text") or "").strip()
        hs = _list(item.get("hs"), f"line {n} hs")
        nace = _list(item.get("nace"), f"line {n} nace")
        normalise_codes("hs", hs)
        normalise_codes("nace", nace)
        text = item.get("text") or ""
        if not isinstance(text, str):
            raise MatchRequestError(f"line {n}: text must be a string")
        if not label:
            label = " ".join(hs + nace)
        if not label:
            raise MatchRequestError(f"line {n} needs a label, text or codes")
        out.append(
            ComponentLine(
                label=label,
                text=text,
                hs=hs,
                nace=nace,
                quantity=_number(item.get("quantity"), f"line {n} quantity"),
            )
        )
    return out


def run_consortium(index: Searchable, params: Mapping[str, Any]) -> dict[str, Any]:
    """``{"lines": [...] | "bom_csv": "...", "min_countries": 3, "exclude_countries": [...], "limit": 5}``."""
    if params.get("bom_csv"):
        if not isinstance(params["bom_csv"], str):
            raise MatchRequestError("bom_csv must be the CSV text")
        lines = parse_bom_csv(params["bom_csv"])
    else:
        lines = parse_lines(params.get("lines"))
    min_countries = _number(params.get("min_countries"), "min_countries")
    limit = _number(params.get("limit"), "limit")
    if limit is not None and (limit != int(limit) or not 1 <= limit <= 50):
        raise MatchRequestError("limit must be a whole number between 1 and 50")
    countries = _countries(params.get("countries"), "countries") or MEMBER_STATES
    result = find_consortia(
        index,
        lines,
        min_countries=int(min_countries) if min_countries is not None else 3,
        countries=countries,
        exclude=_countries(params.get("exclude_countries"), "exclude_countries"),
        certifications=_list(params.get("certifications"), "certifications"),
        limit=int(limit) if limit is not None else 5,
    )
    return result.to_dict()
