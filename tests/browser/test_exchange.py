"""The exchange in a real browser: search in Russian, open a result, post a request, approve it as the
national contact point, express interest as another organisation, and see it on the owner's side."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def test_search_post_review_interest(page: Any) -> None:
    page.goto("/exchange/")
    page.fill("#id_text", "нужны тракторные двигатели")
    page.click("[data-testid=search-button]")
    page.wait_for_selector("[data-testid=result]")
    first = page.locator("[data-testid=result]").first
    assert "words matched" in first.inner_text()
    page.wait_for_selector("#results-map .leaflet-interactive")
    screenshot(page, "exchange-search")
    names = page.locator("[data-testid=result-link]").all_inner_texts()
    assert any("моторн" in n.lower() or "motor" in n.lower() for n in names[:3])
    page.locator("[data-testid=result-link]").first.click()
    page.wait_for_load_state()
    assert "/registry/o/" in page.url

    switch_user(page, "maz")
    page.goto("/exchange/new/")
    page.select_option("#id_kind", "business")
    page.select_option("#id_direction", "request")
    page.fill("#id_title", "Ищем поставщика шин для карьерных самосвалов")
    page.fill("#id_description", "Шины 40.00R57 для самосвалов грузоподъёмностью 130 т, 400 шт. в год.")
    page.fill("#id_hs_codes", "4011")
    page.fill("#id_quantity", "400")
    page.click("[data-testid=submit-for-review]")
    page.wait_for_selector("[data-testid=opportunity-status]")
    assert "review" in page.inner_text("[data-testid=opportunity-status]").lower()
    url = page.url

    switch_user(page, "ncp-by")
    page.goto("/exchange/board/")
    page.wait_for_selector("[data-testid=review-queue]")
    page.click("[data-testid=review-queue] a:has-text('шин для карьерных')")
    page.check("#decision-approve")
    page.click("[data-testid=review-button]")
    page.wait_for_selector("[data-testid=opportunity-status]:has-text('Published')")
    screenshot(page, "exchange-approved")

    switch_user(page, "beshtau")
    page.goto(url)
    page.fill("#id_message", "Можем организовать поставки через партнёров, свяжитесь с нами.")
    page.click("[data-testid=interest-button]")
    page.wait_for_selector("[data-testid=interest]")

    switch_user(page, "maz")
    page.goto(url)
    interest = page.locator("[data-testid=interest]").first
    assert "Бештау" in interest.inner_text() or "Beshtau" in interest.inner_text()
    page.fill("[data-testid=interest] input[name=reply]", "Пришлите предложение")
    page.click("[data-testid=answer-button]")
    page.wait_for_selector("[data-testid=interest]:has-text('Accepted')")
    screenshot(page, "exchange-owner-interest")
    assert not page.js_errors
