"""The regulation's parameters, held as dated rule sets (never as constants in callers).

The defaults of :class:`RuleSet` are the values known from public reporting of the Regulation
(Eurasian Intergovernmental Council Decision No. 3 of 26 October 2023); callers that store rule
sets (the Django app) pass every field explicitly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

DayCount = Literal["ACT/365", "ACT/ACT", "ACT/360"]
DAY_COUNTS: tuple[DayCount, ...] = ("ACT/365", "ACT/ACT", "ACT/360")

#: EAEU member states (ISO 3166-1 alpha-2).
MEMBER_STATES: tuple[str, ...] = ("AM", "BY", "KG", "KZ", "RU")
#: Currencies of the member states.
MEMBER_CURRENCIES: tuple[str, ...] = ("AMD", "BYN", "KGS", "KZT", "RUB")
#: Industries reported on the list set by the heads of government (before agriculture, 2026).
DEFAULT_INDUSTRIES: tuple[str, ...] = (
    "automotive",
    "aircraft",
    "machine-building",
    "metallurgy",
    "radio-electronics",
    "chemical",
    "light-industry",
    "construction-materials",
    "energy",
    "space",
    "pharmaceuticals",
    "nuclear",
    "woodworking",
)


@dataclass(frozen=True)
class RuleSet:
    """One version of the subsidy rules, in force from ``effective_from``.

    Shares are fractions (``subsidised_share=1`` is 100 %); rates and margins are in percent.
    ``min_cost_rub`` and ``min_partner_supply_share`` are off while ``None``.
    """

    effective_from: date
    min_member_states: int = 3
    max_duration_years: int = 5
    currencies: tuple[str, ...] = MEMBER_CURRENCIES
    margin_pp: Decimal = Decimal("6.5")
    subsidised_share: Decimal = Decimal("1")
    annual_cap_rub: Decimal = Decimal("350000000")
    industries: tuple[str, ...] = DEFAULT_INDUSTRIES
    lenders: tuple[str, ...] = ()
    min_cost_rub: Decimal | None = None
    min_partner_supply_share: Decimal | None = None
    day_count: DayCount = "ACT/365"
    member_states: tuple[str, ...] = MEMBER_STATES
    name: str = ""

    def __post_init__(self) -> None:
        if self.day_count not in DAY_COUNTS:
            raise ValueError(f"day_count must be one of {', '.join(DAY_COUNTS)}: {self.day_count!r}")
        if self.min_member_states < 1:
            raise ValueError("min_member_states must be at least 1")
        if self.max_duration_years < 1:
            raise ValueError("max_duration_years must be at least 1")
        if not Decimal(0) <= self.subsidised_share <= Decimal(1):
            raise ValueError("subsidised_share must be between 0 and 1")
        if self.annual_cap_rub < 0 or self.margin_pp < 0:
            raise ValueError("annual_cap_rub and margin_pp must not be negative")

    @property
    def label(self) -> str:
        return self.name or f"rules in force from {self.effective_from.isoformat()}"

    def lender_is_approved(self, lender: str) -> bool:
        key = normalise_lender(lender)
        return bool(key) and any(normalise_lender(name) == key for name in self.lenders)


class NoRuleSetInForce(LookupError):
    """No rule set was in force on the date asked."""


def rule_set_in_force(rule_sets: Iterable[RuleSet], on_date: date) -> RuleSet:
    """The rule set with the latest ``effective_from`` not after ``on_date``."""
    candidates = [rs for rs in rule_sets if rs.effective_from <= on_date]
    if not candidates:
        raise NoRuleSetInForce(f"no subsidy rules were in force on {on_date.isoformat()}")
    return max(candidates, key=lambda rs: rs.effective_from)


_LEGAL_FORMS = frozenset(
    # legal forms of the member states' banks, in Latin and Cyrillic spelling
    "pjsc ojsc cjsc jsc ao pao oao zao llc ooo ltd plc inc jsb пао оао зао ао ооо ат ак".split()
)


def normalise_lender(name: str) -> str:
    """A comparison key for a lender's name: case, quotes, punctuation and legal form ignored.

    ``'PJSC "Sberbank"'``, ``'Sberbank'`` and ``'sberbank, pjsc'`` give the same key; a Russian
    and an English name stay different (rule sets list both spellings when both are used).
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("\u0451", "\u0435")  # yo -> ie
    words = re.findall(r"\w+", text)
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)
