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


def test_ministry_edits_a_measure_and_the_no_deadline_flag_goes(page: Any, plans_demo: None) -> None:
    from coopnet.plans.models import Document

    plan = Document.objects.get(ref="us-action-plan-2024")
    page.goto(plan.get_absolute_url())
    assert page.locator("[data-testid=document-edit]").count() == 0  # anonymous visitors only read
    assert page.locator("[data-measure='4.1'] [data-flag=no_deadline]").count() == 1
    assert page.locator("[data-measure='4.1'] [data-flag=no_control_points]").count() == 1

    login(page, "minprom-by")
    page.goto(plan.get_absolute_url())
    page.click("[data-measure='4.1'] a")
    page.click("[data-testid=measure-edit]")
    page.wait_for_selector("[data-testid=measure-form]")
    assert page.locator("[data-testid=responsible-formset] tbody tr").count() == 4  # two bodies, two empty rows
    page.fill("#id_deadline", "2026-06-30")
    page.fill("#id_control_points-0-date", "2025-12-31")
    page.fill("#id_control_points-0-description", "Interim report to the Council of Ministers")
    screenshot(page, "plans-measure-edit-form")
    page.click("[data-testid=measure-form] [data-testid=save]")
    page.wait_for_selector("text=Measure saved.")
    assert "No deadline" in page.inner_text("text=Flags cleared:")
    assert page.locator("[data-testid=measure-flags] [data-flag=no_deadline]").count() == 0
    assert page.inner_text("[data-testid=measure-deadline]").strip() == "2026-06-30"
    assert "Interim report" in page.inner_text("[data-testid=measure-control-points]")
    screenshot(page, "plans-measure-after-edit")

    page.goto(plan.get_absolute_url())
    row = page.locator("[data-measure='4.1']")
    assert row.locator("[data-flag=no_deadline]").count() == 0
    assert row.locator("[data-flag=no_control_points]").count() == 0
    assert "2026-06-30" in row.inner_text()
    assert "3 with a deadline" in page.inner_text("[data-testid=flag-summary]")
    screenshot(page, "plans-document-after-measure-edit")

    page.click("[data-testid=document-edit]")
    page.wait_for_selector("[data-testid=document-form]")
    assert page.is_checked("[data-testid=parties] input[value=BY]")
    assert page.is_checked("[data-testid=parties] input[value=RU]")
    screenshot(page, "plans-document-edit-form")
    assert page.js_errors == []
