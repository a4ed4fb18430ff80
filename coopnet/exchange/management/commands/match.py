"""coopnet match --text TEXT [--hs CODES] [--nace CODES] [--countries CC,CC] [--exclude-countries CC,CC]
[--buyer-country CC] [--certification NAME] [--quantity N] [--limit N] --format json|text"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coopnet.logic.matching import MatchRequestError, run_match


class Command(BaseCommand):
    help = "Rank partner organisations for a request (Russian or English text, HS/NACE codes, filters)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--text", default="", help="what is needed, in Russian or English")
        parser.add_argument("--hs", default="", help="HS / TN VED codes, comma-separated")
        parser.add_argument("--nace", default="", help="NACE / OKVED2 codes, comma-separated")
        parser.add_argument("--countries", default="", help="partner countries wanted, e.g. BY,KZ")
        parser.add_argument("--exclude-countries", default="", help="countries excluded")
        parser.add_argument("--buyer-country", default="", help="the buyer's country")
        parser.add_argument("--buyer-region", default="", help="the buyer's region (ISO 3166-2)")
        parser.add_argument("--certification", action="append", default=[], help="required certification")
        parser.add_argument("--quantity", default="", help="quantity needed")
        parser.add_argument("--limit", default="10", help="how many results (1-500)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **opts: Any) -> None:
        from ... import engine

        params = {
            "text": opts["text"],
            "hs": opts["hs"],
            "nace": opts["nace"],
            "countries": opts["countries"],
            "exclude_countries": opts["exclude_countries"],
            "buyer_country": opts["buyer_country"],
            "buyer_region": opts["buyer_region"],
            "certifications": opts["certification"],
            "quantity": opts["quantity"],
            "limit": opts["limit"],
        }
        try:
            result = run_match(engine.get_index(), params)
        except MatchRequestError as exc:
            raise CommandError(str(exc)) from exc
        except engine.IndexNotReady as exc:
            raise CommandError(f"{exc}: run `coopnet matchindex` first") from exc
        if opts["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
            return
        for n, r in enumerate(result["results"], start=1):
            self.stdout.write(f"{n:>3}. {r['score']:.3f}  {r['name']} ({r['country']}, {r['id']})")
            for reason in r["reasons"]:
                self.stdout.write(f"       - {reason['text']}")
        if not result["results"]:
            self.stdout.write("nothing suitable in the registry" + ("; the closest:" if result["closest"] else ""))
            for r in result["closest"]:
                self.stdout.write(f"     {r['score']:.3f}  {r['name']} ({r['country']}, {r['id']})")
