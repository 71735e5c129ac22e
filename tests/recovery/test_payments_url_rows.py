"""The rows of tests/recovery/url_rows_payments.py, run here for each of the
roles of the URL × role table (``ROWS`` is wired into it too);
``POST_ROWS`` are the same pages when they act, which the table, one row a
URL name, has no room for."""

from dataclasses import dataclass, field

import pytest

from tests.access.url_access_table import role_statuses, users_for_every_role
from tests.factories import OrganisationFactory
from tests.recovery.url_rows_payments import POST_ROWS, ROWS


@dataclass
class World:
    users: dict
    extras: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    users = users_for_every_role(ours, theirs)
    return World(users)


@pytest.mark.parametrize(
    "rows, name",
    [(ROWS, name) for name in ROWS] + [(POST_ROWS, name) for name in POST_ROWS],
)
def test_each_role_gets_the_rows_status(world, rows, name):
    entry = rows[name]
    assert role_statuses(name, entry, world) == entry.expected


def test_every_payments_url_has_a_row():
    from fordela.recovery.urls import payments

    assert sorted(f"recovery:{p.name}" for p in payments.urlpatterns) == sorted(ROWS)
