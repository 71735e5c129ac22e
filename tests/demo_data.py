"""The demo data, as ``make demo-data`` loads it, for tests that need a whole
site: reference data, programme S2020/01591 and its allocation keys (2020 and
2021 published, 2022 preliminary)."""

from django.core.management import call_command, get_commands

from fordela.allocation.services import compute_key, freeze_key
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.seed import seed_programme


def load_reference_data() -> None:
    """The real kommuner and regioner, or a small stand-in while the loader is
    not there yet."""
    if "load_reference_data" in get_commands():
        call_command("load_reference_data", verbosity=0)
    else:
        _stand_in_reference_data()


def _stand_in_reference_data() -> None:
    from tests.factories import OrganisationFactory, PopulationFactory

    counties = [("01", "Stockholms län"), ("03", "Uppsala län"), ("25", "Norrbottens län")]
    for county_index, (county_code, county_name) in enumerate(counties):
        region = OrganisationFactory(
            name=f"Region {county_name.removesuffix(' län')}",
            kind="region",
            municipality_code=None,
            region_county_code=county_code,
            county_code=county_code,
            county_name=county_name,
        )
        members = [
            OrganisationFactory(
                name=f"Kommun {county_code}{number:02d}",
                municipality_code=f"{county_code}{number:02d}",
                county_code=county_code,
                county_name=county_name,
            )
            for number in range(1, 11)
        ]
        for year in (2019, 2020, 2021):
            total = 0
            for number, organisation in enumerate(members, start=1):
                population = 5_000 + 1_000 * number + 100 * county_index + year
                total += population
                PopulationFactory(
                    organisation=organisation,
                    reference_date=f"{year}-12-31",
                    population=population,
                )
            PopulationFactory(organisation=region, reference_date=f"{year}-12-31", population=total)


def load_demo_data() -> None:
    load_reference_data()
    programme = seed_programme()
    pools = Pool.objects.filter(programme_year__programme=programme, kind=PoolKind.REQUISITION)
    for pool in pools.select_related("programme_year").order_by("programme_year__year", "slug"):
        key = compute_key(pool, actor="tests")
        if pool.programme_year.year in (2020, 2021):
            freeze_key(key, actor="tests")
