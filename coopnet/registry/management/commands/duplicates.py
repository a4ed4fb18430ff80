"""`coopnet duplicates [--auto-merge] [--format json]`: duplicate candidates across the registry.

Pairs at or above --auto-threshold are *automatic* (merged with --auto-merge); between the two
thresholds they are *pending* for review on the duplicates page."""
from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopnet.logic.registry.dedupe import DEFAULT_AUTO_THRESHOLD, DEFAULT_REVIEW_THRESHOLD
from coopnet.registry.dedupe import scan
from coopnet.registry.models import Organisation


class Command(BaseCommand):
    help = "Find duplicate organisations across the registry and store them for review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--auto-merge", action="store_true", help="Merge the automatic pairs.")
        parser.add_argument("--auto-threshold", type=float, default=DEFAULT_AUTO_THRESHOLD)
        parser.add_argument("--review-threshold", type=float, default=DEFAULT_REVIEW_THRESHOLD)
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        auto, review = options["auto_threshold"], options["review_threshold"]
        if not 0 <= review <= auto <= 1:
            raise CommandError("thresholds must satisfy 0 <= review <= auto <= 1")
        found = scan(auto, review, auto_merge=options["auto_merge"])
        orgs = Organisation.objects.in_bulk({c.organisation_a_id for c in found} | {c.organisation_b_id for c in found})
        rows = []
        for c in found:
            c.refresh_from_db(fields=["status"])
            a, b = orgs[c.organisation_a_id], orgs[c.organisation_b_id]
            rows.append({"candidate": c.pk, "a": a.public_id, "a_name": a.name, "b": b.public_id, "b_name": b.name,
                         "confidence": c.confidence, "status": c.status, "reasons": c.reasons})
        if options["format"] == "json":
            self.stdout.write(json.dumps({"count": len(rows), "results": rows}, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(f"{r['confidence']:.2f} {r['status']:<9} {r['a']} {r['a_name']} ~ {r['b']} "
                              f"{r['b_name']}: {'; '.join(r['reasons'])}")
        self.stdout.write(f"{len(rows)} candidate pair(s)")
