"""An analyst opens the industrialisation map, changes the product, opens the import-substitution
opportunity and follows it to a supplier's page in the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import login, screenshot


@pytest.fixture
def stats_demo(page: Any, settings: Any, tmp_path: Path) -> Any:
    settings.STATS_DIR = tmp_path / "stats"
    from coopnet.stats.demo import load

    load()
    return page


@pytest.mark.browser
def test_map_product_opportunity_suppliers(stats_demo: Any) -> None:
    page = stats_demo
    page.goto("/stats/map/")
    page.wait_for_selector("#stats-map[data-loaded='1']")
    values = page.locator("[data-testid=map-values] tbody tr")
    assert values.count() >= 4  # Russian regions and states trading with Belarus (seed 002)
    assert "002_34fcb34fd01e1444.txt" in page.get_by_test_id("map-values").inner_text()
    assert page.locator("path.leaflet-interactive").count() >= 4  # one circle per state or region
    screenshot(page, "stats-map-regions")

    code = page.locator("#product option").nth(1).get_attribute("value")
    page.select_option("#product", code)
    page.wait_for_function("code => document.getElementById('map-title').textContent.includes('HS ' + code)", arg=code)
    page.wait_for_selector("#stats-map[data-loaded='1']")
    assert page.locator("[data-testid=map-values] tbody tr").count() == 5  # the five member states
    screenshot(page, "stats-map-product")

    page.get_by_test_id("to-opportunity").click()
    page.wait_for_selector("[data-testid=suppliers]")
    assert code in page.get_by_test_id("opportunity-title").inner_text()
    assert f"hs={code}" in page.get_by_test_id("partner-search").get_attribute("href")
    suppliers = page.locator("[data-testid=suppliers] tbody tr a")
    assert suppliers.count() >= 1
    screenshot(page, "stats-opportunity")
    name = suppliers.first.inner_text()
    suppliers.first.click()
    page.wait_for_url("**/registry/o/**")
    assert name.split()[0] in page.content()
    assert not page.js_errors


@pytest.mark.browser
def test_dashboard_shows_seed_figures(stats_demo: Any) -> None:
    page = stats_demo
    page.goto("/stats/")
    production = page.get_by_test_id("production").inner_text()
    for text in ("+41%", "+45%", "+47%", "740.6", "1,072.6", "L146"):
        assert text in production, text
    assert "1,704" in page.get_by_test_id("joint-ventures").inner_text()
    assert "0.82" in page.get_by_test_id("conflicts").inner_text()
    page.wait_for_selector("#structure-chart .main-svg")
    screenshot(page, "stats-dashboard")
    assert not page.js_errors


@pytest.mark.browser
def test_analyst_uploads_a_bad_then_a_good_file(stats_demo: Any, tmp_path: Path) -> None:
    page = stats_demo
    login(page, "analyst")
    page.goto("/stats/")
    page.get_by_test_id("dashboard-import-link").click()
    page.wait_for_selector("[data-testid=stats-import-form]")
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,reporter,period,value,unit\njoint_ventures,BY,2025,lots,count\n", encoding="utf-8")
    page.select_option("#id_format", "long")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Import')")
    report = page.get_by_test_id("import-report").inner_text()
    assert "bad.csv: 1 error(s); nothing written" in report and "line 2 [value]" in report
    screenshot(page, "stats-import-bad-file")
    good = tmp_path / "good.csv"
    good.write_text("indicator,reporter,period,value,unit\njoint_ventures,BY,2025,1001,count\n", encoding="utf-8")
    page.select_option("#id_format", "long")
    page.set_input_files("#id_file", str(good))
    page.click("button:has-text('Import')")
    assert "good.csv: 1 observations written as batch long-good" in page.get_by_test_id("import-report").inner_text()
    datasets = page.get_by_test_id("stats-datasets").inner_text()
    assert "long-good" in datasets and "long-bad" in datasets
    assert not page.js_errors
