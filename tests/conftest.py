"""Shared fixtures. Tests run against PostgreSQL (fordela.settings.test)."""

import pytest


@pytest.fixture
def programme(db):
    """Programme S2020/01591 as seed_programme creates it."""
    from fordela.programmes.seed import seed_programme

    return seed_programme()
