"""The rows of tests/reporting/url_rows_api.py, run here for each of the
roles of the URL × role table (``ROWS`` is wired into it too)
against a world like the table's: a published key of a pool of S2020/01591."""

from dataclasses import dataclass, field

import pytest

from fordela.allocation.services import compute_key, freeze_key
from tests.access.test_url_access import url_names
from tests.access.url_access_table import role_statuses, users_for_every_role
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory
from tests.reporting.url_rows_api import ROWS


@dataclass
class World:
    users: dict
    extras: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    for organisation in (ours, theirs):
        PopulationFactory(organisation=organisation)
    users = users_for_every_role(ours, theirs)
    pool = PoolFactory(programme_year__programme__reference_number="S2020/01591")
    freeze_key(compute_key(pool))
    world = World(users)
    world.extras["key_kwargs"] = {
        "programme": pool.programme_year.programme.slug,
        "year": pool.programme_year.year,
        "pool": pool.slug,
    }
    return world


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_the_rows_status(world, name):
    entry = ROWS[name]
    assert role_statuses(name, entry, world) == entry.expected


def test_every_api_url_has_a_row():
    assert sorted(name for name in url_names() if name.startswith("api:")) == sorted(ROWS)
