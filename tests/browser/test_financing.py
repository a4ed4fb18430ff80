"""One application from the bank's submission to the EEC Council's approval, in the browser."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def financing_demo(demo: None) -> None:
    from coopnet.financing.demo import load

    load()


def test_public_checker_shows_criteria_schedule_and_chart(page: Any, financing_demo: None) -> None:
    page.goto("/financing/")
    page.click("[data-testid=check-submit]")
    page.wait_for_selector("[data-testid=verdict]")
    assert page.locator("[data-testid=criteria] tbody tr").count() == 6
    assert page.locator("[data-testid=subsidy-total]").inner_text().strip().endswith("RUB")
    page.wait_for_selector("#schedule-chart .main-svg")
    screenshot(page, "financing-checker")
    assert page.js_errors == []


def test_application_from_submission_to_approval(page: Any, financing_demo: None) -> None:
    login(page, "sber")
    page.goto("/financing/applications/")
    page.click("[data-testid=new-application]")
    page.fill("#id_title", "Browser walk: rail components")
    page.select_option("#id_industry", "machine-building")
    page.fill("#id_lender_name", "Sberbank")
    page.select_option("#id_lender_country", "RU")
    page.select_option("#id_currency", "RUB")
    page.fill("#id_loan_rate", "22")
    page.fill("#id_application_date", "2025-11-10")
    page.fill("#id_start", "2025-12-01")
    page.fill("#id_completion", "2029-12-31")
    page.fill("#id_participants_text", "NPO Voyage; RU; lead\nMetallstroy; AM; supplier\nRukhservomotor; BY; supplier")
    page.fill("#id_drawdowns_text", "2025-12-01; 1000000000")
    page.fill("#id_repayments_text", "2028-12-01; 1000000000")
    screenshot(page, "financing-application-form")
    page.click("[data-testid=submit-application]")
    page.wait_for_selector("[data-testid=stage]")
    url = page.url
    assert "/financing/applications/" in url
    assert page.locator("[data-testid=transition-form]").count() == 0  # the bank does not move stages
    assert page.locator("[data-testid=criteria] tr.table-danger").count() == 0

    page.context.clear_cookies()
    login(page, "eec")
    page.goto("/financing/queue/")
    assert "Browser walk" in page.locator("[data-stage=submitted]").inner_text()
    page.goto(url)
    for decision, stage in (("start_expertise", "primary expertise"), ("pass_expertise", "Consultative"),
                            ("recommend", "Council"), ("approve", "Approved")):
        page.select_option("[data-testid=transition-form] select", decision)
        page.click("[data-testid=transition-submit]")
        page.wait_for_selector("[data-testid=stage]")
        assert stage.lower() in page.locator("[data-testid=stage]").inner_text().lower()
    rows = page.locator("[data-testid=transitions] tbody tr")
    assert rows.count() == 5
    screenshot(page, "financing-application-approved")

    page.goto("/financing/register/")
    assert "Browser walk: rail components" in page.locator("[data-testid=register]").inner_text()
    page.goto("/financing/budget/")
    page.wait_for_selector("#budget-chart .main-svg")
    screenshot(page, "financing-budget")
    assert page.js_errors == []
