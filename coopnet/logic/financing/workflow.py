"""The selection workflow: which decision moves an application from which stage, and who may take it.

bank submits -> EEC primary expertise -> Consultative Committee on Industry -> EEC Council decision.
The Commission may return an application to the bank (with a reason) or reject it at any open
stage; the bank resubmits a returned application. Roles are the platform's role names.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

SUBMITTED = "submitted"
PRIMARY_EXPERTISE = "primary_expertise"
CONSULTATIVE_COMMITTEE = "consultative_committee"
COUNCIL_DECISION = "council_decision"
APPROVED = "approved"
REJECTED = "rejected"
RETURNED = "returned"

STAGES: tuple[str, ...] = (
    SUBMITTED,
    PRIMARY_EXPERTISE,
    CONSULTATIVE_COMMITTEE,
    COUNCIL_DECISION,
    APPROVED,
    REJECTED,
    RETURNED,
)
OPEN_STAGES: tuple[str, ...] = (SUBMITTED, PRIMARY_EXPERTISE, CONSULTATIVE_COMMITTEE, COUNCIL_DECISION)
FINAL_STAGES: tuple[str, ...] = (APPROVED, REJECTED)

BANK = "bank"
COMMISSION = "commission"


@dataclass(frozen=True)
class Move:
    decision: str
    source: str | None  # None: a new application
    target: str
    role: str
    needs_reason: bool = False


MOVES: tuple[Move, ...] = (
    Move("submit", None, SUBMITTED, BANK),
    Move("start_expertise", SUBMITTED, PRIMARY_EXPERTISE, COMMISSION),
    Move("pass_expertise", PRIMARY_EXPERTISE, CONSULTATIVE_COMMITTEE, COMMISSION),
    Move("recommend", CONSULTATIVE_COMMITTEE, COUNCIL_DECISION, COMMISSION),
    Move("approve", COUNCIL_DECISION, APPROVED, COMMISSION),
    *(Move("return", stage, RETURNED, COMMISSION, needs_reason=True) for stage in OPEN_STAGES),
    *(Move("reject", stage, REJECTED, COMMISSION, needs_reason=True) for stage in OPEN_STAGES),
    Move("resubmit", RETURNED, SUBMITTED, BANK),
)
DECISIONS: tuple[str, ...] = tuple(dict.fromkeys(m.decision for m in MOVES))


class TransitionError(ValueError):
    """A decision that cannot be taken: wrong stage, wrong role, or a missing reason."""


def moves_from(stage: str | None, roles: Collection[str] | None = None) -> list[Move]:
    """Decisions open at ``stage``; only those one of ``roles`` may take, when given."""
    return [m for m in MOVES if m.source == stage and (roles is None or m.role in roles)]


def move(stage: str | None, decision: str, roles: Collection[str], reason: str = "") -> Move:
    """The move for ``decision`` at ``stage`` by a user holding ``roles``.

    Raises :class:`TransitionError` saying why not: unknown decision, wrong stage, wrong role,
    or a return or rejection without a reason.
    """
    if decision not in DECISIONS:
        raise TransitionError(f"unknown decision {decision!r} (one of: {', '.join(DECISIONS)})")
    candidates = [m for m in MOVES if m.source == stage and m.decision == decision]
    if not candidates:
        where = f"at stage {stage!r}" if stage else "for a new application"
        allowed = ", ".join(m.decision for m in moves_from(stage)) or "none, the stage is final"
        raise TransitionError(f"{decision!r} is not possible {where} (possible: {allowed})")
    found = candidates[0]
    if found.role not in roles:
        held = ", ".join(sorted(roles)) or "none"
        raise TransitionError(f"only the {found.role} role may take {decision!r} (roles held: {held})")
    if found.needs_reason and not reason.strip():
        raise TransitionError(f"{decision!r} needs a reason")
    return found
