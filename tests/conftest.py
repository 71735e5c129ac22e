"""Shared fixtures. Tests run against PostgreSQL (fordela.settings.test)."""

import pytest


@pytest.fixture
def programme(db):
    """Programme S2020/01591 as seed_programme creates it."""
    from fordela.programmes.seed import seed_programme

    return seed_programme()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: published allocation keys are
    cached by URL, and the next test may publish another key at the same URL."""
    from django.core.cache import cache

    cache.clear()
