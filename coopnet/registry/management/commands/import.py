"""`coopnet import organizations FILE [--source NAME] [--dry-run]`: bulk import with a row-level report.

The whole file is validated first; with any invalid row nothing is written and the command exits
with status 1. Re-importing the same file (same --source) updates and never duplicates."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopnet.registry.importing import DEFAULT_SOURCE, import_organisations

WHAT = ("organizations", "organisations")


class Command(BaseCommand):
    help = "Import organisations from a CSV or XLSX file (all or nothing, with a row-level report)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=WHAT, help="What to import: organizations.")
        parser.add_argument("file", help="CSV or XLSX file.")
        parser.add_argument("--source", default=DEFAULT_SOURCE,
                            help="Import source; refs are unique within it (default: %(default)s).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")
        parser.add_argument("--no-duplicates", action="store_true", help="Skip the duplicate check.")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with path.open("rb") as f:
            result = import_organisations(f, path.name, source=options["source"], dry_run=options["dry_run"],
                                          duplicates=not options["no_duplicates"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in result.lines():
                self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"{result.report.errors_total} invalid row(s)" if not result.report.file_error
                               else result.report.file_error, returncode=1)
