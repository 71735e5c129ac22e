"""The allocation key (*fördelningsnyckel*) as CSV and XLSX, in the product's
one dialect (``fordela.core.exports``). The web downloads and the
``export_allocation`` command share these functions, so their numbers agree."""

from typing import Any, TextIO

from fordela.core import exports

from .models import AllocationKey

HEADER = ["Kod", "Organisation", "Organisationsnummer", "Län", "Befolkning", "Belopp (kr)"]
METHOD = "Största rest (Hamilton), hela kronor; lika rest: större befolkning, sedan kod"


def rows(key: AllocationKey) -> list[list[Any]]:
    """One row per organisation of the key, by code."""
    allocations = key.allocations.select_related("organisation").order_by("code")
    return [
        [
            allocation.code,
            allocation.organisation.name,
            allocation.organisation.formatted_organisation_number,
            allocation.organisation.county_name,
            allocation.population,
            allocation.amount_sek,
        ]
        for allocation in allocations
    ]


def write_csv(key: AllocationKey, stream: TextIO) -> None:
    exports.write_csv(stream, HEADER, rows(key))


def export_filename(key: AllocationKey, extension: str) -> str:
    pool = key.pool
    programme = pool.programme_year.programme
    return (
        f"fordelningsnyckel-{programme.slug}-{pool.programme_year.year}-{pool.slug}"
        f"-befolkning-{key.population_date.isoformat()}.{extension}"
    )


def xlsx_bytes(key: AllocationKey) -> bytes:
    """The key as a workbook: what it is above the table, the sum below."""
    pool = key.pool
    programme = pool.programme_year.programme
    meta = [
        ("Program", f"{programme.reference_number} {programme.title}"),
        ("År", pool.programme_year.year),
        ("Pott", pool.name),
        ("Belopp (kr)", key.amount_sek),
        ("Befolkning per", key.population_date),
        ("Status", "Fastställd" if key.is_frozen else "Preliminär"),
        ("Metod", METHOD),
    ]
    return exports.xlsx_bytes(
        "Fördelningsnyckel",
        HEADER,
        rows(key),
        meta=meta,
        money_columns=[4, 5],
        widths=[8, 34, 20, 24, 14, 16],
        total=[None, "Summa", None, None, key.total_population, key.amount_sek],
    )
