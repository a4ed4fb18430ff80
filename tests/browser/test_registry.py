"""A person opens the registry list, an organisation's page and the competency map."""
from __future__ import annotations

from typing import Any

from .conftest import login, screenshot


def test_list_filter_and_open_organisation(page: Any) -> None:
    page.goto("/registry/")
    count = page.get_by_test_id("result-count").inner_text()
    assert int(count.split()[0]) >= 80
    page.fill("#id_hs", "8701")
    page.click("button:has-text('Apply')")
    rows = page.locator("[data-testid=organisation-table] tbody tr")
    assert rows.count() >= 1
    names = rows.all_inner_texts()
    assert any("Minsk Tractor" in n or "тракторный" in n for n in names), names
    screenshot(page, "registry-list-hs8701")
    page.locator("[data-testid=organisation-table] tbody tr a", has_text="Minsk Tractor").first.click()
    page.wait_for_selector("[data-testid=org-name]")
    assert "тракторный" in page.get_by_test_id("org-name").inner_text()  # the official name heads the page
    assert page.get_by_test_id("public-id").inner_text().startswith("BY-")
    assert page.locator("[data-testid=competencies] tbody tr").count() >= 1
    screenshot(page, "registry-organisation")
    assert not page.js_errors


def test_competency_map_shows_regions(page: Any) -> None:
    page.goto("/registry/map/?scheme=hs&code=87")
    page.wait_for_selector("#competency-map[data-ready='1']")
    total = int(page.get_by_test_id("map-total").inner_text())
    assert total >= 5
    assert page.locator("[data-testid=map-regions] tbody tr").count() >= 2
    assert page.locator("path.leaflet-interactive").count() >= 2  # one circle per region
    screenshot(page, "competency-map-87")
    page.select_option("#id_scheme", "nace")
    page.fill("#id_code", "28")
    page.click("button:has-text('Show')")
    page.wait_for_selector("#competency-map[data-ready='1']")
    assert "28" in page.get_by_test_id("map-title").inner_text()
    assert not page.js_errors


def test_owner_edits_own_organisation(page: Any) -> None:
    login(page, "maz")
    page.goto("/registry/ref/BY-MAZ/")
    page.click("text=Edit")
    page.fill("#id_city", "Minsk (Partizanski district)")
    page.click("button:has-text('Save')")
    page.wait_for_selector("[data-testid=org-name]")
    page.click("text=History")
    history = page.get_by_test_id("history-table").inner_text()
    assert "Enterprise" in history and "maz" not in history  # the role and organisation, not the user name
    screenshot(page, "registry-history")
