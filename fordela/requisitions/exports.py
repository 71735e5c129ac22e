"""The requisition list of a pool (CSV and XLSX, for handläggare) and the
public redistribution list (*omfördelningslista*, CSV), in the product's one
dialect (``fordela.core.exports``). The views and the ``export_redistribution``
command call these, so a download and a command agree."""

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.utils import translation

from fordela.core import clock, exports
from fordela.programmes.models import Pool

from .models import Redistribution, Requisition, RequisitionStatus

REQUISITION_HEADER = [
    "Diarienummer",
    "Organisation",
    "Organisationsnummer",
    "Län",
    "Status",
    "Tilldelat belopp (kr)",
    "Rekvirerat belopp (kr)",
    "Vill ha omfördelning",
    "Inskickad",
]
REQUISITION_MONEY_COLUMNS = [5, 6]

REDISTRIBUTION_HEADER = [
    "Kod",
    "Organisation",
    "Organisationsnummer",
    "Län",
    "Befolkning",
    "Rekvirerat (kr)",
    "Omfördelat (kr)",
]


def filename(pool: Pool, what: str, extension: str) -> str:
    programme = pool.programme_year.programme
    return f"{what}-{programme.slug}-{pool.programme_year.year}-{pool.slug}.{extension}"


def requisition_rows(requisitions: Iterable[Requisition]) -> Iterator[list[Any]]:
    """One row per requisition (with its organisation selected), the status
    in Swedish whatever the reader's language, the time in Swedish time."""
    with translation.override("sv"):
        statuses = {value: str(label) for value, label in RequisitionStatus.choices}
    for requisition in requisitions:
        organisation = requisition.organisation
        submitted_at = requisition.submitted_at
        yield [
            requisition.case_number or "",
            organisation.name,
            organisation.formatted_organisation_number,
            organisation.county_name,
            statuses.get(requisition.status, requisition.status),
            requisition.allocation_sek,
            requisition.amount_sek,
            "Ja" if requisition.wants_redistribution else "Nej",
            submitted_at.astimezone(clock.STOCKHOLM).strftime("%Y-%m-%d %H:%M")
            if submitted_at
            else "",
        ]


def requisitions_xlsx(pool: Pool, requisitions: Iterable[Requisition]) -> bytes:
    programme = pool.programme_year.programme
    return exports.xlsx_bytes(
        "Rekvisitioner",
        REQUISITION_HEADER,
        requisition_rows(requisitions),
        meta=[
            ("Program", f"{programme.reference_number} {programme.title}"),
            ("År", pool.programme_year.year),
            ("Pott", pool.name),
        ],
        money_columns=REQUISITION_MONEY_COLUMNS,
        widths=[14, 34, 20, 24, 12, 18, 18, 12, 18],
    )


def shares(redistribution: Redistribution):
    """The redistribution's shares by code, with organisation and requisition."""
    return redistribution.shares.select_related("organisation", "requisition").order_by("code")


def redistribution_rows(redistribution: Redistribution) -> Iterator[list[Any]]:
    for share in shares(redistribution):
        organisation = share.organisation
        yield [
            share.code,
            organisation.name,
            organisation.formatted_organisation_number,
            organisation.county_name,
            share.population,
            share.requisition.amount_sek,
            share.amount_sek,
        ]


def write_redistribution_csv(redistribution: Redistribution, stream: TextIO) -> None:
    exports.write_csv(stream, REDISTRIBUTION_HEADER, redistribution_rows(redistribution))
