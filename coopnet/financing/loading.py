"""Regulation data shipped with the app: industries, rule sets, approved lenders, base rates.

Loaded by the data migration (so `coopnet projects check` works right after `migrate`) and again by
the demo; idempotent. Models are passed in so migrations can use historical models.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_SOURCE = "financing-rules.md"

INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("automotive", "Automotive", "Автомобилестроение"),
    ("aircraft", "Aircraft", "Авиастроение"),
    ("machine-building", "Machine-building", "Машиностроение"),
    ("metallurgy", "Metallurgy", "Металлургия"),
    ("radio-electronics", "Radio-electronics and microelectronics", "Радиоэлектроника и микроэлектроника"),
    ("chemical", "Chemical industry", "Химическая промышленность"),
    ("light-industry", "Light industry", "Лёгкая промышленность"),
    ("construction-materials", "Construction materials", "Производство строительных материалов"),
    ("energy", "Energy and power engineering", "Энергетика и энергетическое машиностроение"),
    ("space", "Space industry", "Космическая отрасль"),
    ("pharmaceuticals", "Pharmaceuticals", "Фармацевтика"),
    ("nuclear", "Nuclear industry", "Атомная промышленность"),
    ("woodworking", "Woodworking", "Деревообработка"),
    ("agriculture", "Agriculture and agro-industry", "Сельское хозяйство и АПК"),
)
FIRST_INDUSTRIES = tuple(code for code, _, _ in INDUSTRIES if code != "agriculture")

RULE_SETS: tuple[dict[str, Any], ...] = (
    {
        "name": "Regulation on joint cooperation projects (EIC Decision No. 3 of 26 October 2023)",
        "effective_from": "2023-10-26",
        "industries": FIRST_INDUSTRIES,
        "source_note": "Min. 3 member states, max. 5 years, borrower rate <= base rate + 6.5 pp, 100% of "
        "the base rate subsidised, cap 350 m RUB a year, member-state currencies, 10% of duties revenue.",
    },
    {
        "name": "Extension to agriculture and agro-industry (February 2026)",
        "effective_from": "2026-02-01",
        "industries": (*FIRST_INDUSTRIES, "agriculture"),
        "source_note": "From February 2026 the mechanism was extended to agriculture and agro-industry; "
        "the day of entry into force is not published, the 1st of the month is used.",
    },
)

#: lenders named in public reporting (financing-rules.md); approval dates are not published
LENDERS: tuple[dict[str, Any], ...] = (
    {"name": "Sberbank", "country": "RU", "aliases": ["ПАО Сбербанк", "Сбербанк", "Sberbank of Russia"],
     "note": "Applicant for the Kurgan road-machinery plant project (November 2025)."},
    {"name": "Gazprombank", "country": "RU", "aliases": ["Газпромбанк", "АО Газпромбанк"],
     "note": "Applicant for the Titan Polymer project (July 2024)."},
    {"name": "Eurasian Development Bank", "country": "KZ", "aliases": ["Евразийский банк развития", "EDB"],
     "note": "Funds may go to the lending bank or to the Eurasian Development Bank."},
    {"name": "Development Bank of Kazakhstan", "country": "KZ",
     "aliases": ["Банк развития Казахстана", "DBK"],
     "note": "Named among the 15 approved organisations of Kazakhstan."},
    {"name": "Damu Entrepreneurship Development Fund", "country": "KZ", "aliases": ["Damu", "Фонд Даму"],
     "note": "Named among the 15 approved organisations of Kazakhstan."},
)

DEFAULTS: dict[str, Any] = {
    "min_member_states": 3,
    "max_duration_years": 5,
    "currencies": ["AMD", "BYN", "KGS", "KZT", "RUB"],
    "margin_pp": Decimal("6.5"),
    "subsidised_share": Decimal("1"),
    "annual_cap_rub": Decimal("350000000"),
    "day_count": "ACT/365",
    "budget_share_pct": Decimal("10"),
}


def base_rate_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(DATA_DIR.glob("base_rates_*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle), start=2):
                rows.append({**{k: (v or "").strip() for k, v in row.items()}, "line": f"{path.name}:{i}"})
    return rows


def load(industry: Any, rule_set: Any, lender: Any, base_rate: Any, country: Any) -> dict[str, int]:
    """Upsert the shipped regulation data; returns counts. Skips countries not in the reference."""
    known = set(country.objects.values_list("code", flat=True))
    for code, name_en, name_ru in INDUSTRIES:
        industry.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_ru": name_ru})
    for spec in RULE_SETS:
        obj, created = rule_set.objects.get_or_create(
            effective_from=spec["effective_from"],
            defaults={**DEFAULTS, "name": spec["name"], "source": RULES_SOURCE, "source_note": spec["source_note"]},
        )
        if created:  # a rule set edited in the admin keeps its edits
            obj.industries.set(industry.objects.filter(code__in=spec["industries"]))
    for spec in LENDERS:
        if spec["country"] not in known:
            continue
        lender.objects.get_or_create(
            country_id=spec["country"], name=spec["name"],
            defaults={"aliases": spec["aliases"], "source": RULES_SOURCE, "source_note": spec["note"]},
        )
    rates = 0
    for row in base_rate_rows():
        if row["country"] not in known:
            continue
        base_rate.objects.update_or_create(
            country_id=row["country"], date=row["date"],
            defaults={"rate": Decimal(row["rate"]), "source": row["source"],
                      "source_note": f"{row['source_note']} ({row['line']})"},
        )
        rates += 1
    return {"industries": len(INDUSTRIES), "rule_sets": len(RULE_SETS), "lenders": len(LENDERS), "base_rates": rates}
