"""Eligibility of a joint cooperation project: one criterion per rule, each with its figures."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .project import Project
from .rules import RuleSet, normalise_lender
from .schedule import BaseRatePath


@dataclass(frozen=True)
class Criterion:
    code: str
    passed: bool
    message: str


CRITERIA: tuple[str, ...] = (
    "member_states",
    "duration",
    "currency",
    "rate_cap",
    "industry",
    "lender",
    "min_cost",
    "partner_supply_share",
)


def pct(value: Decimal) -> str:
    """A rate for a message: ``21`` → ``21.00%``."""
    return f"{value.quantize(Decimal('0.01'))}%"


def plain(value: Decimal) -> str:
    """A parameter for a message without trailing zeros: ``6.5000`` -> ``6.5``."""
    text = f"{value.normalize():f}"
    return text


def money(value: Decimal) -> str:
    """An amount for a message: ``1000000000`` → ``1,000,000,000.00``."""
    return f"{value.quantize(Decimal('0.01')):,}"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    target = day.year + years
    last = calendar.monthrange(target, day.month)[1]
    return date(target, day.month, min(day.day, last))


def check_member_states(project: Project, rules: RuleSet) -> Criterion:
    members = [c for c in project.countries if c in rules.member_states]
    others = [c for c in project.countries if c not in rules.member_states]
    listed = ", ".join(members) if members else "none"
    passed = len(members) >= rules.min_member_states
    text = (
        f"Enterprises of {len(members)} member states take part ({listed}); "
        f"at least {rules.min_member_states} are required."
    )
    if others:
        text += f" Participants from non-member countries do not count: {', '.join(others)}."
    return Criterion("member_states", passed, text)


def check_duration(project: Project, rules: RuleSet) -> Criterion:
    latest = add_years(project.start, rules.max_duration_years)
    if project.completion < project.start:
        return Criterion(
            "duration",
            False,
            f"Completion {project.completion.isoformat()} is before the start {project.start.isoformat()}.",
        )
    months = (project.completion.year - project.start.year) * 12 + (
        project.completion.month - project.start.month
    )
    if project.completion.day < project.start.day:
        months -= 1
    length = f"{months // 12} years {months % 12} months"
    passed = project.completion <= latest
    verb = "within" if passed else "beyond"
    return Criterion(
        "duration",
        passed,
        f"The project runs from {project.start.isoformat()} to {project.completion.isoformat()} "
        f"({length}), {verb} the limit of {rules.max_duration_years} years "
        f"(completion by {latest.isoformat()}).",
    )


def check_currency(project: Project, rules: RuleSet) -> Criterion:
    currency = project.loan.currency
    passed = currency in rules.currencies
    allowed = ", ".join(rules.currencies)
    if passed:
        return Criterion("currency", True, f"The loan is in {currency}, a member state's currency.")
    return Criterion(
        "currency",
        False,
        f"The loan is in {currency}; it must be in a member state's currency ({allowed}).",
    )


def check_rate_cap(project: Project, rules: RuleSet, base_rates: BaseRatePath) -> Criterion:
    loan = project.loan
    on = project.application_date
    base = base_rates.rate_on(on)
    if base is None:
        return Criterion(
            "rate_cap",
            False,
            f"No base rate of {loan.lender_country} is known for the application date "
            f"{on.isoformat()}, so the borrower's rate {pct(loan.rate)} cannot be checked.",
        )
    ceiling = base + rules.margin_pp
    passed = loan.rate <= ceiling
    relation = "within" if passed else "above"
    return Criterion(
        "rate_cap",
        passed,
        f"The borrower's rate {pct(loan.rate)} is {relation} the ceiling {pct(ceiling)}: "
        f"the {loan.lender_country} base rate on {on.isoformat()} {pct(base)} "
        f"+ {plain(rules.margin_pp)} percentage points.",
    )


def check_industry(project: Project, rules: RuleSet) -> Criterion:
    passed = project.industry in rules.industries
    if passed:
        return Criterion("industry", True, f"The industry '{project.industry}' is on the list.")
    return Criterion(
        "industry",
        False,
        f"The industry '{project.industry}' is not on the list of eligible industries "
        f"({', '.join(rules.industries)}).",
    )


def check_lender(project: Project, rules: RuleSet) -> Criterion:
    lender = project.loan.lender
    if rules.lender_is_approved(lender):
        return Criterion(
            "lender",
            True,
            f"{lender} is on the list of financial organisations approved by the EEC Council.",
        )
    if not rules.lenders:
        text = f"{lender} cannot be confirmed: the list of approved financial organisations is empty."
    else:
        text = (
            f"{lender} is not on the list of {len(rules.lenders)} financial organisations "
            f"approved by the EEC Council (compared as '{normalise_lender(lender)}')."
        )
    return Criterion("lender", False, text)


def check_min_cost(project: Project, rules: RuleSet) -> Criterion | None:
    minimum = rules.min_cost_rub
    if minimum is None:
        return None
    if project.cost_rub is None:
        return Criterion(
            "min_cost",
            False,
            f"The project cost is not given; at least {money(minimum)} RUB is required.",
        )
    passed = project.cost_rub >= minimum
    return Criterion(
        "min_cost",
        passed,
        f"The project costs {money(project.cost_rub)} RUB; at least {money(minimum)} RUB is required.",
    )


def check_partner_supply_share(project: Project, rules: RuleSet) -> Criterion | None:
    minimum = rules.min_partner_supply_share
    if minimum is None:
        return None
    needed = pct(minimum * 100)
    if project.partner_supply_share is None:
        return Criterion(
            "partner_supply_share",
            False,
            f"The share of supplies from partner states is not given; at least {needed} is required.",
        )
    share = project.partner_supply_share
    return Criterion(
        "partner_supply_share",
        share >= minimum,
        f"Supplies from partner states are {pct(share * 100)} of the total; at least {needed} is required.",
    )


def check(project: Project, rules: RuleSet, base_rates: BaseRatePath | None = None) -> list[Criterion]:
    """Every criterion of ``rules`` for ``project``; ``base_rates`` is the lender country's path."""
    path = base_rates if base_rates is not None else BaseRatePath(())
    criteria = [
        check_member_states(project, rules),
        check_duration(project, rules),
        check_currency(project, rules),
        check_rate_cap(project, rules, path),
        check_industry(project, rules),
        check_lender(project, rules),
    ]
    for optional in (check_min_cost(project, rules), check_partner_supply_share(project, rules)):
        if optional is not None:
            criteria.append(optional)
    return criteria


def is_eligible(criteria: list[Criterion]) -> bool:
    return all(c.passed for c in criteria)
