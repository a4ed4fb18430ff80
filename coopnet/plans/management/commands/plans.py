"""`coopnet plans <subcommand>`: programmes, action plans and roadmaps from the command line.

  check FILE [--format json|text]        check a plan given as JSON (the API's POST /api/plans/check/)
  list [--q …] [--kind …] [--party …]    the register, with the same filters as the web page and the API
  flags DOCUMENT_ID [--as-of DATE]       the flags of a stored document
  export DOCUMENT_ID --format xlsx|pdf|json --output FILE
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.http import QueryDict

from coopnet.logic.plans import ContractError, check
from coopnet.logic.plans.model import FLAG_CODES


def _text_report(out: dict[str, Any]) -> str:
    s = out["summary"]
    lines = [f"{s['measures']} measures, {s['with_deadline']} with a deadline, {s['measures_flagged']} flagged"]
    counts = ", ".join(f"{c}={s['flags_by_code'][c]}" for c in FLAG_CODES if s["flags_by_code"][c])
    if counts:
        lines.append(counts)
    current = None
    for f in out["flags"]:
        if f["measure"] != current:
            current = f["measure"]
            lines.append(f"measure {current}:")
        lines.append(f"  {f['code']}: {f['message']}")
    return "\n".join(lines)


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Programmes, action plans and roadmaps: check a plan file, list the register, flags, export."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        c = sub.add_parser("check", help="Check a plan given as JSON; '-' reads standard input.")
        c.add_argument("file")
        c.add_argument("--format", choices=("json", "text"), default="text")
        ls = sub.add_parser("list", help="List the register of documents.")
        ls.add_argument("--q")
        ls.add_argument("--kind", help="comma-separated kinds")
        ls.add_argument("--party", help="comma-separated country codes")
        ls.add_argument("--active-in", dest="active_in")
        ls.add_argument("--format", choices=("table", "json"), default="table")
        f = sub.add_parser("flags", help="Flags of a stored document.")
        f.add_argument("document", type=int)
        f.add_argument("--as-of", dest="as_of")
        f.add_argument("--format", choices=("json", "text"), default="text")
        e = sub.add_parser("export", help="Export a stored document with its flags.")
        e.add_argument("document", type=int)
        e.add_argument("--format", choices=("xlsx", "pdf", "json"), required=True)
        e.add_argument("--output", required=True)
        e.add_argument("--as-of", dest="as_of")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['subcommand']}")(options)

    def do_check(self, options: dict[str, Any]) -> None:
        path = options["file"]
        try:
            raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        try:
            out = check(data)
        except ContractError as exc:
            raise CommandError("\n".join(f"{p or '(plan)'}: {m}" for p, m in exc.errors)) from None
        self._emit(out, options["format"])

    def _emit(self, out: dict[str, Any], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(_text_report(out))

    def do_list(self, options: dict[str, Any]) -> None:
        from coopnet.plans.filtersets import DocumentFilterSet
        from coopnet.plans.models import Document

        params = QueryDict(mutable=True)
        if options.get("q"):
            params["q"] = options["q"]
        for name in ("kind", "party"):
            if options.get(name):
                params.setlist(name, [v.strip() for v in options[name].split(",") if v.strip()])
        if options.get("active_in"):
            params["active_in"] = options["active_in"]
        fs = DocumentFilterSet(params, queryset=Document.objects.annotate(n=Count("measures")))
        if not fs.is_valid():
            raise CommandError("; ".join(f"--{k.replace('_', '-')}: {' '.join(v)}" for k, v in fs.errors.items()))
        rows = [{"id": d.pk, "kind": d.kind, "title": d.title, "years": d.years, "measures": d.n,
                 "parties": [c.code for c in d.parties.all()], "source": d.source}
                for d in fs.qs.prefetch_related("parties")]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            self.stdout.write(f"{r['id']:>4}  {r['kind']:<16} {r['years']:<10} {r['measures']:>4}  "
                              f"{','.join(r['parties']):<12} {r['title'][:90]}")

    def _check(self, options: dict[str, Any]) -> Any:
        from coopnet.plans.adapter import check_document
        from coopnet.plans.models import Document

        doc = Document.objects.filter(pk=options["document"]).first()
        if doc is None:
            raise CommandError(f"no document with id {options['document']}")
        return check_document(doc, _date(options.get("as_of"), "--as-of"))

    def do_flags(self, options: dict[str, Any]) -> None:
        result = self._check(options)
        self._emit(result.as_json(), options["format"])

    def do_export(self, options: dict[str, Any]) -> None:
        from coopnet.plans import exports

        result = self._check(options)
        fmt = options["format"]
        try:
            if fmt == "xlsx":
                data = exports.to_xlsx(result)
            elif fmt == "pdf":
                data = exports.to_pdf(result)
            else:
                data = json.dumps(result.as_json(), ensure_ascii=False, indent=1).encode()
        except exports.FontMissing as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"wrote {options['output']} ({len(data)} bytes)")
