"""Permissions in querysets, the stage workflow with its history, and the budget refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coopnet.financing import services
from coopnet.financing.choices import Stage
from coopnet.financing.models import Application, BudgetEnvelope, Commitment, StageTransition

from .factories import advance, application, consortium, org, regulation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, object]:
    regulation()
    sber, gpb = org("ПАО Сбербанк", "RU", "bank"), org("Газпромбанк", "RU", "bank")
    members = consortium()
    outsider = org("Outside LLC", "KZ")
    return {
        "sber_bank": sber,
        "sber": user("sber-user", "bank", "RU", sber),
        "gpb": user("gpb-user", "bank", "RU", gpb),
        "eec": user("eec-user", "commission"),
        "voyage": user("voyage-user", "enterprise", "RU", members[0][0]),
        "outsider": user("outsider-user", "enterprise", "KZ", outsider),
        "analyst": user("analyst-user", "analyst"),
        "members": members,
    }


def test_a_bank_sees_only_its_own_applications(world: dict) -> None:
    mine = application(world["sber_bank"], world["members"])
    other = application(org("Other bank", "RU", "bank"), world["members"])
    visible = set(Application.objects.restrict(world["sber"], "view"))
    assert mine in visible and other not in visible
    assert set(Application.objects.restrict(world["gpb"], "view")) == set()
    assert set(Application.objects.restrict(world["eec"], "view")) == {mine, other}
    assert set(Application.objects.restrict(world["voyage"], "view")) == {mine, other}
    assert not Application.objects.restrict(world["outsider"], "view").exists()
    assert not Application.objects.restrict(world["analyst"], "view").exists()
    assert not Application.objects.restrict(None, "view").exists()


def test_a_bank_cannot_move_another_banks_application(world: dict) -> None:
    app = application(world["sber_bank"], world["members"], stage=Stage.RETURNED)
    with pytest.raises(PermissionDenied):
        services.transition(app, world["gpb"], "resubmit")
    services.transition(app, world["sber"], "resubmit")
    app.refresh_from_db()
    assert app.stage == Stage.SUBMITTED


def test_an_enterprise_sees_its_project_but_cannot_move_a_stage(world: dict) -> None:
    app = application(world["sber_bank"], world["members"])
    assert Application.objects.restrict(world["voyage"]).filter(pk=app.pk).exists()
    for decision in ("start_expertise", "reject", "return"):
        with pytest.raises(PermissionDenied, match="only the commission role"):
            services.transition(app, world["voyage"], decision, "because")
    with pytest.raises(PermissionDenied):
        services.transition(app, world["outsider"], "start_expertise")
    app.refresh_from_db()
    assert app.stage == Stage.SUBMITTED
    assert not app.transitions.exists()


def test_a_bank_cannot_take_the_commissions_decisions(world: dict) -> None:
    app = application(world["sber_bank"], world["members"])
    with pytest.raises(PermissionDenied, match="only the commission role may take 'start_expertise'"):
        services.transition(app, world["sber"], "start_expertise")


def test_every_decision_is_in_the_history(world: dict) -> None:
    for year in range(2025, 2030):
        BudgetEnvelope.objects.create(year=year, duties_revenue_rub=Decimal("30000000000"))
    app = application(world["sber_bank"], world["members"])
    services.record_submission(app, world["sber"])
    advance(app, world["eec"], "start_expertise")
    services.transition(app, world["eec"], "return", "the supply contracts are missing")
    services.transition(app, world["sber"], "resubmit")
    advance(app, world["eec"], "start_expertise", "pass_expertise", "recommend", "approve")
    rows = list(StageTransition.objects.filter(application=app).order_by("at", "pk"))
    assert [(r.decision, r.from_stage, r.to_stage) for r in rows] == [
        ("submit", "", "submitted"),
        ("start_expertise", "submitted", "primary_expertise"),
        ("return", "primary_expertise", "returned"),
        ("resubmit", "returned", "submitted"),
        ("start_expertise", "submitted", "primary_expertise"),
        ("pass_expertise", "primary_expertise", "consultative_committee"),
        ("recommend", "consultative_committee", "council_decision"),
        ("approve", "council_decision", "approved"),
    ]
    assert rows[2].reason == "the supply contracts are missing"
    assert rows[2].actor == world["eec"] and rows[3].actor == world["sber"]
    assert all(r.at is not None for r in rows)
    app.refresh_from_db()
    assert app.stage == Stage.APPROVED
    assert app.history.count() >= 8
    # the approval committed the schedule year by year
    commitments = {c.year: c.amount_rub for c in Commitment.objects.filter(application=app)}
    evaluation = services.evaluate(app)
    assert commitments == {y: a for y, a in evaluation.by_year_rub().items() if a > 0}
    assert rows[-1].subsidy_total_rub == evaluation.total_rub


def test_return_and_reject_need_a_reason(world: dict) -> None:
    app = application(world["sber_bank"], world["members"])
    with pytest.raises(ValidationError, match="needs a reason"):
        services.transition(app, world["eec"], "reject", "  ")
    with pytest.raises(ValidationError, match="is not possible at stage 'submitted'"):
        services.transition(app, world["eec"], "approve")


def test_approval_beyond_the_budget_is_refused_with_the_figures(world: dict) -> None:
    # 2025 envelope: 10% of 2 bn = 200 m RUB. The 2025 subsidy on 1 bn from 1 March follows the Bank of
    # Russia's key rate: 21% x 100 days + 20% x 49 + 18% x 49 + 17% x 42 + 16.5% x 66, / 365 = 157,945,205.48
    BudgetEnvelope.objects.create(year=2025, duties_revenue_rub=Decimal("2000000000"))
    first = application(world["sber_bank"], world["members"], stage=Stage.COUNCIL_DECISION,
                        completion="2025-12-31")
    services.transition(first, world["eec"], "approve")
    assert Commitment.objects.get(application=first, year=2025).amount_rub == Decimal("157945205.48")
    second = application(world["sber_bank"], consortium(), stage=Stage.COUNCIL_DECISION, completion="2025-12-31")
    with pytest.raises(services.BudgetRefused) as info:
        services.transition(second, world["eec"], "approve")
    message = " ".join(info.value.messages)
    assert "2025: the subsidy 157,945,205.48 RUB exceeds what is left of the envelope, 42,054,794.52 RUB" in message
    assert "of 200,000,000.00 RUB (157,945,205.48 RUB already committed)" in message
    second.refresh_from_db()
    assert second.stage == Stage.COUNCIL_DECISION
    assert not second.transitions.exists() and not Commitment.objects.filter(application=second).exists()


def test_years_without_an_envelope_are_committed_and_count_once_it_is_set(world: dict) -> None:
    app = application(world["sber_bank"], world["members"], stage=Stage.COUNCIL_DECISION)
    assert services.unbudgeted_years(services.evaluate(app)) == [2025, 2026, 2027, 2028, 2029]
    services.transition(app, world["eec"], "approve")
    committed_2026 = Commitment.objects.get(application=app, year=2026).amount_rub
    envelope = BudgetEnvelope.objects.create(year=2026, duties_revenue_rub=Decimal("5000000000"))
    assert envelope.remaining == Decimal("500000000.00") - committed_2026


def test_envelope_amount_is_revenue_times_share() -> None:
    envelope = BudgetEnvelope(year=2026, duties_revenue_rub=Decimal("90000000000"), share_pct=Decimal("10"))
    assert envelope.amount == Decimal("9000000000.00")


def test_available_decisions_follow_role_stage_and_ownership(world: dict) -> None:
    app = application(world["sber_bank"], world["members"], stage=Stage.RETURNED)
    assert [m.decision for m in services.available_decisions(app, world["sber"])] == ["resubmit"]
    assert services.available_decisions(app, world["gpb"]) == []
    assert services.available_decisions(app, world["voyage"]) == []
    assert services.available_decisions(app, world["eec"]) == []
    app.stage = Stage.PRIMARY_EXPERTISE
    assert [m.decision for m in services.available_decisions(app, world["eec"])] == [
        "pass_expertise", "return", "reject"]
    assert services.available_decisions(app, world["sber"]) == []
