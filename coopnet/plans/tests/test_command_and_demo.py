"""`coopnet plans …` and the demo loaded from the seeds."""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coopnet.logic.plans.seeds import DATA_DIR, UNION_STATE_2024_2026
from coopnet.plans import demo
from coopnet.plans.adapter import check_document
from coopnet.plans.models import Document, Measure, StatusReport

SEED_FILE = DATA_DIR / UNION_STATE_2024_2026


def run(*args: Any) -> str:
    out = StringIO()
    call_command("plans", *args, stdout=out)
    return out.getvalue()


def test_check_text_and_json() -> None:
    text = run("check", str(SEED_FILE))
    assert text.startswith("7 measures, 2 with a deadline")
    data = json.loads(run("check", str(SEED_FILE), "--format", "json"))
    assert data["summary"]["flags_by_code"]["no_deadline"] == 5


def test_check_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"title": "x", "period": {"start": "2024-01-01", "end": "2025-01-01"},
                               "as_of": "2024-06-01", "measures": [{"id": "1", "text": "t", "deadline": "soon"}]}))
    with pytest.raises(CommandError, match=r"measures\[0\]\.deadline: not a date \(YYYY-MM-DD\)"):
        run("check", str(bad))
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not JSON"):
        run("check", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        run("check", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_demo_is_idempotent_and_reproduces_seed_003(reference_data: None, tmp_path: Path) -> None:
    demo.load(StringIO())
    counts = (Document.objects.count(), Measure.objects.count(), StatusReport.objects.count())
    demo.load(StringIO())
    assert (Document.objects.count(), Measure.objects.count(), StatusReport.objects.count()) == counts
    assert Document.objects.exclude(source="").count() == Document.objects.count()
    plan = Document.objects.get(ref="us-action-plan-2024")
    result = check_document(plan)
    assert result.summary["measures"] == 7 and result.summary["with_deadline"] == 2
    assert result.summary["flags_by_code"]["no_deadline"] == 5
    carried = [f for f in result.flags if f.code == "carried_over"]
    assert [f.measure for f in carried] == ["4.3"]
    uz = Document.objects.get(ref="by-uz-roadmap-2018")
    assert uz.declared_measures == 158 and uz.source.endswith(":1520")
    assert Document.objects.filter(other_parties__icontains="UNIDO").count() >= 8
    platforms = Document.objects.get(ref="eaeu-tech-platforms-2016")
    assert platforms.directions.count() == 16
    out = run("list", "--kind", "roadmap", "--party", "UZ")
    assert "Дорожная карта по развитию сотрудничества между Республикой Беларусь" in out
    assert "carried_over" in run("flags", str(plan.pk), "--as-of", "2024-06-30")
    target = tmp_path / "plan.xlsx"
    assert "wrote" in run("export", str(plan.pk), "--format", "xlsx", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="no document"):
        run("flags", "999999")
