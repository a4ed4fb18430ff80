"""`coopnet organisations [filters] --format table|json|csv`: the registry list from the command line.

It uses the same filterset as the list page and the API, so the three answer the same question the same way.
"""
from __future__ import annotations

import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from coopnet.logic.spreadsheet import safe_cell
from coopnet.registry.filtersets import OrganisationFilterSet
from coopnet.registry.models import Organisation

FILTERS = ("q", "country", "region", "kind", "legal_form", "size", "hs", "nace", "certification")
COLUMNS = ("public_id", "ref", "name", "name_en", "country", "region", "city", "kind")


class Command(BaseCommand):
    help = "List organisations of the registry with the same filters as the web list and the API."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--q", help="Text in names, products, city, public ID or tax ID.")
        for name in FILTERS[1:]:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name,
                                help=f"Filter by {name.replace('_', ' ')}; comma-separated for several.")
        parser.add_argument("--ordering", default="name", help="name, -name, country, employees, updated")
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--format", choices=("table", "json", "csv"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        params = QueryDict(mutable=True)
        for name in FILTERS:
            value = options.get(name)
            if not value:
                continue
            if name in ("country", "region", "kind", "legal_form", "size"):
                params.setlist(name, [v.strip() for v in value.split(",") if v.strip()])
            else:
                params[name] = value
        params["ordering"] = options["ordering"]
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        filterset = OrganisationFilterSet(params, queryset=Organisation.objects.select_related("country"))
        if not filterset.is_valid():
            messages = "; ".join(f"--{k.replace('_', '-')}: {' '.join(v)}" for k, v in filterset.errors.items())
            raise CommandError(messages)
        rows = [{c: getattr(o, f"{c}_id", None) if c in ("country", "region") else getattr(o, c) for c in COLUMNS}
                for o in filterset.qs[: options["limit"]]]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"count": filterset.qs.count(), "results": rows}, ensure_ascii=False,
                                         indent=2))
        elif options["format"] == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
        else:
            for row in rows:
                self.stdout.write(f"{row['public_id']:<14} {row['country']:<3} {row['name']}")
