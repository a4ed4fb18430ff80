"""Browser: open a plan, see its flags, add a report to a measure as a ministry, see the rate change."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot


@pytest.fixture
def plans_demo(demo: None) -> None:
    from coopnet.plans.demo import load

    load()


def test_plan_flags_report_and_rate(page: Any, plans_demo: None) -> None:
    from coopnet.plans.models import Document

    plan = Document.objects.get(ref="us-action-plan-2024")
    page.goto("/plans/?kind=action_plan&party=BY")
    page.click(f"a[href='{plan.get_absolute_url()}']")
    page.wait_for_selector("[data-testid=document-title]")
    row = page.locator("[data-measure='4.1']")
    assert row.locator("[data-flag=no_deadline]").count() == 1
    assert page.locator("[data-measure='4.3'] [data-flag=carried_over]").count() == 1
    assert page.locator("[data-measure='4.2'] [data-flag=no_deadline]").count() == 0
    assert "2 with a deadline" in page.inner_text("[data-testid=flag-summary]")
    assert page.inner_text("[data-testid=rate]").strip() == "0%"
    page.wait_for_selector("#progress-chart[data-ready='1']")
    screenshot(page, "plans-document")

    login(page, "minprom-by")
    page.goto(plan.get_absolute_url())
    page.click("[data-measure='4.2'] a")
    page.wait_for_selector("[data-testid=report-form]")
    page.select_option("#id_status", "done")
    page.fill("#id_evidence", "Road maps on microelectronics and machine tools approved")
    page.click("[data-testid=report-form] button")
    page.wait_for_selector("text=Report added.")
    assert "Done" in page.inner_text("[data-testid=report-table]")
    screenshot(page, "plans-measure-report")

    page.goto(plan.get_absolute_url())
    assert page.inner_text("[data-testid=rate]").strip() == "14%"  # 1 of 7 measures done
    assert page.inner_text("[data-measure='4.2'] [data-testid=measure-status]").strip() == "Done"
    screenshot(page, "plans-document-after-report")
    assert page.js_errors == []


def test_dashboard_and_comparison(page: Any, plans_demo: None) -> None:
    page.goto("/plans/dashboard/?code=no_deadline")
    assert page.locator("[data-testid=flag-dashboard] tbody tr").count() >= 5
    assert page.locator("[data-testid=flag-list] li").count() >= 5
    screenshot(page, "plans-dashboard")
    page.goto("/plans/")
    page.click("[data-testid=dashboard-link]")
    page.wait_for_selector("[data-testid=flag-dashboard]")
    from coopnet.plans.models import Document

    plan = Document.objects.get(ref="us-action-plan-2024")
    page.goto(f"/plans/compare/?current={plan.pk}")
    text = page.inner_text("[data-testid=reworded]")
    assert "Взаимное признание технологических операций" in text
    assert "Практическая реализация договоренностей" in text
    screenshot(page, "plans-compare")
    assert page.js_errors == []
