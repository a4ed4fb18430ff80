"""`coopnet projects check FILE --format json|text`: eligibility and subsidy schedule of a project file.

Reads the stored rule sets, approved lenders and base rates; a file's ``base_rates`` replaces the
stored history of the lender country (a scenario). A bad file prints ``error: <field>: <problem>``
on stderr and exits with status 2; nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coopnet.logic.financing import contract

from ...services import check_payload


class Command(BaseCommand):
    help = "Joint cooperation projects: `check FILE` prints eligibility and the subsidy schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("check", help="check a project file (JSON; '-' reads standard input)")
        check.add_argument("file", metavar="FILE")
        check.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check_file(options["file"], options["format"])

    def check_file(self, file: str, fmt: str) -> None:
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from None
        try:
            result = check_payload(data)
        except contract.ContractError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(contract.format_text(result))
