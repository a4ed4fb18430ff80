"""Eligibility: every criterion passing and failing, with the figures in its message."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from coopnet.logic.financing.eligibility import CRITERIA, add_years, check, is_eligible
from coopnet.logic.financing.project import Flow, Loan, Participant, Project, RateStep
from coopnet.logic.financing.rules import NoRuleSetInForce, RuleSet, normalise_lender, rule_set_in_force
from coopnet.logic.financing.schedule import BaseRatePath

RULES = RuleSet(
    effective_from=date(2023, 10, 26),
    lenders=("Sberbank", "Gazprombank", "Eurasian Development Bank", "Belarusbank"),
)
KEY_RATE = BaseRatePath([RateStep(date(2024, 10, 28), Decimal(21)), RateStep(date(2025, 6, 9), Decimal(20))])


def project(**changes) -> Project:  # type: ignore[no-untyped-def]
    base = Project(
        title="Rolling stock components",
        industry="machine-building",
        application_date=date(2025, 3, 1),
        start=date(2025, 3, 1),
        completion=date(2029, 12, 31),
        participants=(
            Participant("NPO Voyage", "RU", "lead"),
            Participant("Metallstroy", "AM", "supplier"),
            Participant("Rukhservomotor", "BY", "supplier"),
        ),
        loan=Loan("PJSC Sberbank", "RU", "RUB", Decimal(25), (Flow(date(2025, 3, 1), Decimal(10**9)),)),
    )
    return replace(base, **changes)


def by_code(p: Project, rules: RuleSet = RULES) -> dict[str, tuple[bool, str]]:
    return {c.code: (c.passed, c.message) for c in check(p, rules, KEY_RATE)}


def test_a_good_project_passes_every_criterion() -> None:
    criteria = check(project(), RULES, KEY_RATE)
    assert [c.code for c in criteria] == list(CRITERIA[:6])
    assert all(c.passed for c in criteria), criteria
    assert is_eligible(criteria)


def test_member_states() -> None:
    two = project(participants=(Participant("A", "RU"), Participant("B", "BY"), Participant("C", "CN")))
    passed, message = by_code(two)["member_states"]
    assert not passed
    assert message == (
        "Enterprises of 2 member states take part (RU, BY); at least 3 are required. "
        "Participants from non-member countries do not count: CN."
    )
    passed, message = by_code(project())["member_states"]
    assert passed and "3 member states take part (RU, AM, BY)" in message


def test_duration() -> None:
    assert by_code(project(completion=date(2030, 3, 1)))["duration"][0]
    passed, message = by_code(project(completion=date(2030, 3, 2)))["duration"]
    assert not passed
    assert "(5 years 0 months), beyond the limit of 5 years (completion by 2030-03-01)" in message
    passed, message = by_code(project(completion=date(2025, 2, 1)))["duration"]
    assert not passed and "before the start" in message
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_currency() -> None:
    assert by_code(project())["currency"] == (True, "The loan is in RUB, a member state's currency.")
    loan = replace(project().loan, currency="USD")
    passed, message = by_code(project(loan=loan))["currency"]
    assert not passed and message == (
        "The loan is in USD; it must be in a member state's currency (AMD, BYN, KGS, KZT, RUB)."
    )


def test_rate_cap_uses_the_base_rate_on_the_application_date() -> None:
    passed, message = by_code(project())["rate_cap"]
    assert passed and message == (
        "The borrower's rate 25.00% is within the ceiling 27.50%: the RU base rate on 2025-03-01 "
        "21.00% + 6.5 percentage points."
    )
    high = replace(project().loan, rate=Decimal("27.6"))
    passed, message = by_code(project(loan=high))["rate_cap"]
    assert not passed and "27.60% is above the ceiling 27.50%" in message
    # after the cut to 20% on 9 June 2025 the ceiling is 26.50%
    passed, message = by_code(project(application_date=date(2025, 7, 1)))["rate_cap"]
    assert passed and "ceiling 26.50%" in message
    at_limit = replace(project().loan, rate=Decimal("26.5"))
    assert by_code(project(loan=at_limit, application_date=date(2025, 7, 1)))["rate_cap"][0]


def test_rate_cap_without_a_known_base_rate_fails_with_a_reason() -> None:
    passed, message = by_code(project(application_date=date(2024, 1, 10)))["rate_cap"]
    assert not passed and "No base rate of RU is known for the application date 2024-01-10" in message


def test_industry() -> None:
    passed, message = by_code(project(industry="banking"))["industry"]
    assert not passed and message.startswith("The industry 'banking' is not on the list")
    agro = RuleSet(effective_from=date(2026, 2, 1), industries=(*RULES.industries, "agriculture"))
    assert by_code(project(industry="agriculture"), agro)["industry"][0]


def test_lender() -> None:
    passed, message = by_code(project())["lender"]
    assert passed and message.startswith("PJSC Sberbank is on the list")
    loan = replace(project().loan, lender="Some Offshore Bank Ltd")
    passed, message = by_code(project(loan=loan))["lender"]
    assert not passed and "not on the list of 4 financial organisations" in message
    passed, message = by_code(project(), replace(RULES, lenders=()))["lender"]
    assert not passed and "list of approved financial organisations is empty" in message


def test_lender_names_are_compared_normalised() -> None:
    assert normalise_lender('PJSC "Sberbank"') == normalise_lender("sberbank, pjsc") == "sberbank"
    assert normalise_lender("ОАО «АСБ Беларусбанк»") == "асб беларусбанк"
    assert normalise_lender("Eurasian Development Bank") == "eurasian development bank"


def test_optional_criteria_appear_only_when_set() -> None:
    assert "min_cost" not in by_code(project())
    rules = replace(RULES, min_cost_rub=Decimal("500000000"), min_partner_supply_share=Decimal("0.3"))
    criteria = by_code(project(), rules)
    assert criteria["min_cost"] == (
        False,
        "The project cost is not given; at least 500,000,000.00 RUB is required.",
    )
    assert not criteria["partner_supply_share"][0]
    good = by_code(project(cost_rub=Decimal("2000000000"), partner_supply_share=Decimal("0.35")), rules)
    assert good["min_cost"] == (
        True,
        "The project costs 2,000,000,000.00 RUB; at least 500,000,000.00 RUB is required.",
    )
    assert good["partner_supply_share"] == (
        True,
        "Supplies from partner states are 35.00% of the total; at least 30.00% is required.",
    )
    low = by_code(project(cost_rub=Decimal("1"), partner_supply_share=Decimal("0.1")), rules)
    assert not low["min_cost"][0] and not low["partner_supply_share"][0]


def test_rule_set_in_force() -> None:
    first = RuleSet(effective_from=date(2023, 10, 26))
    agro = RuleSet(effective_from=date(2026, 2, 1), industries=(*first.industries, "agriculture"))
    assert rule_set_in_force([agro, first], date(2025, 12, 31)) is first
    assert rule_set_in_force([agro, first], date(2026, 2, 1)) is agro
    with pytest.raises(NoRuleSetInForce, match="2023-01-01"):
        rule_set_in_force([agro, first], date(2023, 1, 1))
    with pytest.raises(ValueError, match="day_count"):
        RuleSet(effective_from=date(2023, 10, 26), day_count="30/360")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "participants,industry",
    [
        (
            (
                Participant("Beshtau Electronics", "RU", "lead"),
                Participant("Nero Electronics", "BY", "supplier"),
                Participant("Kyrgyzelectronica", "KG", "supplier"),
            ),
            "radio-electronics",
        ),
        (
            (
                Participant("NPO Voyage", "RU", "lead"),
                Participant("Metallstroy", "AM", "supplier"),
                Participant("Rukhservomotor", "BY", "supplier"),
            ),
            "machine-building",
        ),
    ],
)
def test_real_approved_projects_pass_the_criteria_whose_facts_are_known(participants, industry) -> None:  # type: ignore[no-untyped-def]
    # approved by the EEC Council in December 2025: the participants, their countries and the
    # industry are public; the loan terms are not, so only those criteria are asserted
    result = by_code(project(participants=participants, industry=industry, application_date=date(2025, 7, 1)))
    assert result["member_states"][0]
    assert result["industry"][0]
