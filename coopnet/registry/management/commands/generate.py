"""`coopnet generate organizations --count N --seed S --out FILE`: synthetic organisations.

Every row is labelled synthetic (ref ``SYN-…``, products text starting ``[synthetic]``); the importer
marks them ``is_synthetic``. Vocabularies come from the reference tables (HS headings, NACE codes,
regions with their coordinates)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopnet.logic.registry.rows import COLUMNS
from coopnet.logic.registry.synth import COUNTRY_WEIGHTS, DEFAULT_VOCABULARY, Vocabulary, generate


def vocabulary_from_reference() -> Vocabulary:
    from coopnet.reference.models import HSCode, NACECode, Region

    hs = {c: (en, ru) for c, en, ru in HSCode.objects.filter(level=4).values_list("code", "name_en", "name_ru")}
    nace = {c: (en, ru) for c, en, ru in NACECode.objects.filter(code__regex=r"^(1|2|3)\d\.\d").values_list(
        "code", "name_en", "name_ru")}
    regions: dict[str, list[tuple[str, float, float]]] = {}
    for code, cc, lat, lon in Region.objects.filter(country_id__in=list(COUNTRY_WEIGHTS)).values_list(
            "code", "country_id", "lat", "lon"):
        if lat is not None and lon is not None:
            regions.setdefault(cc, []).append((code, lat, lon))
    if not hs or not nace or not regions:
        return DEFAULT_VOCABULARY
    return Vocabulary(hs=hs, nace=nace, regions=regions, cities=DEFAULT_VOCABULARY.cities)


class Command(BaseCommand):
    help = "Write a file of synthetic organisations in the import format (CSV or XLSX)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=("organizations", "organisations"))
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True, help="Output file, .csv or .xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 0:
            raise CommandError("--count must be ≥ 0")
        out = Path(options["out"])
        rows = generate(options["count"], options["seed"], vocabulary_from_reference())
        if out.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("organisations")
            ws.append(list(COLUMNS))
            for row in rows:
                ws.append([row[c] for c in COLUMNS])
            wb.save(out)
        elif out.suffix.lower() == ".csv":
            with out.open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow(COLUMNS)
                for row in rows:
                    writer.writerow([row[c] for c in COLUMNS])
        else:
            raise CommandError("--out must end in .csv or .xlsx")
        self.stdout.write(f"{options['count']} synthetic organisations written to {out}")
