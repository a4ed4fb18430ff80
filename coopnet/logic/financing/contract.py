"""The ``projects check`` file: parsing with errors that name the field, and the JSON output.

Input (JSON object)::

    {"title": str, "industry": str, "application_date": "YYYY-MM-DD", "start": "YYYY-MM-DD",
     "completion": "YYYY-MM-DD",
     "participants": [{"name": str, "country": "RU", "role": "lead"}, ...],
     "loan": {"lender": str, "lender_country": "RU", "currency": "RUB", "rate": 25.0,
              "drawdowns": [{"date": "YYYY-MM-DD", "amount": 1000000000}, ...],
              "repayments": [{"date": ..., "amount": ...}, ...],      # optional
              "maturity": "YYYY-MM-DD"},                               # optional
     "base_rates": [{"date": "YYYY-MM-DD", "rate": 21.0}, ...],        # optional: a scenario
     "fx_rub": 1.0,                                                    # optional for RUB loans
     "cost_rub": 5000000000, "partner_supply_share": 0.3}              # optional

Rates are percent a year; ``partner_supply_share`` is a fraction; amounts are in the loan's
currency except ``cost_rub``. ``base_rates``, when present, replaces the stored history of the
lender country's base rate; ``fx_rub`` is the value in RUB of one unit of the loan's currency.

Output: ``{"eligible", "criteria": [{"code", "passed", "message"}], "subsidy": {"currency",
"by_year": [{"year", "amount", "capped", ...}], "total", ...}, "rules": {...}}``. Amounts are
JSON **strings** with exactly two decimals (``"210000000.00"``): JSON numbers would pass through
binary floating point in most readers and lose kopecks on large amounts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from . import eligibility
from .project import PARTICIPANT_ROLES, Flow, Loan, Participant, Project, RateStep
from .rules import NoRuleSetInForce, RuleSet, rule_set_in_force
from .schedule import CENT, BaseRatePath, ScheduleError, SubsidySchedule, subsidy_schedule


class ContractError(ValueError):
    """A bad input file; ``str()`` is ``"<field>: <what is wrong>"``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


