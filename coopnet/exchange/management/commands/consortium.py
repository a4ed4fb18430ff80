"""coopnet consortium --line TEXT|hs:CODE|nace:CODE ... | --bom FILE.csv [--min-countries 3] --format json|text"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coopnet.logic.matching import MatchRequestError, run_consortium


class Command(BaseCommand):
    help = "Propose consortia from at least three member states covering every component line of a product."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--line", action="append", default=[], help="a component line: text, hs:8408 or nace:29.32")
        parser.add_argument("--bom", default="", help="a BOM CSV file (component, hs, nace, quantity)")
        parser.add_argument("--min-countries", default="3")
        parser.add_argument("--exclude-countries", default="")
        parser.add_argument("--limit", default="5")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **opts: Any) -> None:
        from ... import engine

        params: dict[str, Any] = {
            "min_countries": opts["min_countries"],
            "limit": opts["limit"],
            "exclude_countries": opts["exclude_countries"],
        }
        if opts["bom"]:
            try:
                params["bom_csv"] = Path(opts["bom"]).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {opts['bom']}: {exc}") from exc
        else:
            params["lines"] = opts["line"]
        try:
            result = run_consortium(engine.get_index(), params)
        except MatchRequestError as exc:
            raise CommandError(str(exc)) from exc
        except engine.IndexNotReady as exc:
            raise CommandError(f"{exc}: run `coopnet matchindex` first") from exc
        if opts["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
            return
        if result["gaps"]:
            self.stdout.write("gaps (no partner): " + ", ".join(result["gaps"]))
        for n, c in enumerate(result["consortia"], start=1):
            state = "complete" if c["complete"] else "incomplete"
            self.stdout.write(f"{n}. {c['score']:.3f} {state} — {', '.join(c['countries'])}")
            for line in c["lines"]:
                self.stdout.write(f"     {line['line']}: {line['name']} ({line['country']})")
