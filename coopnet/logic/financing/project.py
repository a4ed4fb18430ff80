"""The facts of a joint cooperation project and its loan, as plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PARTICIPANT_ROLES: tuple[str, ...] = ("lead", "supplier", "buyer", "investor", "partner")


@dataclass(frozen=True)
class Participant:
    name: str
    country: str  # ISO 3166-1 alpha-2
    role: str = "partner"


@dataclass(frozen=True)
class Flow:
    """A drawdown or a repayment of principal, in the loan's currency."""

    date: date
    amount: Decimal


@dataclass(frozen=True)
class RateStep:
    """A base rate (percent a year) in force from ``date`` until the next step."""

    date: date
    rate: Decimal


@dataclass(frozen=True)
class Loan:
    lender: str
    lender_country: str
    currency: str
    rate: Decimal  # the borrower's rate, percent a year
    drawdowns: tuple[Flow, ...]
    repayments: tuple[Flow, ...] = ()
    maturity: date | None = None  # day the loan ends (not accrued); None: the project's completion


@dataclass(frozen=True)
class Project:
    title: str
    industry: str
    application_date: date
    start: date
    completion: date
    participants: tuple[Participant, ...]
    loan: Loan
    cost_rub: Decimal | None = None
    partner_supply_share: Decimal | None = None  # fraction of supplies from partner states

    @property
    def countries(self) -> tuple[str, ...]:
        seen: list[str] = []
        for participant in self.participants:
            if participant.country not in seen:
                seen.append(participant.country)
        return tuple(seen)

    @property
    def accrual_end(self) -> date:
        """First day not accrued: the loan's maturity, else the day after completion."""
        if self.loan.maturity is not None:
            return self.loan.maturity
        return date.fromordinal(self.completion.toordinal() + 1)
