"""What the browser tests share besides fixtures: the one way to wait for
something that happens outside the page."""

import time
from collections.abc import Callable


def wait_until[T](
    condition: Callable[[], T], *, seconds: float = 20.0, what: str = "the condition"
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


def wait_for_mail(sink, count: int = 1, seconds: float = 20.0) -> list:
    """All mail in the SMTP sink, parsed, once at least ``count`` messages
    have arrived."""
    wait_until(lambda: len(sink.messages) >= count, seconds=seconds, what=f"{count} e-mail(s)")
    return sink.parsed()
