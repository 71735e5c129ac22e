"""The real keys of S2020/01591, from the vendored SCB data."""

import io

import pytest
from django.core.management import call_command

from tests.spreadsheets import csv_records, csv_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_keys(programme):
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("compute_allocation_keys", "S2020/01591", "--freeze", stdout=io.StringIO())


def export(year: int, pool: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_allocation", "S2020/01591", str(year), pool, stdout=out)
    header = csv_table(out.getvalue())[0]
    assert header == [
        "Kod",
        "Organisation",
        "Organisationsnummer",
        "Län",
        "Befolkning",
        "Belopp (kr)",
    ]
    return csv_records(out.getvalue())


# One fixture run per test: loading and keying the real data takes a moment,
# so each test checks all years at once.


def test_kommun_keys_have_290_rows_summing_to_75_million(real_keys):
    for year in (2020, 2021, 2022):
        rows = export(year, "kommuner")
        assert len(rows) == 290
        assert sum(int(row["Belopp (kr)"]) for row in rows) == 75_000_000


def test_region_keys_have_21_rows_summing_to_31_5_million(real_keys):
    for year in (2020, 2021, 2022):
        rows = export(year, "regioner")
        assert len(rows) == 21
        assert sum(int(row["Belopp (kr)"]) for row in rows) == 31_500_000
        assert {row["Kod"] for row in rows} == {
            f"{code:02d}"
            for code in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25)
        }


KNOWN_AMOUNTS = [
    # domain.md §3.1, computed independently during the domain research.
    (2020, "kommuner", "0180", 7_073_817),  # Stockholm, population 2019-12-31
    (2020, "kommuner", "2403", 17_487),  # Bjurholm
    (2021, "kommuner", "0180", 7_049_258),
    (2021, "kommuner", "2403", 17_248),
    (2022, "kommuner", "0180", 7_023_102),
    (2022, "kommuner", "2403", 17_185),
    (2020, "regioner", "14", 5_264_080),  # Västra Götalandsregionen
    (2020, "regioner", "09", 182_047),  # Region Gotland
    (2021, "regioner", "14", 5_263_841),
    (2021, "regioner", "09", 182_470),
    (2022, "regioner", "14", 5_258_452),
    (2022, "regioner", "09", 183_838),
]


def test_known_amounts_agree_with_the_domain_research(real_keys):
    found = [
        (year, pool, code, {r["Kod"]: int(r["Belopp (kr)"]) for r in export(year, pool)}[code])
        for year, pool, code, _amount in KNOWN_AMOUNTS
    ]
    assert found == KNOWN_AMOUNTS


def test_top_up_keys_and_rounding_spread(real_keys):
    kommuner = export(2021, "kommuner-pafyllnad")
    regioner = export(2021, "regioner-pafyllnad")
    assert (len(kommuner), sum(int(r["Belopp (kr)"]) for r in kommuner)) == (290, 5_000_000)
    assert (len(regioner), sum(int(r["Belopp (kr)"]) for r in regioner)) == (21, 6_500_000)
    # 2021 kommuner: 138 organisations get the extra krona (domain.md §3.1, "R").
    rows = export(2021, "kommuner")
    total_population = sum(int(r["Befolkning"]) for r in rows)
    floors = sum(75_000_000 * int(r["Befolkning"]) // total_population for r in rows)
    assert 75_000_000 - floors == 138
