"""coopnet expireopportunities — mark published opportunities past their expiry date as expired (daily)."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...choices import Status
from ...models import Opportunity


class Command(BaseCommand):
    help = "Expire published opportunities whose expiry date has passed (their owners can renew them)."

    def handle(self, *args: Any, **opts: Any) -> None:
        today = timezone.localdate()
        count = 0
        for opp in Opportunity.objects.filter(status=Status.PUBLISHED, expires_on__lt=today):
            count += opp.expire_if_due(today)
        self.stdout.write(f"{count} opportunities expired")