TOP_FIELDS = (
    "title",
    "industry",
    "application_date",
    "start",
    "completion",
    "participants",
    "loan",
    "base_rates",
    "fx_rub",
    "cost_rub",
    "partner_supply_share",
)
LOAN_FIELDS = (
    "lender",
    "lender_country",
    "currency",
    "rate",
    "drawdowns",
    "repayments",
    "maturity",
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def loads(text: str | bytes) -> Any:
    """JSON text to Python, decimals kept exact; a syntax error becomes a :class:`ContractError`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ContractError(
                "", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ContractError(
            "", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise ContractError("", "not valid JSON: nested too deeply") from None


def _object(value: Any, path: str, allowed: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ContractError(path or "(file)", f"must be a JSON object, not {_kind(value)}")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        prefix = f"{path}." if path else ""
        raise ContractError(f"{prefix}{unknown[0]}", f"unknown field (expected one of: {', '.join(allowed)})")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _required(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj or obj[key] is None:
        raise ContractError(path, "is required")
    return obj[key]


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ContractError(path, f"must be a string, not {_kind(value)}")
    text = value.strip()
    if not text:
        raise ContractError(path, "must not be empty")
    return text


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise ContractError(path, f"not a date (YYYY-MM-DD): {_kind(value)}")
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ContractError(path, f"not a date (YYYY-MM-DD): {value!r}") from None


def _number(
    value: Any,
    path: str,
    *,
    minimum: Decimal | None = None,
    positive: bool = False,
    maximum: Decimal | None = None,
) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ContractError(path, f"must be a number, not {_kind(value)}")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ContractError(path, f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ContractError(path, f"not a finite number: {value!r}")
    if abs(number.adjusted()) > 15:
        raise ContractError(path, f"out of range: {value!r}")
    if positive and number <= 0:
        raise ContractError(path, f"must be greater than zero: {number}")
    if minimum is not None and number < minimum:
        raise ContractError(path, f"must be at least {minimum}: {number}")
    if maximum is not None and number > maximum:
        raise ContractError(path, f"must be at most {maximum}: {number}")
    return number


def _code(value: Any, path: str, pattern: re.Pattern[str], what: str) -> str:
    text = _text(value, path).upper()
    if not pattern.match(text):
        raise ContractError(path, f"not {what}: {value!r}")
    return text


def _list(value: Any, path: str, *, required: bool) -> list[Any]:
    if value is None:
        if required:
            raise ContractError(path, "is required")
        return []
    if not isinstance(value, list):
        raise ContractError(path, f"must be a list, not {_kind(value)}")
    if required and not value:
        raise ContractError(path, "must not be empty")
    return value


def _flows(value: Any, path: str, *, required: bool) -> tuple[Flow, ...]:
    flows = []
    for i, item in enumerate(_list(value, path, required=required)):
        p = f"{path}[{i}]"
        obj = _object(item, p, ("date", "amount"))
        flows.append(
            Flow(
                _date(_required(obj, "date", f"{p}.date"), f"{p}.date"),
                _number(_required(obj, "amount", f"{p}.amount"), f"{p}.amount", positive=True),
            )
        )
    return tuple(flows)


def parse_rate_steps(value: Any, path: str = "base_rates") -> tuple[RateStep, ...]:
    steps = []
    for i, item in enumerate(_list(value, path, required=True)):
        p = f"{path}[{i}]"
        obj = _object(item, p, ("date", "rate"))
        steps.append(
            RateStep(
                _date(_required(obj, "date", f"{p}.date"), f"{p}.date"),
                _number(
                    _required(obj, "rate", f"{p}.rate"),
                    f"{p}.rate",
                    minimum=Decimal(0),
                    maximum=Decimal(1000),
                ),
            )
        )
    return tuple(steps)


class CheckRequest:
    """A parsed file: the project, and the optional scenario base rates and exchange rate."""

    def __init__(
        self, project: Project, base_rates: tuple[RateStep, ...] | None, fx_rub: Decimal | None
    ) -> None:
        self.project = project
        self.base_rates = base_rates
        self.fx_rub = fx_rub


def _participants(value: Any) -> tuple[Participant, ...]:
    participants = []
    for i, item in enumerate(_list(value, "participants", required=True)):
        p = f"participants[{i}]"
        obj = _object(item, p, ("name", "country", "role"))
        name = _text(_required(obj, "name", f"{p}.name"), f"{p}.name")
        country = _code(
            _required(obj, "country", f"{p}.country"), f"{p}.country", _COUNTRY, "a two-letter country code"
        )
        role = _text(obj.get("role", "partner"), f"{p}.role").lower()
        if role not in PARTICIPANT_ROLES:
            raise ContractError(f"{p}.role", f"{role!r} is not one of: {', '.join(PARTICIPANT_ROLES)}")
        participants.append(Participant(name, country, role))
    return tuple(participants)


def _loan(value: Any) -> Loan:
    obj = _object(_required({"loan": value}, "loan", "loan"), "loan", LOAN_FIELDS)
    lender = _text(_required(obj, "lender", "loan.lender"), "loan.lender")
    lender_country = _code(
        _required(obj, "lender_country", "loan.lender_country"),
        "loan.lender_country",
        _COUNTRY,
        "a two-letter country code",
    )
    currency = _code(
        _required(obj, "currency", "loan.currency"),
        "loan.currency",
        _CURRENCY,
        "a three-letter currency code",
    )
    rate = _number(
        _required(obj, "rate", "loan.rate"), "loan.rate", minimum=Decimal(0), maximum=Decimal(1000)
    )
    drawdowns = _flows(obj.get("drawdowns"), "loan.drawdowns", required=True)
    repayments = _flows(obj.get("repayments"), "loan.repayments", required=False)
    maturity = _date(obj["maturity"], "loan.maturity") if obj.get("maturity") is not None else None
    first_drawdown = min(f.date for f in drawdowns)
    if maturity is not None and maturity <= first_drawdown:
        raise ContractError("loan.maturity", f"{maturity} is not after the first drawdown {first_drawdown}")
    return Loan(lender, lender_country, currency, rate, drawdowns, repayments, maturity)


def parse(payload: Any) -> CheckRequest:
    """Validate a decoded file; raises :class:`ContractError` naming the first bad field (in file order)."""
    top = _object(payload, "", TOP_FIELDS)
    title = _text(_required(top, "title", "title"), "title")
    industry = _text(_required(top, "industry", "industry"), "industry").lower()
    application_date = _date(_required(top, "application_date", "application_date"), "application_date")
    start = _date(_required(top, "start", "start"), "start")
    completion = _date(_required(top, "completion", "completion"), "completion")
    if completion < start:
        raise ContractError("completion", f"{completion} is before the start {start}")
    participants = _participants(top.get("participants"))
    loan = _loan(top.get("loan"))
    rates = top.get("base_rates")
    fx = top.get("fx_rub")
    cost = top.get("cost_rub")
    share = top.get("partner_supply_share")
    project = Project(
        title=title,
        industry=industry,
        application_date=application_date,
        start=start,
        completion=completion,
        participants=participants,
        loan=loan,
        cost_rub=_number(cost, "cost_rub", minimum=Decimal(0)) if cost is not None else None,
        partner_supply_share=(
            _number(share, "partner_supply_share", minimum=Decimal(0), maximum=Decimal(1))
            if share is not None
            else None
        ),
    )
    return CheckRequest(
        project,
        parse_rate_steps(rates) if rates is not None else None,
        _number(fx, "fx_rub", positive=True) if fx is not None else None,
    )


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def schedule_json(schedule: SubsidySchedule) -> dict[str, Any]:
    return {
        "currency": schedule.currency,
        "by_year": [
            {
                "year": y.year,
                "amount": _amount(y.amount),
                "capped": y.capped,
                "uncapped": _amount(y.uncapped),
                "interest": _amount(y.interest),
                "cap": _amount(y.cap),
                "cap_reached_on": y.cap_reached_on.isoformat() if y.cap_reached_on else None,
                "days": y.days,
            }
            for y in schedule.years
        ],
        "total": _amount(schedule.total),
        "uncapped_total": _amount(schedule.uncapped_total),
        "interest_total": _amount(schedule.interest_total),
        "annual_cap": _amount(schedule.cap),
    }


def compute(
    request: CheckRequest,
    rule_sets: Iterable[RuleSet],
    stored_base_rates: Mapping[str, Sequence[RateStep]],
    stored_fx_rub: Mapping[str, Decimal] | None = None,
) -> dict[str, Any]:
    """The check's output for a parsed request (see the module docstring)."""
    project = request.project
    loan = project.loan
    try:
        rules = rule_set_in_force(rule_sets, project.application_date)
    except NoRuleSetInForce as exc:
        raise ContractError("application_date", str(exc)) from None

    if request.base_rates is not None:
        path = BaseRatePath(request.base_rates)
        source = "file"
    else:
        path = BaseRatePath(stored_base_rates.get(loan.lender_country, ()))
        source = "stored"
    if not path:
        raise ContractError(
            "base_rates",
            f"no base rates are stored for {loan.lender_country}; give them in the file",
        )

    if request.fx_rub is not None:
        fx = request.fx_rub
    elif loan.currency == "RUB":
        fx = Decimal(1)
    elif stored_fx_rub and loan.currency in stored_fx_rub:
        fx = stored_fx_rub[loan.currency]
    else:
        raise ContractError(
            "fx_rub", f"is required for a loan in {loan.currency} (RUB per 1 {loan.currency})"
        )

    criteria = eligibility.check(project, rules, path)
    try:
        schedule = subsidy_schedule(
            loan.drawdowns,
            loan.repayments,
            loan.rate,
            path,
            end=project.accrual_end,
            share=rules.subsidised_share,
            day_count=rules.day_count,
            annual_cap_rub=rules.annual_cap_rub,
            fx_rub=fx,
            currency=loan.currency,
        )
    except ScheduleError as exc:
        raise ContractError(exc.field, str(exc)) from None

    return {
        "eligible": eligibility.is_eligible(criteria),
        "criteria": [{"code": c.code, "passed": c.passed, "message": c.message} for c in criteria],
        "subsidy": schedule_json(schedule),
        "rules": {
            "effective_from": rules.effective_from.isoformat(),
            "name": rules.label,
            "day_count": rules.day_count,
            "base_rates": source,
            "fx_rub": str(fx),
        },
    }


def run(
    payload: Any,
    rule_sets: Iterable[RuleSet],
    stored_base_rates: Mapping[str, Sequence[RateStep]],
    stored_fx_rub: Mapping[str, Decimal] | None = None,
) -> dict[str, Any]:
    """Parse a decoded file (or its JSON text) and check it; raises :class:`ContractError`."""
    if isinstance(payload, (str, bytes)):
        payload = loads(payload)
    return compute(parse(payload), rule_sets, stored_base_rates, stored_fx_rub)


def dumps(result: Mapping[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def format_text(result: Mapping[str, Any]) -> str:
    """The check's output for people: criteria, then the subsidy by year."""
    lines = [f"Eligible: {'yes' if result['eligible'] else 'no'}", ""]
    for c in result["criteria"]:
        lines.append(f"[{'pass' if c['passed'] else 'FAIL'}] {c['code']}: {c['message']}")
    subsidy = result["subsidy"]
    lines += ["", f"Subsidy ({subsidy['currency']}, annual cap {subsidy['annual_cap']}):"]
    for y in subsidy["by_year"]:
        note = f"  capped on {y['cap_reached_on']} (uncapped {y['uncapped']})" if y["capped"] else ""
        lines.append(f"  {y['year']}: {y['amount']:>20}{note}")
    lines.append(f"  total: {subsidy['total']:>19}")
    return "\n".join(lines)
