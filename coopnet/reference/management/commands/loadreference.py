from typing import Any

from django.core.management.base import BaseCommand

from coopnet.reference.loading import load
from coopnet.reference.models import Country, HSCode, NACECode, Region


class Command(BaseCommand):
    help = "Reload the reference data (countries, regions, HS, NACE) from coopnet/reference/data/."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load(Country, Region, HSCode, NACECode)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
