"""The API's docs page (/api/v1/docs) in a browser: Swedish, every endpoint
of the served OpenAPI document on it, axe-clean at 1280, 390 and 320 px
without sideways scrolling."""

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import TIMEOUT_MS

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_api_docs_page(browser, live_server, width):
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/api/v1/docs")
        assert page.locator("h1").inner_text() == "Öppet API"
        document = page.request.get(f"{live_server.url}/api/v1/openapi.json").json()
        headings = page.locator("h3 code").all_inner_texts()
        assert [h.removeprefix("GET ") for h in headings] == list(document["paths"])
        page.get_by_role("link", name="OpenAPI-beskrivningen (JSON)").click()
        assert page.url.endswith("/api/v1/openapi.json")
        page.go_back()
        violations = axe_violations(page)
        assert not violations, format_violations({page.url: violations})
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    finally:
        context.close()
