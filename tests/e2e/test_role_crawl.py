"""Every page each role reaches by following links from its start page meets
WCAG 2.1 A/AA as far as axe-core can tell, at 1280, 390 and 320 px, and
reflows at the narrow widths (WCAG 1.4.10): the demo as `make demo` seeds it,
with its users, requisition rounds, calls and applications (issue 16)."""

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import TIMEOUT_MS
from tests.e2e.test_accessibility import WIDTHS, crawl_targets, sideways_overflow

# Enough pages to reach each kind of page a role has (lists, cases, forms);
# one variant of each path is enough at three widths.
MAX_PAGES_PER_ROLE = 16
# Pages that differ only in an id are one template: two of each are enough.
MAX_PER_SHAPE = 2
ROLES = ["handlaggare", "beslutsfattare", "ekonomi", "jamy", "ombud-1440", "ombud-ngo"]


@pytest.fixture(scope="module")
def whole_demo(_demo_server, django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("seed_demo_users", verbosity=0)
        call_command("seed_demo_rounds", verbosity=0)
        call_command("seed_calls", demo_users=True, verbosity=0)
    yield


@pytest.fixture
def logged_in(browser, demo_server, whole_demo, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    contexts = []

    def log_in(username: str):
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(demo_server("/logga-in/"))
        page.fill("#id_username", username)
        page.fill("#id_password", "demo")
        page.locator("#id_password").press("Enter")
        page.wait_for_url(demo_server("/mina-sidor/"))
        return page

    yield log_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize("username", ROLES)
def test_each_roles_pages_are_accessible_and_reflow(logged_in, demo_server, username):
    page = logged_in(username)
    queue = [page.url]
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    violations: dict[str, list] = {}
    too_wide: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        shape = re.sub(r"/\d+/", "/<id>/", path)
        if path in seen or path.startswith("/logga-in") or shapes.get(shape, 0) >= MAX_PER_SHAPE:
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = page.request.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a download: a letter, an export
        assert response.ok, f"{url} answered {response.status}"
        page.goto(url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if found := axe_violations(page):
                violations[f"{path} at {width} px"] = found
            if width < 1000 and (overflow := sideways_overflow(page)) > 0:
                too_wide[f"{path} at {width} px"] = overflow
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        hrefs = page.eval_on_selector_all(
            "main a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        )
        queue.extend(crawl_targets(demo_server.url, page.url, hrefs))
    assert len(seen) >= 3, sorted(seen)  # the start page and what it links to
    print(f"{username}: axe checked {len(seen)} pages:", *sorted(seen), sep="\n  ")
    assert not violations, "axe found problems:\n" + format_violations(violations)
    assert not too_wide, f"pages wider than the screen (px too wide): {too_wide}"
