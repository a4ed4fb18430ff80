"""`coopnet stats <subcommand>`: the observation store from the command line.

import FILE --format long|comtrade|yearbook|sdmx-csv|sdmx-ml [--batch ID] [--sheet NAME] [--indicator ...]
export FILE --format sdmx-csv|sdmx-ml|sdmx-structure [--indicator NAME] [--reporter CC] [--from Y] ...
indicator NAME [--reporter CC] [--partner CC] [--product CODE] [--from Y] [--to Y] [--series S] --format json
series INDICATOR [--reporter CC] [--partner CC] [--product CODE] [--from Y] [--to Y] --format json
conflicts [--indicator NAME]     values that sources give differently (all kept)
catalog | batches | delete BATCH | generate --rows N [--seed S]
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopnet.logic.stats import synthetic
from coopnet.logic.stats.importers import FORMATS, YEARBOOK_META
from coopnet.logic.stats.indicators import INDICATORS

from ... import services


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def _table(rows: list[dict[str, Any]], limit: int = 200) -> str:
    if not rows:
        return "(no rows)"
    keys = [k for k in rows[0] if not isinstance(rows[0][k], list | dict)]
    lines = ["\t".join(keys)]
    for row in rows[:limit]:
        lines.append(
            "\t".join(
                "" if row[k] is None else f"{row[k]:.6g}" if isinstance(row[k], float) else str(row[k]) for k in keys
            )
        )
    if len(rows) > limit:
        lines.append(f"... {len(rows) - limit} more rows (use --format json)")
    return "\n".join(lines)


def _year(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a year") from None


#: What a yearbook sheet may leave unsaid and the command line supplies (the sheet's own "Key: value" lines).
YEARBOOK_FIELDS = tuple(k for k in YEARBOOK_META if k not in ("note", "retrieved"))


class Command(BaseCommand):
    help = "Statistics: import files, compute indicators, read series and conflicts."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="Import a file; nothing is written when it has an error.")
        imp.add_argument("file")
        imp.add_argument("--format", choices=FORMATS, required=True)
        imp.add_argument("--batch", help="batch id (default: format and file name); the same id replaces")
        imp.add_argument("--sheet", help="yearbook: the sheet (default: the first)")
        imp.add_argument("--retrieved", help="retrieval date YYYY-MM-DD for the provenance")
        for field in YEARBOOK_FIELDS:
            imp.add_argument(f"--{field}", help=f"yearbook: {field} when the sheet does not say")
        imp.add_argument("--report", choices=("text", "json"), default="text")

        exp = sub.add_parser("export", help="Write stored observations as SDMX (or coopnet's SDMX data structure).")
        exp.add_argument("file", help="the file to write ('-' for the standard output)")
        exp.add_argument("--format", choices=services.EXPORT_FORMATS, required=True)
        exp.add_argument("--indicator")
        exp.add_argument("--flow")

        ind = sub.add_parser("indicator", help="Compute an indicator: " + ", ".join(INDICATORS))
        ind.add_argument("name")
        ser = sub.add_parser("series", help="A stored series with every source.")
        ser.add_argument("name")
        ser.add_argument("--flow")
        ser.add_argument("--limit", type=int, default=10_000)
        for p in (ind, ser, exp):
            p.add_argument("--reporter")
            p.add_argument("--partner")
            p.add_argument("--product")
            p.add_argument("--from", dest="year_from")
            p.add_argument("--to", dest="year_to")
            if p is not exp:
                p.add_argument("--format", choices=("json", "table"), default="table")
        ind.add_argument("--series", help="growth/share: the series to read (e.g. industrial_production)")
        ind.add_argument("--flow", help="growth/share: the flow")
        ind.add_argument("--depth", help="trade indicators: HS digits to sum to (2, 4, 6)")
        ind.add_argument("--group", help="rca, trade_intensity: reference group auto (default), world or reporters")
        con = sub.add_parser("conflicts", help="Keys for which sources disagree, every value shown.")
        con.add_argument("--indicator")
        con.add_argument("--format", choices=("json", "table"), default="table")
        cat = sub.add_parser("catalog", help="What the store holds.")
        cat.add_argument("--format", choices=("json", "table"), default="table")
        sub.add_parser("batches", help="The batches in the store.")
        dele = sub.add_parser("delete", help="Remove a batch from the store.")
        dele.add_argument("batch")
        gen = sub.add_parser("generate", help="Write synthetic trade (labelled synthetic) as one batch.")
        gen.add_argument("--rows", type=int, default=1_000_000)
        gen.add_argument("--seed", type=int, default=20240601)
        gen.add_argument("--batch", default="synthetic-trade")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['subcommand']}")(options)
        except services.StatsError as exc:
            raise CommandError(str(exc)) from None

    def do_import(self, o: dict[str, Any]) -> None:
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        retrieved = None
        if o.get("retrieved"):
            try:
                retrieved = date.fromisoformat(o["retrieved"])
            except ValueError:
                raise CommandError("--retrieved: not a date (YYYY-MM-DD)") from None
        defaults = {k: o[k] for k in YEARBOOK_FIELDS if o.get(k)}
        result, dataset = services.import_file(
            path, o["format"], batch=o.get("batch"), defaults=defaults, sheet=o.get("sheet"), retrieved=retrieved
        )
        report = services.report_lines(result, path.name, dataset.batch)
        if o["report"] == "json":
            self.stdout.write(_json({**result.summary(), "batch": dataset.batch}))
        elif result.ok:
            self.stdout.write("\n".join(report))
        if not result.ok:
            raise CommandError("\n".join(report))

    def do_export(self, o: dict[str, Any]) -> None:
        body, count = services.export_observations(
            o["format"],
            indicator=o.get("indicator"),
            reporter=o.get("reporter"),
            partner=o.get("partner"),
            product=o.get("product"),
            flow=o.get("flow"),
            **{"from": _year(o.get("year_from"), "--from"), "to": _year(o.get("year_to"), "--to")},
        )
        if o["file"] == "-":
            self.stdout.write(body.decode("utf-8"), ending="")
            return
        path = Path(o["file"])
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        path.write_bytes(body)
        what = "the data structure" if o["format"] == "sdmx-structure" else f"{count:,} observations"
        self.stdout.write(f"{what} written to {path} ({o['format']})")

    def do_indicator(self, o: dict[str, Any]) -> None:
        params = {
            "reporter": o.get("reporter"),
            "partner": o.get("partner"),
            "product": o.get("product"),
            "from": _year(o.get("year_from"), "--from"),
            "to": _year(o.get("year_to"), "--to"),
            "series": o.get("series"),
            "flow": o.get("flow"),
            "depth": o.get("depth"),
            "group": o.get("group"),
        }
        out = services.indicator(o["name"], **params)
        if o["format"] == "json":
            self.stdout.write(_json(out))
        else:
            self.stdout.write(f"{out['title']}\n{out['formula']}\n{_table(out['rows'])}")

    def do_series(self, o: dict[str, Any]) -> None:
        rows = services.series(
            o["name"],
            reporter=o.get("reporter"),
            partner=o.get("partner"),
            product=o.get("product"),
            flow=o.get("flow"),
            **{"from": _year(o.get("year_from"), "--from"), "to": _year(o.get("year_to"), "--to")},
            limit=o["limit"],
        )
        self.stdout.write(_json(rows) if o["format"] == "json" else _table(rows))

    def do_conflicts(self, o: dict[str, Any]) -> None:
        rows = services.get_store().conflicts(o.get("indicator"))
        self.stdout.write(_json(rows) if o["format"] == "json" else _table(rows))

    def do_catalog(self, o: dict[str, Any]) -> None:
        rows = services.get_store().catalog()
        self.stdout.write(_json(rows) if o["format"] == "json" else _table(rows))

    def do_batches(self, o: dict[str, Any]) -> None:
        for b in services.get_store().batches():
            flag = " synthetic" if b.synthetic else ""
            self.stdout.write(f"{b.id}\t{b.rows}\t{','.join(b.indicators)}\t{b.created}{flag}")

    def do_delete(self, o: dict[str, Any]) -> None:
        if not services.get_store().delete(o["batch"]):
            raise CommandError(f"no batch {o['batch']!r}")
        self.stdout.write(f"batch {o['batch']} removed")

    def do_generate(self, o: dict[str, Any]) -> None:
        if not 1 <= o["rows"] <= 200_000_000:
            raise CommandError("--rows must be between 1 and 200,000,000")
        spec = synthetic.spec_for_rows(o["rows"], seed=o["seed"])
        batch = services.get_store().write(
            o["batch"],
            synthetic.generate(spec),
            source="synthetic generator",
            format="generator",
            meta={"seed": o["seed"]},
        )
        self.stdout.write(f"{batch.rows:,} synthetic trade rows written as batch {batch.id}")
