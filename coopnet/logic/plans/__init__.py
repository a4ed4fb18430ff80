"""Plan quality flags, carried-over detection, implementation rates and plan comparison (pure)."""

from .compare import Comparison, compare
from .contract import ContractError, parse_plan, plan_to_dict
from .flags import check, check_plan, plan_flags
from .model import FLAG_CODES, STATUSES, Flag, Measure, Plan

__all__ = [
    "FLAG_CODES",
    "STATUSES",
    "Comparison",
    "ContractError",
    "Flag",
    "Measure",
    "Plan",
    "check",
    "check_plan",
    "compare",
    "parse_plan",
    "plan_flags",
    "plan_to_dict",
]
