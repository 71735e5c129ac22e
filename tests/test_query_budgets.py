"""Every list page runs the same number of SQL queries however many rows it
shows (see tests/query_budget.py)."""

import datetime

import pytest
from django.http import HttpResponse
from django.urls import path

from fordela.allocation.services import compute_key, freeze_key
from fordela.organisations.models import Organisation, Population
from fordela.programmes.models import AppropriationLine, Eligibility, PoolKind
from tests.factories import OrganisationFactory, PoolFactory, ProgrammeFactory, ProgrammeYearFactory
from tests.query_budget import assert_same_query_count, query_budget

pytestmark = pytest.mark.django_db

COUNTIES = [("01", "Stockholms län"), ("03", "Uppsala län"), ("25", "Norrbottens län")]


def add_kommuner(count: int, years=(2019, 2020, 2021)) -> None:
    """``count`` kommuner spread over three län, with a population on
    31 December of each year."""
    organisations = OrganisationFactory.build_batch(count)
    for number, organisation in enumerate(organisations):
        organisation.county_code, organisation.county_name = COUNTIES[number % len(COUNTIES)]
    created = Organisation.objects.bulk_create(organisations)
    Population.objects.bulk_create(
        Population(
            organisation=organisation,
            reference_date=datetime.date(year, 12, 31),
            population=1_000 + 37 * number,
        )
        for number, organisation in enumerate(created)
        for year in years
    )


def add_year(programme, year: int, pools: int) -> None:
    """A programme year with a keyed kommun pool, its top-up, ``pools - 2``
    application pools and three appropriation lines."""
    programme_year = ProgrammeYearFactory(programme=programme, year=year, total_sek=10**8)
    kommuner = PoolFactory(programme_year=programme_year, slug="kommuner")
    compute_key(kommuner)
    PoolFactory(programme_year=programme_year, slug="kommuner-pafyllnad", top_up_of=kommuner)
    for number in range(pools - 2):
        PoolFactory(
            programme_year=programme_year,
            slug=f"ideella-{number}",
            kind=PoolKind.APPLICATION,
            eligibility=Eligibility.NONPROFITS,
        )
    for item in (1, 2, 3):
        AppropriationLine.objects.create(
            programme_year=programme_year,
            expenditure_area=9,
            appropriation="4:7",
            appropriation_item=item,
            name=f"Anslagspost {item}",
            amount_sek=1_000_000,
        )


def key_url(pool, ending="/") -> str:
    programme_year = pool.programme_year
    return (
        f"/program/{programme_year.programme.slug}/{programme_year.year}/{pool.slug}"
        f"/fordelningsnyckel{ending}"
    )


def test_key_page_and_downloads_do_not_grow_with_the_organisations(client):
    pool = PoolFactory(amount_sek=75_000_000)
    add_kommuner(10)
    compute_key(pool)
    page = key_url(pool)
    urls = [
        page,
        page + "?sort=-amount",
        page + "?lan=01&sort=county",
        page + "?q=kommun&sort=-population",
        key_url(pool, ".csv"),
        key_url(pool, ".xlsx"),
    ]
    with query_budget(client, *urls):
        add_kommuner(490)
        compute_key(pool)


def test_published_key_page_does_not_grow_with_the_organisations(client):
    # A published key never changes, so compare a small and a large one.
    small = PoolFactory(amount_sek=75_000_000)
    add_kommuner(10)
    freeze_key(compute_key(small))
    add_kommuner(490)
    large = PoolFactory(programme_year=small.programme_year, slug="kommuner-pafyllnad")
    freeze_key(compute_key(large))
    for ending in ("/", "/?lan=03&sort=-amount", ".csv", ".xlsx"):
        assert_same_query_count(client, key_url(small, ending), key_url(large, ending))


def test_programme_page_does_not_grow_with_years_and_pools(client):
    add_kommuner(5)
    programme = ProgrammeFactory()
    add_year(programme, 2021, pools=2)
    with query_budget(client, f"/program/{programme.slug}/"):
        add_year(programme, 2020, pools=8)
        add_year(programme, 2022, pools=8)


def test_home_page_does_not_grow_with_the_programmes(client):
    ProgrammeYearFactory()
    with query_budget(client, "/"):
        for _ in range(20):
            programme = ProgrammeFactory()
            for year in (2020, 2021, 2022):
                ProgrammeYearFactory(programme=programme, year=year)


def organisation_populations(request):
    """A page with an N+1: one query per organisation."""
    counts = [organisation.populations.count() for organisation in Organisation.objects.all()]
    return HttpResponse(f"{sum(counts)} populations")


urlpatterns = [path("n-plus-one/", organisation_populations)]


def test_query_budget_catches_a_page_with_one_query_per_row(client, settings):
    settings.ROOT_URLCONF = __name__
    add_kommuner(2)
    with (
        pytest.raises(AssertionError, match=r"3 queries for /n-plus-one/ but 5"),
        query_budget(client, "/n-plus-one/"),
    ):
        add_kommuner(2)
