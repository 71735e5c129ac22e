"""Every page a visitor can reach by following links meets WCAG 2.1 A/AA as far
as axe-core can tell (no serious or critical violations)."""

from urllib.parse import urldefrag, urljoin, urlsplit

from tests.e2e.axe import axe_violations, format_violations

# A crawl of the demo site reaches a few dozen pages; the bound keeps a future
# page with endless links (calendars, paging) from making the suite slow.
MAX_PAGES = 60
# Sort and filter links give many query variants of one page; a few are enough
# to cover each state of its template.
MAX_VARIANTS_PER_PATH = 2
SKIPPED_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".rdf")
SKIPPED_PREFIXES = ("/admin/", "/i18n/", "/static/")
# Each page is checked on a desktop, a phone and at 320 px, where WCAG 1.4.10
# (reflow) asks that nothing needs scrolling sideways.
WIDTHS = (1280, 390, 320)


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: it reflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def crawl_targets(base_url: str, page_url: str, hrefs: list[str]) -> list[str]:
    """The links on a page that the crawl follows: same origin, no downloads,
    not the admin, without fragments."""
    base = urlsplit(base_url)
    targets = []
    for href in hrefs:
        url, _fragment = urldefrag(urljoin(page_url, href))
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            continue
        if parts.path.endswith(SKIPPED_SUFFIXES) or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        targets.append(url)
    return targets


def test_crawl_targets_keep_pages_and_skip_downloads_admin_and_other_sites():
    base = "http://127.0.0.1:8000"
    hrefs = [
        "/om/",
        "#main",
        "?sort=-amount",
        "/program/x/2021/kommuner/fordelningsnyckel.csv",
        "/program/x/2021/kommuner/fordelningsnyckel.xlsx",
        "/admin/",
        "https://www.scb.se/",
        "mailto:someone@example.se",
    ]
    assert crawl_targets(base, base + "/program/x/", hrefs) == [
        base + "/om/",
        base + "/program/x/",
        base + "/program/x/?sort=-amount",
    ]


def test_every_page_reachable_from_home_has_no_serious_violations(page, demo_server):
    queue = [demo_server("/")]
    seen: set[str] = set()
    variants: dict[str, int] = {}
    violations = {}
    too_wide: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = parts.path + ("?" + parts.query if parts.query else "")
        if key in seen or variants.get(parts.path, 0) >= MAX_VARIANTS_PER_PATH:
            continue
        seen.add(key)
        variants[parts.path] = variants.get(parts.path, 0) + 1
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"{url} answered {response and response.status}"
        )
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            found = axe_violations(page)
            if found:
                violations[f"{key} at {width} px"] = found
            if width < 1000 and (overflow := sideways_overflow(page)) > 0:
                too_wide[f"{key} at {width} px"] = overflow
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        hrefs = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        )
        queue.extend(crawl_targets(demo_server.url, page.url, hrefs))
    # The demo site has the home page, the about page, a programme page and
    # several allocation keys; far fewer pages means the crawl is broken.
    assert len(seen) >= 8, sorted(seen)
    print(f"axe checked {len(seen)} pages:", *sorted(seen), sep="\n  ")
    assert not violations, "axe found problems:\n" + format_violations(violations)
    assert not too_wide, f"pages wider than the screen (px too wide): {too_wide}"


def test_pages_behind_the_filter_form_have_no_serious_violations(page, demo_server):
    paths = [
        demo_server.key_path + "?lan=01&sort=-amount",
        demo_server.key_path + "?q=ingen-kommun-heter-s%C3%A5",
        "/finns-inte/",
    ]
    violations = {}
    for path in paths:
        page.goto(demo_server(path))
        if found := axe_violations(page):
            violations[path] = found
    assert not violations, "axe found problems:\n" + format_violations(violations)


def test_key_page_on_a_phone_has_no_serious_violations(browser, browser_context_args, demo_server):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 375, "height": 812}},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    try:
        phone = context.new_page()
        phone.goto(demo_server(demo_server.key_path))
        found = axe_violations(phone)
        assert not found, "axe found problems:\n" + format_violations({"375 px": found})
    finally:
        context.close()


def test_axe_helper_reports_an_input_without_a_label(page, demo_server, settings):
    settings.ROOT_URLCONF = "tests.e2e.urls_broken"
    page.goto(demo_server("/_test/broken/"))
    found = axe_violations(page)
    assert [violation.rule for violation in found] == ["label"]
    assert found[0].impact == "critical"
    assert len(found[0].targets) == 1 and found[0].targets[0].startswith("input")


def test_english_pages_have_no_serious_violations(page, demo_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": demo_server.url}])
    violations = {}
    for path in ["/", f"/program/{demo_server.programme_slug}/", demo_server.key_path]:
        page.goto(demo_server(path))
        assert page.get_attribute("html", "lang") == "en"
        if found := axe_violations(page):
            violations[path] = found
    assert not violations, "axe found problems:\n" + format_violations(violations)
