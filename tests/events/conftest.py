"""The events tests' shared fixtures: a real SMTP sink, and the clock on a
day when the factories' sessions are open for registration."""

import pytest

from tests.mail_sink import smtp_sink  # noqa: F401 - fixture

# Ten days before the factories' sessions (START): registration is open.
OPEN_DAY = "2026-02-28T10:00"


@pytest.fixture
def registration_open(clock_at):
    clock_at(OPEN_DAY)
