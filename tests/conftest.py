"""Shared fixtures. Tests run against PostgreSQL (fordela.settings.test)."""

import pytest


@pytest.fixture
def programme(db):
    """Programme S2020/01591 as seed_programme creates it."""
    from fordela.programmes.seed import seed_programme

    return seed_programme()


@pytest.fixture
def clock_at(settings):
    """Move the product's one clock (``fordela.core.clock``) for this test:
    ``clock_at("2021-10-01T23:59")``; ``clock_at("")`` is real time. Packages
    whose tests start on a given day override it with that day."""

    def move(value: str) -> None:
        settings.FORDELA_TODAY = value

    return move


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: published allocation keys are
    cached by URL, and the next test may publish another key at the same URL."""
    from django.core.cache import cache

    cache.clear()
