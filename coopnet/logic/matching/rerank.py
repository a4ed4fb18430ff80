"""The domain re-ranker: exact scores and reasons for a few hundred candidate organisations.

Pure functions over *profiles* — the plain dict the index stores for each organisation (see
:func:`profile`). The retrieval only has to bring the right organisations among the candidates; the
score a user sees is computed here, from the request's :class:`~.plan.Plan`:

* words — BM25 (k1 1.2, b 0.2) of the request's roots, as a share of the request's words (glossary
  translations at 0.6), at most 1;
* codes — the best relation of one of the organisation's codes to a code asked for (same 1.0, inside
  0.85, parent 0.7, grandparent 0.45, sibling 0.4 / 0.1, cousin 0.15; × 0.9 when the glossary implied it);
* certifications held among those asked for;
* bonuses: capacity covering the quantity, distance to the buyer, cross-border value inside the EAEU,
  earlier cooperation with the buyer (or presence in the buyer's country).

A result is *suitable* when its score reaches :data:`SUITABLE` and it matches on something specific — a
word of the request or a code at least as close as a parent — so a request no organisation answers says
so instead of listing weak look-alikes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from .index import (
    BONUS_CAPACITY,
    BONUS_COOPERATION,
    BONUS_CROSS_BORDER,
    BONUS_DISTANCE,
    GLOSSARY_CODE_FACTOR,
    K1,
    W_CERTS,
    W_CODES,
    W_WORDS,
    B,
    _ancestors,
    _code_relation_text,
    _depth_name,
    _sibling_weight,
    haversine_km,
    normalise_cert,
    normalise_codes,
)
from .model import MEMBER_STATES, Match, MatchRequest, OrgRow, Reason
from .plan import Plan, cert_matches, code_keys
from .text import roots

#: The least score of a result that is offered as a partner (below it: "nothing suitable; the closest").
SUITABLE = 0.3
#: The least code relation that counts as specific on its own: the same code or one inside it (0.85; from the
#: glossary 0.9 and 0.77); a parent code (0.7: "their chapter 84 contains it") is not.
SPECIFIC_CODE = 0.75
#: The least share of the request's words that counts as specific on its own (more than half: "copper wire" is not
#: answered by a maker of steel wire).
SPECIFIC_WORDS = 0.6

Profile = dict[str, Any]


def profile(row: OrgRow, glossary_codes: Any = None) -> Profile:
    """What the re-ranker needs of one organisation, as plain JSON-ready data.

    `glossary_codes(text)` gives (hs, nace) for a line that declares no codes (the glossary's guess)."""
    tf: dict[str, int] = {}
    length = 0
    texts = [row.name, row.name_en]
    for line in row.lines:
        texts.extend((line.text_ru, line.text_en))
    for text in texts:
        if not text:
            continue
        for r in _roots(text):
            tf[r] = tf.get(r, 0) + 1
            length += 1
    exact: dict[str, None] = {}
    capacities: list[list[Any]] = []
    held: dict[str, str] = {}
    for line in row.lines:
        guess = "" if line.hs or line.nace else line.text_ru + " " + line.text_en
        line_exact = _line_keys(line.hs, line.nace, guess, glossary_codes)
        exact.update(dict.fromkeys(line_exact))
        if line.capacity is not None:
            capacities.append([float(line.capacity), line.capacity_unit or "", list(line_exact)])
        for cert in line.certifications:
            key = normalise_cert(cert)
            if key and key not in held:
                held[key] = cert.strip()
    return {
        "k": row.key,
        "id": row.id,
        "ref": row.ref,
        "n": row.name,
        "cc": row.country,
        "rg": row.region or "",
        "lat": row.lat,
        "lon": row.lon,
        "tf": tf,
        "dl": length,
        "codes": list(exact),
        "ce": list(held),
        "cl": list(held.values()),
        "cap": capacities,
        "pa": list(row.partners),
        "fp": list(row.footprint),
        "gr": list(row.group),
    }


@lru_cache(maxsize=200_000)
def _roots(text: str) -> tuple[str, ...]:
    return tuple(roots(text))


@lru_cache(maxsize=100_000)
def _line_keys(hs: tuple[str, ...], nace: tuple[str, ...], guess: str, glossary_codes: Any) -> tuple[str, ...]:
    """The exact keys of a line's codes; a line without codes gets the glossary's guess from `guess`."""
    found: list[tuple[str, str]] = []
    for scheme, raw in (("hs", hs), ("nace", nace)):
        for item in raw:
            try:
                found.extend((scheme, c) for c in normalise_codes(scheme, [item]))
            except ValueError:
                continue
    if not found and glossary_codes is not None and guess.strip():
        hs_codes, nace_codes = glossary_codes(guess)
        found = [("hs", c) for c in hs_codes] + [("nace", c) for c in nace_codes]
    return tuple(dict.fromkeys(code_keys(scheme, code)[0] for scheme, code in found))


def weight_of(plan: Plan) -> float:
    return W_WORDS + (W_CODES if plan.has_codes else 0.0) + (W_CERTS if plan.certs else 0.0)


def word_score(plan: Plan, p: Profile, avgdl: float) -> tuple[float, list[int]]:
    """(share of the request's words, positions in plan.terms of the words the organisation has)."""
    tf_map: dict[str, int] = p["tf"]
    norm = K1 * (1 - B + B * p["dl"] / max(avgdl, 1e-9))
    total = 0.0
    found: list[int] = []
    for j, term in enumerate(plan.terms):
        tf = tf_map.get(term.root)
        if tf:
            total += term.idf * term.weight * tf * (K1 + 1) / (tf + norm)
            found.append(j)
    return min(total / plan.denominator, 1.0), found


def keys_of(exact: Iterable[str]) -> tuple[str, ...]:
    """Every index key of an organisation's codes ("h=8408" -> "h=8408", "h:8408", "h:84")."""
    out: dict[str, None] = {}
    for name in exact:
        out.update(dict.fromkeys(sorted(_keys_of_code(name))))
    return tuple(out)


@lru_cache(maxsize=100_000)
def _keys_of_code(name: str) -> frozenset[str]:
    key, prefixes = code_keys("hs" if name[0] == "h" else "nace", name[2:])
    return frozenset((key, *prefixes))


def code_score(plan: Plan, p: Profile) -> float:
    weights = plan.code_weights
    best = 0.0
    for name in p["codes"]:
        for k in weights.keys() & _keys_of_code(name):
            best = max(best, weights[k])
    return best


def cert_held(plan: Plan, p: Profile) -> tuple[list[str], list[str]]:
    held: list[str] = []
    missing: list[str] = []
    for asked, key in plan.certs:
        (held if any(cert_matches(key, h) for h in p["ce"]) else missing).append(asked)
    return held, missing


def base_score(plan: Plan, p: Profile, avgdl: float) -> tuple[float, float, float, float, list[int]]:
    """(combined, words, codes, certs, words found) before the bonuses."""
    words, found = word_score(plan, p, avgdl)
    codes = code_score(plan, p) if plan.has_codes else 0.0
    certs = len(cert_held(plan, p)[0]) / len(plan.certs) if plan.certs else 0.0
    total = W_WORDS * words + W_CODES * codes + W_CERTS * certs
    return total / weight_of(plan), words, codes, certs, found


def capacities(plan: Plan, p: Profile, unit: str) -> list[float]:
    """The organisation's capacities in the request's unit, those of lines with a requested code first."""
    wanted = {("h=" if s == "hs" else "n=") + c for s, c, _ in plan.req_codes}
    related: list[float] = []
    every: list[float] = []
    for cap, cap_unit, keys in p["cap"]:
        if unit and cap_unit and cap_unit.lower() != unit.lower():
            continue
        every.append(cap)
        if wanted & set(keys):
            related.append(cap)
    return related or every


def bonuses(
    req: MatchRequest,
    plan: Plan,
    p: Profile,
    point: tuple[float, float] | None,
    buyer: Profile | None,
    reasons: list[Reason] | None,
) -> float:
    """Capacity, distance, cross-border and cooperation bonuses (and their reasons when `reasons` is a list)."""
    bonus = 0.0

    def add(kind: str, text: str, weight: float, data: dict[str, Any]) -> None:
        nonlocal bonus
        bonus += weight
        if reasons is not None:
            reasons.append(Reason(kind, text, weight, data))

    if req.quantity is not None:
        caps = capacities(plan, p, req.unit)
        if caps:
            best = max(caps)
            data = {"capacity": best, "quantity": req.quantity}
            if best >= req.quantity:
                add("capacity", f"capacity {best:g} covers {req.quantity:g}", BONUS_CAPACITY, data)
            elif best >= req.quantity / 2:
                add("capacity", f"capacity {best:g} covers half of {req.quantity:g}", BONUS_CAPACITY / 2, data)
            else:
                add("capacity_short", f"capacity {best:g} below {req.quantity:g}", 0.0, data)
    if point is not None and p["lat"] is not None and p["lon"] is not None:
        km = haversine_km(point[0], point[1], float(p["lat"]), float(p["lon"]))
        add("distance", f"{km:,.0f} km from the buyer", BONUS_DISTANCE * max(0.0, 1.0 - km / 6000.0),
            {"km": round(km)})
    country = p["cc"]
    if req.buyer_country and country != req.buyer_country and country in MEMBER_STATES and (
        req.buyer_country in MEMBER_STATES
    ):
        add("cross_border", f"cross-border cooperation {req.buyer_country}–{country} inside the EAEU",
            BONUS_CROSS_BORDER, {"buyer_country": req.buyer_country, "country": country})
    if buyer is not None and p["id"] in buyer["pa"]:
        add("cooperation", f"already cooperates with {buyer['n']}", BONUS_COOPERATION,
            {"partner": buyer["id"], "partner_name": buyer["n"]})
    elif req.buyer_country and req.buyer_country in p["fp"] and country != req.buyer_country:
        add("cooperation", f"already present in {req.buyer_country}", BONUS_COOPERATION / 2,
            {"footprint": list(p["fp"]), "present_in": req.buyer_country})
    return bonus


def max_bonus(req: MatchRequest, point: tuple[float, float] | None) -> float:
    bonus = BONUS_CAPACITY if req.quantity is not None else 0.0
    if point is not None:
        bonus += BONUS_DISTANCE
    if req.buyer_country:
        bonus += BONUS_CROSS_BORDER + BONUS_COOPERATION
    elif req.buyer_id:
        bonus += BONUS_COOPERATION
    return bonus


def code_reason(req_codes: Sequence[tuple[str, str, bool]], own: Iterable[str], share: float) -> Reason:
    """The best relation of one of the organisation's codes (index keys "h=8408") to a requested code."""
    own_codes = [name for name in own if name[:2] in ("h=", "n=")]
    best: tuple[float, str, dict[str, Any]] = (0.0, "", {})
    for scheme, code, implied in req_codes:
        tag = "h" if scheme == "hs" else "n"
        label = "HS" if scheme == "hs" else "NACE"
        f = GLOSSARY_CODE_FACTOR if implied else 1.0
        ancestors = _ancestors(scheme, code)
        for name in own_codes:
            if not name.startswith(tag + "="):
                continue
            theirs = name[2:]
            if theirs == code:
                w, relation, via = 1.0, "same", code
            elif code in _ancestors(scheme, theirs):
                w, relation, via = 0.85, "inside", code
            elif theirs in ancestors[:2]:
                w, relation, via = (0.7 if theirs == ancestors[0] else 0.45), "contains", theirs
            elif ancestors and ancestors[0] in _ancestors(scheme, theirs):
                w, relation, via = _sibling_weight(scheme, ancestors[0]), "sibling", ancestors[0]
            elif (
                len(ancestors) > 1
                and (len(ancestors[1]) >= 4 if scheme == "hs" else "." in ancestors[1])
                and ancestors[1] in _ancestors(scheme, theirs)
            ):
                w, relation, via = 0.15, "sibling", ancestors[1]
            else:
                continue
            w *= f
            if w > best[0]:
                source = " (from the glossary)" if implied else ""
                best = (
                    w,
                    f"{label} {code}{source}: {_code_relation_text(scheme, relation, code, theirs, via)}",
                    {
                        "scheme": scheme,
                        "code": code,
                        "their_code": theirs,
                        "depth": _depth_name(scheme, code),
                        "relation": relation,
                        "via": via,
                        "via_depth": _depth_name(scheme, via),
                        "match": w,
                        "from_glossary": implied,
                    },
                )
    return Reason("codes", best[1] or "codes matched", share, best[2])


def word_reason(share: float, found: Sequence[tuple[float, str]]) -> Reason:
    """The words of the request an organisation has: (query weight, surface) of each."""
    own: list[str] = []
    via: list[str] = []
    for qw, surface in found:
        bucket = own if qw >= 1.0 else via
        if surface not in bucket:
            bucket.append(surface)
    text = "words matched: " + ", ".join(own[:8]) if own else "no words of the request"
    if via:
        text += "; through the glossary: " + ", ".join(via[:5])
    return Reason("words", text, share, {"words": own[:8], "glossary_words": via[:5]})


def cert_reasons(held: list[str], missing: list[str], share: float) -> list[Reason]:
    out: list[Reason] = []
    if held:
        out.append(Reason("certifications", "holds " + ", ".join(held), share, {"held": held}))
    if missing:
        out.append(
            Reason("certifications_missing", "does not declare " + ", ".join(missing), 0.0, {"missing": missing})
        )
    return out


def is_specific(words: float, codes: float) -> bool:
    return words >= SPECIFIC_WORDS or codes >= SPECIFIC_CODE


def rank(
    req: MatchRequest,
    plan: Plan,
    candidates: Iterable[Profile],
    *,
    avgdl: float,
    point: tuple[float, float] | None,
    buyer: Profile | None,
    limit: int,
    min_score: float = 0.0,
) -> list[Match]:
    """Exact scores of the candidates, best first (ties by name); reasons for the `limit` best."""
    weight = weight_of(plan)
    scored: list[tuple[float, str, Profile, float, float, float, list[int]]] = []
    for p in candidates:
        base, words, codes, certs, found = base_score(plan, p, avgdl)
        if base > 0:
            scored.append((base, p["n"], p, words, codes, certs, found))
    if not scored:
        return []
    scored.sort(key=lambda s: -s[0])
    if len(scored) > limit:
        floor = scored[limit - 1][0] - max_bonus(req, point)
        scored = [s for s in scored if s[0] >= floor]
    totals = [(s[0] + bonuses(req, plan, s[2], point, buyer, None), s) for s in scored]
    totals.sort(key=lambda t: (-t[0], t[1][1]))
    out: list[Match] = []
    for total, (_, _, p, words, codes, certs, found) in totals[:limit]:
        if total < min_score:
            continue
        reasons: list[Reason] = []
        extras: list[Reason] = []
        bonuses(req, plan, p, point, buyer, extras)
        if plan.has_codes and codes > 0:
            reasons.append(code_reason(plan.req_codes, p["codes"], codes * W_CODES / weight))
        if words > 0:
            terms = [(plan.terms[j].weight, plan.terms[j].surface) for j in found]
            reasons.append(word_reason(words * W_WORDS / weight, terms))
        if plan.certs:
            held, missing = cert_held(plan, p)
            reasons.extend(cert_reasons(held, missing, certs * W_CERTS / weight))
        reasons.extend(extras)
        lat, lon = p["lat"], p["lon"]
        score = min(total, 1.0)
        out.append(
            Match(
                doc=-1,
                id=p["id"],
                ref=p["ref"],
                name=p["n"],
                country=p["cc"],
                region=p["rg"],
                lat=None if lat is None or math.isnan(lat) else round(lat, 5),
                lon=None if lon is None or math.isnan(lon) else round(lon, 5),
                score=score,
                reasons=tuple(reasons),
                key=p["k"],
                suitable=score >= SUITABLE and is_specific(words, codes),
            )
        )
    return out
