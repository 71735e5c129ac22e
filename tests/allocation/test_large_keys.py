"""Keys for any organisation register: codes longer than four characters, and a
key for 100 000 organisations computed, stored and published (issue 15)."""

import datetime

import pytest
from django.db.models import Count, Max, Sum

from fordela.allocation.models import Allocation, KeyStatus
from fordela.allocation.services import compute_key, freeze_key
from fordela.bench.allocation import round_trip
from fordela.organisations.models import Organisation, OrganisationKind, Population
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory

pytestmark = pytest.mark.django_db


def add_register(count: int) -> None:
    """``count`` organisations with six-digit codes, each with a population
    on 31 December 2020."""
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Organisation {number}",
                kind=OrganisationKind.KOMMUN,
                municipality_code=f"{number:06d}",
                reference_key=f"register-{number}",
            )
            for number in range(count)
        ),
        batch_size=10_000,
    )
    Population.objects.bulk_create(
        (
            Population(
                organisation=organisation,
                reference_date=datetime.date(2020, 12, 31),
                population=1_000 + number % 9_000,
            )
            for number, organisation in enumerate(organisations)
        ),
        batch_size=10_000,
    )


def test_a_key_for_100_000_organisations_is_computed_stored_and_published():
    add_register(100_000)
    key = freeze_key(compute_key(PoolFactory(amount_sek=75_000_000, programme_year__year=2021)))
    key.refresh_from_db()
    assert key.status == KeyStatus.FROZEN
    totals = key.allocations.aggregate(
        count=Count("pk"), amount=Sum("amount_sek"), longest=Max("code")
    )
    assert totals == {"count": 100_000, "amount": 75_000_000, "longest": "099999"}


def test_codes_as_long_as_twelve_characters_are_kept_whole():
    code = "SE5568123456"
    organisation = OrganisationFactory(municipality_code=code, region_county_code=code)
    PopulationFactory(organisation=organisation)
    key = compute_key(PoolFactory(programme_year__year=2021))
    assert Allocation.objects.get(key=key).code == code


def test_the_allocation_benchmark_times_a_round_trip_and_leaves_nothing_behind():
    compute_seconds, publish_seconds = round_trip(300)
    assert compute_seconds > 0 and publish_seconds > 0
    assert not Organisation.objects.exists()
