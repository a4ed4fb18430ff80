"""The financing app's use of the pure logic: stored rules and rates in, checks and decisions out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from coopnet.accounts.roles import has_role, public_label
from coopnet.logic.financing import contract, eligibility, workflow
from coopnet.logic.financing.eligibility import Criterion
from coopnet.logic.financing.project import Flow, Loan, Participant, Project, RateStep
from coopnet.logic.financing.rules import RuleSet, rule_set_in_force
from coopnet.logic.financing.schedule import BaseRatePath, ScheduleError, SubsidySchedule, subsidy_schedule

from .choices import FlowKind, Stage
from .models import (
    Application,
    ApprovedLender,
    BaseRate,
    BudgetEnvelope,
    Commitment,
    RuleSetVersion,
    StageTransition,
)

ROLES = ("bank", "commission")


def stored_base_rates(country: str | None = None) -> dict[str, list[RateStep]]:
    rows = BaseRate.objects.order_by("country_id", "date")
    if country:
        rows = rows.filter(country_id=country)
    paths: dict[str, list[RateStep]] = {}
    for row in rows.values_list("country_id", "date", "rate"):
        paths.setdefault(row[0], []).append(RateStep(row[1], row[2]))
    return paths


def rule_sets(on_date: date | None = None) -> list[RuleSet]:
    """Every stored rule set, with the approved lenders on ``on_date`` (today when not given)."""
    day = on_date or timezone.localdate()
    lenders = tuple(name for lender in ApprovedLender.objects.on(day) for name in lender.names)
    return [v.to_rules(lenders) for v in RuleSetVersion.objects.prefetch_related("industries")]


def check_payload(payload: Any) -> dict[str, Any]:
    """The ``projects check`` contract on stored rules and rates; raises ``contract.ContractError``."""
    if isinstance(payload, (str, bytes)):
        payload = contract.loads(payload)
    request = contract.parse(payload)
    return contract.compute(
        request, rule_sets(request.project.application_date), stored_base_rates(request.project.loan.lender_country)
    )


def project_of(app: Application) -> Project:
    flows = list(app.flows.all())
    return Project(
        title=app.title,
        industry=app.industry_id,
        application_date=app.application_date,
        start=app.start,
        completion=app.completion,
        participants=tuple(Participant(p.name, p.country_id, p.role) for p in app.participants.all()),
        loan=Loan(
            lender=app.lender_name,
            lender_country=app.lender_country_id,
            currency=app.currency,
            rate=app.loan_rate,
            drawdowns=tuple(Flow(f.date, f.amount) for f in flows if f.kind == FlowKind.DRAWDOWN),
            repayments=tuple(Flow(f.date, f.amount) for f in flows if f.kind == FlowKind.REPAYMENT),
            maturity=app.maturity,
        ),
        cost_rub=app.cost_rub,
        partner_supply_share=app.partner_supply_share,
    )


@dataclass
class Evaluation:
    rules: RuleSet | None
    criteria: list[Criterion]
    schedule: SubsidySchedule | None
    fx_rub: Decimal
    error: str = ""

    @property
    def eligible(self) -> bool:
        return bool(self.criteria) and eligibility.is_eligible(self.criteria) and not self.error

    @property
    def total_rub(self) -> Decimal:
        if self.schedule is None:
            return Decimal("0.00")
        return (self.schedule.total * self.fx_rub).quantize(Decimal("0.01"))

    def by_year_rub(self) -> dict[int, Decimal]:
        if self.schedule is None:
            return {}
        return {y.year: (y.amount * self.fx_rub).quantize(Decimal("0.01")) for y in self.schedule.years}


def evaluate(app: Application) -> Evaluation:
    """Eligibility and subsidy schedule of a stored application, never raising on bad data."""
    project = project_of(app)
    fx = app.fx_rub if app.fx_rub else Decimal(1)
    try:
        rules = rule_set_in_force(rule_sets(app.application_date), app.application_date)
    except LookupError as exc:
        return Evaluation(None, [], None, fx, str(exc))
    path = BaseRatePath(stored_base_rates(app.lender_country_id).get(app.lender_country_id, ()))
    criteria = eligibility.check(project, rules, path)
    if not project.loan.drawdowns:
        return Evaluation(rules, criteria, None, fx, "the loan has no drawdown")
    if app.currency != "RUB" and not app.fx_rub:
        return Evaluation(rules, criteria, None, fx, f"no exchange rate to RUB for {app.currency}")
    try:
        schedule = subsidy_schedule(
            project.loan.drawdowns, project.loan.repayments, project.loan.rate, path,
            end=project.accrual_end, share=rules.subsidised_share, day_count=rules.day_count,
            annual_cap_rub=rules.annual_cap_rub, fx_rub=fx, currency=app.currency,
        )
    except ScheduleError as exc:
        return Evaluation(rules, criteria, None, fx, str(exc))
    return Evaluation(rules, criteria, schedule, fx)


def roles_of(user: Any) -> set[str]:
    return {role for role in ROLES if has_role(user, role)}


def available_decisions(app: Application, user: Any) -> list[workflow.Move]:
    """The decisions ``user`` may take on ``app`` now (none on an application they cannot see; a
    returned application is resubmitted only by its own bank)."""
    if not Application.objects.restrict(user, "view").filter(pk=app.pk).exists():
        return []
    moves = workflow.moves_from(app.stage, roles_of(user))
    if any(m.decision == "resubmit" for m in moves):
        if not Application.objects.restrict(user, "change").filter(pk=app.pk).exists():
            moves = [m for m in moves if m.decision != "resubmit"]
    return moves


class BudgetRefused(ValidationError):
    """Approval would commit more subsidy than a year's envelope has left."""


