"""`coopnet export organizations FILE [--source NAME] [--country CC]`: CSV or XLSX by extension."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopnet.registry.exporting import export_organisations


class Command(BaseCommand):
    help = "Export organisations in the import format (CSV or XLSX by the file's extension)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=("organizations", "organisations"))
        parser.add_argument("file", help="Output file, .csv or .xlsx.")
        parser.add_argument("--source", help="Only organisations of this import source.")
        parser.add_argument("--country", help="Only organisations of this country (ISO code).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            n = export_organisations(options["file"], source=options["source"],
                                     country=(options["country"] or "").upper() or None)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} organisations written to {options['file']}")
