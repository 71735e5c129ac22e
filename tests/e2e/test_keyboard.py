"""A visitor who uses only the keyboard can reach, see and use everything."""

import re

# What the focused element is, and whether the user can see where focus is.
FOCUS_STATE = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        text: (element.innerText || element.value || element.name || '').trim().slice(0, 60),
        path: (() => {
            const parts = [];
            for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
                parts.unshift(node.tagName + ':' + [...node.parentElement?.children || []].indexOf(node));
            }
            return parts.join('/');
        })(),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        boxShadow: style.boxShadow !== 'none',
    };
}"""


def focused(page):
    return page.evaluate(FOCUS_STATE)


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page, demo_server):
    page.goto(demo_server("/"))
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a", first
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab continues from the main content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_focus_is_always_visible(page, demo_server):
    page.goto(demo_server(demo_server.key_path))
    checked, invisible = 0, []
    # Every element Tab reaches, until focus leaves the page after the last.
    for _ in range(200):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None:
            break
        checked += 1
        if not (state["outline"] or state["boxShadow"]):
            invisible.append(state)
    # The menu, the language switch, the filters and the downloads at least.
    assert checked >= 10, f"Tab reached only {checked} elements"
    assert not invisible, f"focus not visible on: {invisible}"


def test_tabbing_cycles_through_the_page_without_a_trap(page, demo_server):
    page.goto(demo_server("/"))
    tabbable = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
            .filter(element => element.tabIndex >= 0 && element.offsetParent !== null || element.classList.contains('skip-link'))
            .length"""
    )
    assert tabbable >= 5, "the home page has links and buttons to tab through"
    visited = []
    for _ in range(2 * tabbable + 2):
        page.keyboard.press("Tab")
        state = focused(page)
        visited.append(state["path"] if state else None)
    distinct = {path for path in visited if path}
    # Every tabbable element gets focus, and Tab keeps moving: after the last
    # element focus leaves the page and comes back to the first.
    assert len(distinct) == tabbable, (tabbable, visited)
    assert visited.count(visited[0]) >= 2, visited


def test_filter_form_works_with_the_keyboard_alone(page, demo_server):
    page.goto(demo_server(demo_server.key_path))
    for _ in range(40):
        page.keyboard.press("Tab")
        if (focused(page) or {}).get("id") == "filter-lan":
            break
    else:
        raise AssertionError("Tab never reached the county filter")
    page.keyboard.press("ArrowDown")  # the first county
    chosen = page.eval_on_selector("#filter-lan", "select => select.value")
    assert chosen
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "filter-q"
    page.keyboard.type("u")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"lan={chosen}"))
    assert "q=u" in page.url
    # The result page keeps the choices and shows only rows of that county.
    assert page.eval_on_selector("#filter-lan", "select => select.value") == chosen
    assert page.input_value("#filter-q") == "u"
    counties = page.eval_on_selector_all(
        "tbody tr td:nth-child(3)", "cells => [...new Set(cells.map(c => c.innerText))]"
    )
    assert len(counties) == 1
