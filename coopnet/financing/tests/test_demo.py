"""The demo: real applications at their real stages, idempotent, every decision in the history."""

from __future__ import annotations

import io

import pytest

from coopnet.financing import demo, services
from coopnet.financing.choices import Stage
from coopnet.financing.models import Application, BaseRate, BudgetEnvelope, RuleSetVersion

pytestmark = pytest.mark.django_db


def test_demo_loads_the_real_projects_at_their_stages(demo_registry: None) -> None:
    out = io.StringIO()
    demo.load(out)
    demo.load(out)  # idempotent
    assert "7 real applications" in out.getvalue()
    approved = Application.objects.approved()
    titles = " ".join(approved.values_list("title", flat=True))
    assert approved.count() == 2 and "Beshtau" in titles and "NPO Voyage" in titles
    beshtau = approved.get(title__contains="Beshtau")
    assert sorted(beshtau.participants.values_list("country_id", flat=True)) == ["BY", "KG", "RU"]
    assert all(p.organisation_id for p in beshtau.participants.all())
    assert [t.to_stage for t in beshtau.transitions.order_by("at", "pk")] == [
        "submitted", "primary_expertise", "consultative_committee", "council_decision", "approved"]
    kurgan = Application.objects.get(title__contains="Kurgan")
    assert kurgan.bank.ref == "RU-SBERBANK" and kurgan.stage == Stage.SUBMITTED
    assert Application.objects.get(title__contains="Titan").bank.ref == "RU-GAZPROMBANK"
    assert Application.objects.filter(stage=Stage.COUNCIL_DECISION).count() == 3
    assert Application.objects.count() == 8
    assert BudgetEnvelope.objects.get(year=2026).amount == 9_000_000_000
    assert RuleSetVersion.objects.count() == 2
    assert BaseRate.objects.filter(country_id="RU", source="Bank of Russia").count() >= 20


def test_the_real_approved_projects_pass_the_criteria_whose_facts_are_known(demo_registry: None) -> None:
    demo.load()
    for app in Application.objects.approved():
        criteria = {c.code: c.passed for c in services.evaluate(app).criteria}
        assert criteria["member_states"] and criteria["industry"] and criteria["currency"]


def test_demo_synthetic_application_has_a_subsidy_schedule(demo_registry: None) -> None:
    demo.load()
    app = Application.objects.get(is_synthetic=True)
    evaluation = services.evaluate(app)
    assert evaluation.eligible, evaluation.criteria
    assert evaluation.schedule is not None and evaluation.total_rub > 0
