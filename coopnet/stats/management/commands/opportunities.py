"""`coopnet opportunities`: import-substitution opportunities, ranked by value at stake.

coopnet opportunities [--product CODE] [--reporter CC] [--limit N] [--depth 2|4|6] [--year Y] [--gaps]
                      [--format json|table]
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ... import services


class Command(BaseCommand):
    help = "Import-substitution opportunities: third-country imports against registered capacity."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--product", help="HS code (prefix): only products under it")
        parser.add_argument("--reporter", help="a member state: only its imports")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--depth", type=int, help="HS digits of the products (2, 4 or 6)")
        parser.add_argument("--year", type=int, help="default: the latest year with imports")
        parser.add_argument("--gaps", action="store_true", help="also products without a registered supplier")
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            out = services.opportunities(
                product=o.get("product"),
                reporter=o.get("reporter"),
                limit=o["limit"],
                depth=o.get("depth"),
                year=o.get("year"),
                gaps=o["gaps"],
            )
        except services.StatsError as exc:
            raise CommandError(str(exc)) from None
        if o["format"] == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1, default=str))
            return
        if out["synthetic_data"]:
            self.stdout.write("(trade data include synthetic rows)")
        self.stdout.write("rank\tproduct\tvalue at stake (USD)\tdependence\tsuppliers\tcountries\tname")
        for r in out["rows"]:
            dep = "" if r["dependence"] is None else f"{r['dependence']:.0%}"
            self.stdout.write(
                f"{r['rank']}\t{r['product']}\t{r['value_at_stake']:,.0f}\t{dep}\t{r['suppliers']}\t"
                f"{','.join(r['supplier_countries'])}\t{r['name']}"
            )
