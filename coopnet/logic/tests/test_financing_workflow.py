"""Selection workflow and monitoring flags (pure logic)."""

from datetime import date
from decimal import Decimal

import pytest

from coopnet.logic.financing import workflow as wf
from coopnet.logic.financing.monitoring import Figures, compare, due_date, overdue


def test_the_happy_path_from_submission_to_approval() -> None:
    stage = None
    path = [
        ("submit", "bank"),
        ("start_expertise", "commission"),
        ("pass_expertise", "commission"),
        ("recommend", "commission"),
        ("approve", "commission"),
    ]
    seen = []
    for decision, role in path:
        stage = wf.move(stage, decision, {role}).target
        seen.append(stage)
    assert seen == [
        "submitted",
        "primary_expertise",
        "consultative_committee",
        "council_decision",
        "approved",
    ]
    assert wf.moves_from("approved") == []


def test_only_the_right_role_moves_a_stage() -> None:
    with pytest.raises(wf.TransitionError, match="only the commission role may take 'start_expertise'"):
        wf.move("submitted", "start_expertise", {"enterprise"})
    with pytest.raises(wf.TransitionError, match="only the bank role may take 'submit'"):
        wf.move(None, "submit", {"commission"})
    with pytest.raises(wf.TransitionError, match="roles held: none"):
        wf.move("returned", "resubmit", set())


def test_wrong_stage_and_unknown_decision() -> None:
    with pytest.raises(wf.TransitionError, match="'approve' is not possible at stage 'submitted'"):
        wf.move("submitted", "approve", {"commission"})
    with pytest.raises(wf.TransitionError, match="possible: none, the stage is final"):
        wf.move("rejected", "resubmit", {"bank"})
    with pytest.raises(wf.TransitionError, match="unknown decision 'bless'"):
        wf.move("submitted", "bless", {"commission"})


def test_return_and_reject_need_a_reason_and_a_returned_application_is_resubmitted() -> None:
    for stage in wf.OPEN_STAGES:
        with pytest.raises(wf.TransitionError, match="needs a reason"):
            wf.move(stage, "return", {"commission"}, " ")
        assert wf.move(stage, "reject", {"commission"}, "not a cooperation project").target == "rejected"
    assert wf.move("council_decision", "return", {"commission"}, "budget").target == "returned"
    assert wf.move("returned", "resubmit", {"bank"}).target == "submitted"
    assert [m.decision for m in wf.moves_from("returned", {"commission"})] == []


def test_monitoring_flags_name_the_figures() -> None:
    plan = Figures(output=Decimal(1000), jobs=Decimal(120), mutual_supplies=Decimal(500), taxes=Decimal(80))
    actual = Figures(output=Decimal(950), jobs=Decimal(60), taxes=Decimal(90), subsidy_paid=Decimal(110))
    flags = compare(2026, plan, actual, scheduled_subsidy=Decimal(100))
    assert [(f.code, f.indicator) for f in flags] == [
        ("below_plan", "jobs"),
        ("missing_figure", "mutual_supplies"),
        ("subsidy_above_schedule", "subsidy_paid"),
    ]
    assert flags[0].message == "2026: jobs 60 is 50.0% of the plan 120."
    assert compare(2026, plan, plan) == []


def test_overdue_reports() -> None:
    assert due_date(2025) == date(2026, 3, 31)
    flags = overdue([2025, 2026], reported=[], today=date(2026, 4, 1))
    assert [f.message for f in flags] == ["The report for 2025 was due on 2026-03-31."]
    assert overdue([2025], reported=[2025], today=date(2027, 1, 1)) == []