def unbudgeted_years(evaluation: Evaluation) -> list[int]:
    """Years with subsidy but no envelope yet (their commitments are counted once it is set)."""
    budgeted = set(BudgetEnvelope.objects.values_list("year", flat=True))
    return [y for y, amount in sorted(evaluation.by_year_rub().items()) if amount > 0 and y not in budgeted]


def budget_shortfalls(evaluation: Evaluation, exclude: Application | None = None) -> list[str]:
    """A message with the figures for each year whose envelope cannot carry the subsidy (years with
    no envelope yet are not refused: see :func:`unbudgeted_years`)."""
    problems = []
    for year, amount in sorted(evaluation.by_year_rub().items()):
        if amount <= 0:
            continue
        envelope = BudgetEnvelope.objects.filter(year=year).first()
        if envelope is None:  # a future year's budget is not set yet: committed, checked when it is
            continue
        committed = envelope.committed
        if exclude is not None:
            mine = Commitment.objects.filter(application=exclude, year=year).first()
            committed -= mine.amount_rub if mine else Decimal(0)
        left = envelope.amount - committed
        if amount > left:
            problems.append(
                f"{year}: the subsidy {amount:,.2f} RUB exceeds what is left of the envelope, "
                f"{left:,.2f} RUB of {envelope.amount:,.2f} RUB ({committed:,.2f} RUB already committed)"
            )
    return problems


@transaction.atomic
def transition(app: Application, user: Any, decision: str, reason: str = "") -> StageTransition:
    """Take ``decision`` on ``app`` as ``user``: checked against the workflow, the user's roles and
    visibility, and for an approval against the budget. Raises PermissionDenied or ValidationError."""
    locked = Application.objects.select_for_update().get(pk=app.pk)
    if not Application.objects.restrict(user, "view").filter(pk=app.pk).exists():
        raise PermissionDenied("You cannot see this application.")
    try:
        move = workflow.move(locked.stage, decision, roles_of(user), reason)
    except workflow.TransitionError as exc:
        if "role" in str(exc):
            raise PermissionDenied(str(exc)) from None
        raise ValidationError(str(exc)) from None
    if decision == "resubmit" and not Application.objects.restrict(user, "change").filter(pk=app.pk).exists():
        raise PermissionDenied("Only the submitting bank resubmits its application.")

    evaluation = evaluate(locked)
    if decision == "approve":
        if evaluation.schedule is None:
            raise ValidationError(f"The subsidy cannot be computed: {evaluation.error}")
        problems = budget_shortfalls(evaluation, exclude=locked)
        if problems:
            raise BudgetRefused("Approval refused: " + "; ".join(problems) + ".")
        for year, amount in evaluation.by_year_rub().items():
            if amount > 0:
                Commitment.objects.update_or_create(application=locked, year=year,
                                                    defaults={"amount_rub": amount})

    record = StageTransition.objects.create(
        application=locked,
        decision=decision,
        from_stage=locked.stage,
        to_stage=move.target,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=_actor_name(user),
        reason=reason.strip(),
        subsidy_total_rub=evaluation.total_rub if evaluation.schedule is not None else None,
    )
    locked.stage = move.target
    locked.stage_changed = record.at
    locked.save(update_fields=["stage", "stage_changed", "updated"])
    app.stage, app.stage_changed = locked.stage, locked.stage_changed
    return record


def _actor_name(user: Any) -> str:
    """The actor as the record shows it to everyone: role and organisation, not the user name."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return public_label(user)


def record_submission(app: Application, user: Any, when: Any = None) -> StageTransition:
    """The first transition of a new application (the bank's submission)."""
    if "bank" not in roles_of(user):
        raise PermissionDenied("Only an authorised bank submits an application.")
    evaluation = evaluate(app)
    return StageTransition.objects.create(
        application=app, decision="submit", from_stage="", to_stage=Stage.SUBMITTED,
        actor=user, actor_name=_actor_name(user), at=when or timezone.now(),
        subsidy_total_rub=evaluation.total_rub if evaluation.schedule is not None else None,
    )
