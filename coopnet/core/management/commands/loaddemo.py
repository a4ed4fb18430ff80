"""Load the demo: real organisations and facts from the seeds (with provenance), and demo accounts."""
from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand

DEMO_APPS = ("registry", "exchange", "financing", "plans", "stats")


class Command(BaseCommand):
    help = "Load (or refresh) the demo data of every module and the demo accounts. Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", nargs="*", choices=DEMO_APPS, help="Load only these modules.")

    def handle(self, *args: Any, **options: Any) -> None:
        apps = options.get("only") or DEMO_APPS
        for app in apps:
            try:
                module = importlib.import_module(f"coopnet.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"coopnet.{app}.demo":
                    continue
                raise
            module.load(self.stdout)
        from coopnet.accounts.demo import load as load_accounts

        for line in load_accounts():
            self.stdout.write(line)
