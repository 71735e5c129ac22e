"""Browser tests: Playwright driving Debian's Chromium against a live Django
server on 127.0.0.1 with PostgreSQL (toolchain-notes §2).

``demo_server`` serves the demo data (reference data, programme S2020/01591 and
its allocation keys), loaded once per test module and removed again after it.
It uses pytest-django's live server class, but not its ``live_server``
fixture: that one flushes the database after every test, which would mean
reloading the demo data for each one. Tests that need data of their own use
``live_server`` with factories instead, in modules of their own (their flush
would remove the demo data from under a ``demo_server`` test in the same
module).
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import TIMEOUT_MS

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told this is fine (toolchain-notes §2).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# pytest-django's ``live_server`` listens on localhost unless told otherwise.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
expect.set_options(timeout=TIMEOUT_MS)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The programme and key every page test starts from.
PROGRAMME_SLUG = "s2020-01591"
KEY_PATH = f"/program/{PROGRAMME_SLUG}/2021/kommuner/fordelningsnyckel/"


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)
            # With pytest-xdist use --dist loadgroup to keep the package on one worker.
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install -y chromium (never playwright install)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def page(page):
    page.set_default_timeout(TIMEOUT_MS)
    return page


@dataclass(frozen=True)
class DemoServer:
    url: str
    programme_slug: str = PROGRAMME_SLUG
    key_path: str = KEY_PATH

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="module")
def _demo_server(django_db_setup, django_db_blocker) -> Iterator[DemoServer]:
    """A live server on 127.0.0.1 with the demo data, for one test module.

    The data is committed (the server thread has its own connection), so it is
    flushed again when the module is done, leaving the test database empty for
    the tests that follow.
    """
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from tests.demo_data import load_demo_data

    with django_db_blocker.unblock():
        load_demo_data()
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield DemoServer(url=server.url)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo_server(db, _demo_server) -> DemoServer:
    """The demo site. Requesting ``db`` tells pytest-django that the test
    database is needed; the test itself runs in a transaction that is rolled
    back, which leaves the committed demo data alone."""
    return _demo_server
