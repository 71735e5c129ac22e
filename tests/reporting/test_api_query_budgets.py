# ruff: noqa: F811 - the fixtures imported from api_fixtures are arguments of the tests
"""Every API endpoint runs as many queries for many rows as for few (no
N+1): lists with rows added between two requests, and an allocation key of
four organisations against one of forty-four."""

import datetime
import itertools

from django.test import Client
from django.urls import reverse

from fordela.allocation.services import compute_key, freeze_key
from fordela.core import clock
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.programmes.models import AppropriationLine, ProgrammeYear
from fordela.requisitions.models import (
    Redistribution,
    RedistributionShare,
    Requisition,
    RequisitionStatus,
)
from tests.factories import (
    OrganisationFactory,
    PoolFactory,
    PopulationFactory,
    ProgrammeFactory,
)
from tests.query_budget import assert_same_query_count, query_budget

from .api_fixtures import (  # noqa: F401 - fixtures
    api_world,
    clock_at,
    decided_grants,
    english,
    paid_round,
    report_form,
    round_,
)

_numbers = itertools.count(1)


def paid_requisitions_with_shares(world, count: int) -> None:
    """``count`` more paid requisitions in the round's pool, each with a
    share of its redistribution (written directly: the lists only read)."""
    pool = world.requisition_pool
    allocation = pool.allocation_key.allocations.first()
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build_batch(
            count, kind=OrganisationKind.KOMMUN, municipality_code=None, organisation_number=""
        )
    )
    user = world.round.users["ombud"]
    requisitions = Requisition.objects.bulk_create(
        Requisition(
            organisation=org,
            pool=pool,
            allocation=allocation,
            allocation_sek=allocation.amount_sek,
            amount_sek=1,
            status=RequisitionStatus.PAID,
            case_number=f"2021-9-{next(_numbers)}",
            conditions_confirmed=True,
            created_by=user,
            submitted_at=clock.now(),
            submitted_by=user,
            submission_count=1,
        )
        for org in organisations
    )
    RedistributionShare.objects.bulk_create(
        RedistributionShare(
            redistribution=pool.redistribution,
            requisition=requisition,
            organisation=requisition.organisation,
            code=f"X{next(_numbers)}",
            population=1,
            amount_sek=1,
        )
        for requisition in requisitions
    )


def more_pools(world, count: int) -> None:
    """Pools in the round's year, each with a published key and a confirmed
    redistribution, and appropriation lines."""
    year = world.requisition_pool.programme_year
    for _ in range(count):
        n = next(_numbers)
        pool = PoolFactory(programme_year=year, slug=f"extra-{n}", amount_sek=1000)
        freeze_key(compute_key(pool, actor="tests"), actor="tests")
        Redistribution.objects.create(
            pool=pool,
            allocated_sek=100,
            requisitioned_sek=60,
            unrequisitioned_sek=40,
            redistributed_sek=30,
            unallocated_sek=10,
            population_date=datetime.date(2020, 12, 31),
            confirmed_at=clock.now(),
        )
        AppropriationLine.objects.create(
            programme_year=year,
            expenditure_area=9,
            appropriation="4:7",
            appropriation_item=n,
            name="Bidrag",
            amount_sek=1000,
        )


def test_lists_do_not_grow_with_their_rows(api_world):
    w = api_world
    programme = w.programme
    client = Client()
    requisition_pool, application_pool = (
        w.pool_kwargs(w.requisition_pool),
        w.pool_kwargs(w.application_pool),
    )
    urls = [
        reverse("api:v1:programmes"),
        reverse("api:v1:programme", args=[programme]),
        reverse("api:v1:programme_year", args=[programme, str(w.year)]),
        reverse("api:v1:pools", args=[programme, str(w.year)]),
        reverse("api:v1:allocation_keys", args=[programme]),
        reverse("api:v1:redistributions", args=[programme]),
        reverse("api:v1:redistribution_shares", kwargs=requisition_pool),
        reverse("api:v1:grants", kwargs=requisition_pool),
        reverse("api:v1:grants", kwargs=application_pool),
    ]
    with query_budget(client, *urls):
        for _ in range(3):
            ProgrammeFactory()
        for year in (2022, 2023):
            ProgrammeYear.objects.create(
                programme=w.requisition_pool.programme_year.programme, year=year
            )
        more_pools(w, 3)
        paid_requisitions_with_shares(w, 6)
        decided_grants(w.call, w.round.users["handlaggare"], w.round.users["ekonomi"], 6)


def test_a_large_key_runs_the_queries_of_a_small_one(api_world):
    year = api_world.requisition_pool.programme_year
    for n in range(40):
        org = OrganisationFactory(municipality_code=f"9{n:03d}")
        PopulationFactory(organisation=org, reference_date=datetime.date(2020, 12, 31))
    large = PoolFactory(programme_year=year, slug="stor", amount_sek=10_000_000)
    freeze_key(compute_key(large, actor="tests"), actor="tests")
    assert large.allocation_key.allocations.count() == 44
    client = Client()
    for name in ("allocation_key", "allocations"):
        assert_same_query_count(
            client,
            reverse(f"api:v1:{name}", kwargs=api_world.pool_kwargs(api_world.requisition_pool)),
            reverse(f"api:v1:{name}", kwargs=api_world.pool_kwargs(large)),
        )


def test_a_304_runs_no_more_queries_than_the_validators(api_world, django_assert_max_num_queries):
    address = reverse(
        "api:v1:allocations", kwargs=api_world.pool_kwargs(api_world.requisition_pool)
    )
    client = Client()
    etag = client.get(address)["ETag"]
    # The pool with its key, and the organisations' latest change.
    with django_assert_max_num_queries(2):
        assert client.get(address, headers={"if-none-match": etag}).status_code == 304
