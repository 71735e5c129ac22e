"""Computing and publishing allocation keys in the database."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from fordela.allocation.models import Allocation, KeyStatus
from fordela.allocation.services import AllocationError, compute_key, freeze_key, reconcile_key
from fordela.audit.models import AuditEvent
from fordela.programmes.models import Eligibility
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory

pytestmark = pytest.mark.django_db


def kommun(code: str, population: int, *, date=datetime.date(2020, 12, 31), **extra):
    organisation = OrganisationFactory(municipality_code=code, **extra)
    PopulationFactory(organisation=organisation, reference_date=date, population=population)
    return organisation


def test_key_uses_the_population_of_31_december_the_year_before():
    kommun("0001", 100, date=datetime.date(2020, 12, 31))
    PopulationFactory(
        organisation=kommun("0002", 300, date=datetime.date(2020, 12, 31)),
        reference_date=datetime.date(2019, 12, 31),
        population=1,
    )
    key = compute_key(PoolFactory(amount_sek=1_000, programme_year__year=2021))
    assert key.population_date == datetime.date(2020, 12, 31)
    assert key.total_population == 400
    assert dict(key.allocations.values_list("code", "amount_sek")) == {"0001": 250, "0002": 750}


def test_key_balances_to_the_krona_and_is_audited():
    for code, population in [("0001", 7), ("0002", 11), ("0003", 13)]:
        kommun(code, population)
    key = compute_key(PoolFactory(amount_sek=1_000_001, programme_year__year=2021))
    assert sum(key.allocations.values_list("amount_sek", flat=True)) == 1_000_001
    assert reconcile_key(key) == []
    event = AuditEvent.objects.get(action="allocation_key.computed")
    assert event.after["organisations"] == 3


def test_a_missing_population_is_refused_with_the_organisation_named():
    kommun("0001", 100)
    OrganisationFactory(municipality_code="0002", name="Saknarbefolkning kommun")
    with pytest.raises(AllocationError, match="Saknarbefolkning kommun"):
        compute_key(PoolFactory(programme_year__year=2021))
    assert not Allocation.objects.exists()


def test_gotland_is_in_both_the_kommun_and_the_region_key_with_its_own_code():
    gotland = kommun("0980", 60_000, region_county_code="09", name="Region Gotland")
    kommun("0180", 900_000)
    region = OrganisationFactory(municipality_code=None, region_county_code="01")
    PopulationFactory(organisation=region, population=2_000_000)
    kommun_key = compute_key(PoolFactory(slug="kommuner", amount_sek=1_000_000))
    region_pool = PoolFactory(
        slug="regioner",
        eligibility=Eligibility.REGIONS,
        amount_sek=500_000,
        programme_year=kommun_key.pool.programme_year,
    )
    region_key = compute_key(region_pool)
    assert kommun_key.allocations.get(organisation=gotland).code == "0980"
    assert region_key.allocations.get(organisation=gotland).code == "09"
    assert region_key.allocations.count() == 2


def test_a_top_up_is_its_own_key_on_the_top_up_amount():
    kommun("0001", 1)
    kommun("0002", 2)
    main = PoolFactory(amount_sek=100)
    top_up = PoolFactory(
        slug="kommuner-pafyllnad", amount_sek=10, top_up_of=main, programme_year=main.programme_year
    )
    assert dict(compute_key(top_up).allocations.values_list("code", "amount_sek")) == {
        "0001": 3,
        "0002": 7,
    }


def test_a_draft_key_can_be_recomputed_but_a_published_key_never_changes():
    kommun("0001", 1)
    pool = PoolFactory(amount_sek=100)
    key = compute_key(pool)
    pool.amount_sek = 200
    pool.save()
    key = compute_key(pool)
    assert key.amount_sek == 200
    freeze_key(key)
    key.refresh_from_db()
    assert key.status == KeyStatus.FROZEN and key.frozen_at is not None
    with pytest.raises(AllocationError, match="fastställd och kan inte längre ändras"):
        compute_key(pool)
    with pytest.raises(AllocationError, match="redan fastställd"):
        freeze_key(key)
    assert key.allocations.get().amount_sek == 200


def test_the_database_refuses_to_change_a_published_key():
    kommun("0001", 1)
    kommun("0002", 1)
    key = freeze_key(compute_key(PoolFactory(amount_sek=100)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(key=key, code="0001").update(amount_sek=51)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(key=key).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(key).objects.filter(pk=key.pk).update(amount_sek=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            key=key, organisation=kommun("0003", 1), code="0003", population=1, amount_sek=0
        )
    assert sorted(key.allocations.values_list("amount_sek", flat=True)) == [50, 50]


def test_freezing_refuses_a_key_that_no_longer_matches_its_pool():
    kommun("0001", 1)
    pool = PoolFactory(amount_sek=100)
    key = compute_key(pool)
    pool.amount_sek = 150
    pool.save()
    with pytest.raises(AllocationError, match=r"\b150 kr"):
        freeze_key(key)
    key.refresh_from_db()
    assert key.status == KeyStatus.DRAFT
