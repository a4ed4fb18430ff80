"""The database adapter feeds the pure flags and rates; status reports give the status history."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coopnet.plans.adapter import check_document, compare_documents, to_plan
from coopnet.plans.models import Document, Measure, StatusReport

pytestmark = pytest.mark.django_db


def codes(result: Any, number: str) -> set[str]:
    return {f.code for f in result.by_measure.get(number, [])}


def test_to_plan_reads_sides_responsible_control_points_and_previous(plans: dict[str, Any]) -> None:
    plan = to_plan(plans["new"], date(2025, 6, 30))
    assert plan.sides == ("BY", "RU")
    assert plan.period.start == date(2024, 1, 1) and plan.reporting_period_months == 6
    m2 = plan.measures[1]
    assert m2.id == "4.2" and m2.control_points == (date(2024, 12, 31), date(2025, 6, 30))
    assert {r.side for r in m2.responsible} == {"RU", "BY"}
    assert plan.previous is not None and [p.id for p in plan.previous.measures] == ["1", "2"]


def test_flags_beside_each_measure(plans: dict[str, Any]) -> None:
    result = check_document(plans["new"], date(2025, 6, 30))
    assert codes(result, "4.1") == {"no_deadline", "no_control_points", "one_sided_responsibility", "no_indicator",
                                    "no_risk_assessment", "carried_over", "stale"}
    assert codes(result, "4.2") == {"stale"}
    carried = next(f for f in result.flags if f.code == "carried_over")
    assert carried.details["previous_measure"] == "1"
    assert carried.details["previous_text"].startswith("Mutual recognition")


def test_reports_set_status_clear_stale_and_move_the_rate(plans: dict[str, Any], ministry_by: Any) -> None:
    m2: Measure = plans["m2"]
    StatusReport.objects.create(measure=m2, date=date(2024, 12, 20), status="in_progress", author=ministry_by)
    StatusReport.objects.create(measure=m2, date=date(2025, 6, 1), status="partially", author=ministry_by)
    m2.refresh_from_db()
    assert m2.status == "partially"
    result = check_document(plans["new"], date(2025, 6, 30))
    assert "stale" not in codes(result, "4.2")
    assert result.rate()["rate"] == pytest.approx(0.25)
    timeline = {p["date"]: p["rate"] for p in result.timeline()}
    assert timeline["2024-12-20"] == 0.0 and timeline["2025-06-01"] == pytest.approx(0.25)
    # a later report that is deleted gives the status back
    done = StatusReport.objects.create(measure=m2, date=date(2025, 6, 20), status="done", author=ministry_by)
    m2.refresh_from_db()
    assert m2.status == "done"
    done.delete()
    m2.refresh_from_db()
    assert m2.status == "partially"


def test_overdue_after_deadline(plans: dict[str, Any]) -> None:
    result = check_document(plans["new"], date(2026, 1, 10))
    assert "overdue" in codes(result, "4.2")


def test_history_is_kept(plans: dict[str, Any]) -> None:
    m2: Measure = plans["m2"]
    m2.text = "Road maps in microelectronics, machine tools and components"
    m2.save()
    assert m2.history.count() == 2
    assert m2.history.earliest().text.startswith("Road maps in microelectronics and machine-tool")


def test_compare_documents(plans: dict[str, Any]) -> None:
    out = compare_documents(plans["old"], plans["new"])
    assert out["summary"] == {"kept": 0, "reworded": 1, "dropped": 1, "added": 1}
    assert out["reworded"][0]["previous_id"] == "1" and out["reworded"][0]["id"] == "4.1"


def test_restrict_change(plans: dict[str, Any], ministry_by: Any, ministry_kz: Any) -> None:
    assert Measure.objects.restrict(ministry_by, "change").filter(pk=plans["m2"].pk).exists()
    assert not Measure.objects.restrict(ministry_kz, "change").filter(pk=plans["m2"].pk).exists()
    # A ministry changes the documents its country is a party to (all three name Belarus), Kazakhstan's none.
    assert Document.objects.restrict(ministry_by, "change").count() == 3
    plans["other"].parties.set(["UZ"])
    assert set(Document.objects.restrict(ministry_by, "change")) == {plans["old"], plans["new"]}
    assert not Document.objects.restrict(ministry_kz, "change").exists()
    assert not Document.objects.restrict(None, "change").exists()
    assert Document.objects.restrict(None, "view").count() == 3


def test_period_falls_back_to_signed_date_and_deadlines(plans: dict[str, Any]) -> None:
    plan = to_plan(plans["other"], date(2020, 5, 31))
    assert plan.period.start == date(2018, 11, 1) and plan.period.end == date(2020, 5, 31)
    assert plan.measures == ()
