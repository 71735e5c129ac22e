"""What the browser tests share besides fixtures: the one way to wait for
something that happens outside the page."""

import time
from collections.abc import Callable

# How long a browser step or a wait may take. Our pages answer in
# milliseconds, but CI shares two cores between two test workers, a browser
# and PDF rendering: a step that waits longer is slower, never wrongly passed.
TIMEOUT_MS = 30_000


def wait_until[T](
    condition: Callable[[], T], *, seconds: float = 60.0, what: str = "the condition"
) -> T:
    """Call ``condition`` every 0.1 s until it returns something true, and
    return that; fail the test when ``seconds`` have passed. For what the
    page cannot show (mail over SMTP, a row a background task writes); in
    the page, Playwright waits by itself (``locator.wait_for``,
    ``page.wait_for_url``)."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {seconds:g} s waiting for {what}")
        time.sleep(0.1)
    return result


def wait_for_mail(sink, count: int = 1, seconds: float = 60.0) -> list:
    """All mail in the SMTP sink, parsed, once at least ``count`` messages
    have arrived."""
    wait_until(lambda: len(sink.messages) >= count, seconds=seconds, what=f"{count} e-mail(s)")
    return sink.parsed()


def login(browser, site: str, username: str, width: int = 1280, *, password: str = "pw"):
    """A new page (Swedish, Stockholm time, ``width`` px wide) logged in as
    ``username`` with the demo password login, on the start page."""
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(site + "/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(site + "/mina-sidor/")
    return page
