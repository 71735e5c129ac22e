"""The key page on a phone (issue 16, section 1): at 390 and 320 px the page
is as wide as the screen, every row's amount is in view, and the filters fit
(WCAG 1.4.10 reflow). A real browser against a live server."""

import pytest

from tests.allocation.test_pages import key, url  # noqa: F401 - fixture


@pytest.mark.parametrize("width", [390, 320])
def test_the_key_page_fits_a_phone_and_shows_every_amount(
    transactional_db,
    browser,
    live_server,
    key,  # noqa: F811 - the fixture
    width,
):
    path = live_server.url + url(key)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") == width
        # Each amount cell lies within the screen, not in a part one scrolls to.
        rights = page.eval_on_selector_all(
            "tbody td.govuk-table__cell--numeric",
            "cells => cells.map(c => c.getBoundingClientRect().right)",
        )
        assert len(rights) == 2 * 4 and max(rights) <= width
        # The filters, the sort included, are within the screen too.
        for selector in ("#filter-lan", "#filter-q", "#filter-sort", "form.filters button"):
            assert page.eval_on_selector(selector, "e => e.getBoundingClientRect().right") <= width
        page.select_option("#filter-sort", "-amount")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**sort=-amount**")
        first = page.inner_text("tbody tr:first-child th")
        assert first == "Stockholm"
    finally:
        context.close()
