"""The indicators: what each one means, its formula, and the SQL file that computes it.

Every indicator is computed by one query in ``sql/`` over the store's ``obs`` view — the only path from
observations to indicator values. :func:`compute` checks the arguments and runs it. The formulas are
written out here once; the docs (docs/stats-indicators.md) and the web pages show these texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .schema import AGGREGATE_PARTNERS
from .store import StatsStore, StoreError


def gettext_noop(message: str) -> str:
    """Marks a text for translation (Django's makemessages collects it); the app translates it when shown."""
    return message


#: Reference groups of RCA and trade intensity: the world's exports as stored, or the states in the store.
REFERENCE_GROUPS: tuple[str, ...] = ("auto", "world", "reporters")


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str
    sql: str
    formula: str
    meaning: str
    #: Parameters the query understands besides the common filters.
    params: tuple[str, ...] = ()
    #: Trade indicators read indicator 'trade' rows at HS level `level`, summed to `depth` digits.
    trade: bool = True
    #: Parameters that must be given.
    required: tuple[str, ...] = ()


INDICATORS: dict[str, Indicator] = {
    ind.name: ind
    for ind in (
        Indicator(
            "growth",
            gettext_noop("Growth and average annual growth (CAGR)"),
            "growth",
            "growth = V(t1) / V(t0) - 1;  CAGR = (V(t1) / V(t0))^(1 / (t1 - t0)) - 1",
            gettext_noop("Change of a series between its first and last year in the range (--from, --to)."),
            params=("series", "reporter", "partner", "product", "flow", "from", "to"),
            trade=False,
            required=("series",),
        ),
        Indicator(
            "share",
            gettext_noop("Share in the total"),
            "share",
            "share(c, p, t) = V(c, p, t) / V(c, TOTAL, t)   (the sum of the parts when no TOTAL row)",
            gettext_noop("Weight of each product or activity in its reporter's total of the same series."),
            params=("series", "reporter", "partner", "product", "flow", "from", "to"),
            trade=False,
            required=("series",),
        ),
        Indicator(
            "rca",
            gettext_noop("Revealed comparative advantage (Balassa)"),
            "rca",
            "RCA(c, p, t) = (X(c, p, t) / X(c, t)) / (X(W, p, t) / X(W, t))",
            gettext_noop(
                "X are exports to the world. W is the reference group (--group): the world's exports as stored "
                "(reporter WLD) when the store has them, else every state in the store; each row names it. Above "
                "1: the state exports relatively more of the product than the reference group does."
            ),
            params=("reporter", "product", "from", "to", "level", "depth", "group"),
        ),
        Indicator(
            "complementarity",
            gettext_noop("Trade complementarity index (Michaely)"),
            "complementarity",
            "TC(i, j, t) = 100 * (1 - sum_p |m(i, p, t) - x(j, p, t)| / 2)",
            gettext_noop(
                "m(i, p): share of product p in importer i's imports; x(j, p): its share in exporter j's "
                "exports. 100 when j exports exactly what i imports, 0 when they have nothing in common."
            ),
            params=("reporter", "partner", "from", "to", "level", "depth"),
        ),
        Indicator(
            "grubel_lloyd",
            gettext_noop("Grubel-Lloyd intra-industry trade"),
            "grubel_lloyd",
            "GL(p) = 1 - |X(p) - M(p)| / (X(p) + M(p));  GL = sum_p (X + M - |X - M|) / sum_p (X + M)",
            gettext_noop(
                "Share of two-way trade between a state and a partner (country, WLD, XT or EAEU) in a "
                "product (and over all products, row TOTAL). 1: all two-way; 0: one-way."
            ),
            params=("reporter", "partner", "product", "from", "to", "level", "depth"),
        ),
        Indicator(
            "import_dependence",
            gettext_noop("Import dependence (imports over apparent consumption)"),
            "import_dependence",
            "D(c, p, t) = M(c, p, t) / (Q(c, p, t) + M(c, p, t) - X(c, p, t))",
            gettext_noop(
                "Imports over apparent consumption (production Q + imports M - exports X), where the store has "
                "the state's production of the product in US dollars (flow production, scheme hs); products "
                "without production have none. The share of imports from third countries needs no production."
            ),
            params=("reporter", "product", "from", "to", "level", "depth"),
        ),
        Indicator(
            "third_country_share",
            gettext_noop("Share of imports from third countries"),
            "third_country_share",
            "S(c, p, t) = M(c, XT, p, t) / M(c, WLD, p, t)",
            gettext_noop("Share of a state's imports of a product that come from outside the Union."),
            params=("reporter", "product", "from", "to", "level", "depth"),
        ),
        Indicator(
            "trade_intensity",
            gettext_noop("Trade intensity (mutual-trade intensity)"),
            "trade_intensity",
            "TII(i, j, t) = (x(i, j, t) / X(i, t)) / (x(W, j, t) / X(W, t))",
            gettext_noop(
                "How much more (above 1) or less (below 1) state i exports to partner j than the reference "
                "group W does (--group: the world's exports as stored, else every state in the store; each row "
                "names it); with j = EAEU it is the intensity of mutual trade within the Union."
            ),
            params=("reporter", "partner", "product", "from", "to", "level", "depth", "group"),
        ),
        Indicator(
            "mutual_share",
            gettext_noop("Share of mutual trade"),
            "mutual_share",
            "S(c, t) = (X(c, EAEU, t) + M(c, EAEU, t)) / (X(c, WLD, t) + M(c, WLD, t))",
            gettext_noop("Share of trade with the other member states in a state's trade."),
            params=("reporter", "product", "from", "to", "level", "depth"),
        ),
    )
}
#: Other names people use.
ALIASES: dict[str, str] = {
    "cagr": "growth",
    "balassa": "rca",
    "tci": "complementarity",
    "gl": "grubel_lloyd",
    "intensity": "trade_intensity",
    "dependence": "import_dependence",
    "third_country": "third_country_share",
}

_COUNTRY = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


class IndicatorError(ValueError):
    """Bad arguments for an indicator; the message is meant for the person who typed them."""


def lookup(name: str) -> Indicator:
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in INDICATORS:
        raise IndicatorError(f"unknown indicator {name!r}; known: {', '.join(sorted(INDICATORS))}")
    return INDICATORS[key]


def clean_params(ind: Indicator, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise the arguments of an indicator (None means 'not given')."""
    p: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        if key not in ind.params:
            raise IndicatorError(f"indicator {ind.name} does not take {key!r}; it takes {', '.join(ind.params)}")
        p[key] = value
    for key in ("reporter", "partner"):
        if key in p:
            code = str(p[key]).strip().upper()
            if code not in AGGREGATE_PARTNERS and not _COUNTRY.match(code):
                raise IndicatorError(f"--{key} {p[key]!r} is not a country code (BY), region (RU-PSK) or XT/EAEU/WLD")
            p[key] = code
    for key in ("from", "to"):
        if key in p:
            try:
                year = int(p[key])
            except (TypeError, ValueError):
                raise IndicatorError(f"--{key} {p[key]!r} is not a year") from None
            if not 1900 <= year <= 2100:
                raise IndicatorError(f"--{key} {year} is out of range 1900-2100")
            p[key] = year
    if "from" in p and "to" in p and p["from"] > p["to"]:
        raise IndicatorError(f"--from {p['from']} is after --to {p['to']}")
    if "product" in p:
        p["product"] = str(p["product"]).strip().replace(".", "") if ind.trade else str(p["product"]).strip()
        if ind.trade and not re.fullmatch(r"\d{2,10}", p["product"]):
            raise IndicatorError(f"--product {p['product']!r} is not an HS code (2 to 10 digits)")
    for key in ("level", "depth"):
        if key in p:
            try:
                p[key] = int(p[key])
            except (TypeError, ValueError):
                raise IndicatorError(f"--{key} {p[key]!r} is not a number of digits") from None
            if p[key] not in (2, 4, 6, 8, 10):
                raise IndicatorError(f"--{key} must be 2, 4, 6, 8 or 10 digits")
    if ind.trade:
        p.setdefault("level", 6)
        if "depth" in p and p["depth"] > p["level"]:
            raise IndicatorError(f"--depth {p['depth']} is finer than the data level {p['level']}")
        if "depth" not in p and "product" in p:
            p["depth"] = max(len(p["product"]), 2) if len(p["product"]) <= p["level"] else p["level"]
    if "group" in p:
        group = str(p["group"]).strip().lower()
        if group not in REFERENCE_GROUPS:
            raise IndicatorError(f"--group {p['group']!r} is not one of {', '.join(REFERENCE_GROUPS)}")
        p["group"] = None if group == "auto" else group
    if ind.name == "grubel_lloyd":
        p.setdefault("partner", "WLD")
    for key in ind.required:
        if key not in p:
            raise IndicatorError(f"indicator {ind.name} needs --{key}")
    return p


def compute(store: StatsStore, name: str, **raw: Any) -> dict[str, Any]:
    """Run an indicator; returns {indicator, title, formula, meaning, params, rows}."""
    ind = lookup(name)
    params = clean_params(ind, raw)
    try:
        rows = store.run(ind.sql, params)
    except StoreError as exc:
        raise IndicatorError(str(exc)) from None
    return {
        "indicator": ind.name,
        "title": ind.title,
        "formula": ind.formula,
        "meaning": ind.meaning,
        "params": params,
        "rows": rows,
    }


def growth(value_from: float, value_to: float) -> float:
    """V(t1) / V(t0) - 1 (for figures a source states; the store's growth query does the same)."""
    if value_from == 0:
        raise ZeroDivisionError("growth from zero is undefined")
    return value_to / value_from - 1


def cagr(value_from: float, value_to: float, years: int) -> float:
    """(V(t1) / V(t0))^(1 / years) - 1."""
    if years <= 0 or value_from <= 0 or value_to <= 0:
        raise ValueError("CAGR needs positive values and a positive number of years")
    return float((value_to / value_from) ** (1.0 / years) - 1)
