"""The handläggare's list of follow-up reports as CSV and XLSX, in the
product's one dialect (``fordela.core.exports``), Swedish column headings and
statuses whatever the reader's language."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import translation

from fordela.core import clock, exports

from .models import Report, ReportStatus

HEADER = [
    "Diarienummer",
    "Organisation",
    "Organisationsnummer",
    "Program",
    "Bidragsår",
    "Pott",
    "Status",
    "Redovisas senast",
    "Försenad",
    "Rekvirerat (kr)",
    "Omfördelat (kr)",
    "Beviljat (kr)",
    "Mottaget (kr)",
    "Använt (kr)",
    "Ej använt (kr)",
    "Inskickad",
]
MONEY_COLUMNS = [9, 10, 11, 12, 13, 14]


def rows(reports: Iterable[Report]) -> Iterator[list[Any]]:
    with translation.override("sv"):
        statuses = {value: str(label) for value, label in ReportStatus.choices}
    for report in reports:
        submitted_at = report.submitted_at
        yield [
            report.case_number,
            report.organisation.name,
            report.organisation.formatted_organisation_number,
            report.pool.programme_year.programme.reference_number,
            report.year,
            report.pool.name,
            statuses.get(report.status, report.status),
            report.due_on,
            "Ja" if report.is_overdue else "Nej",
            report.requisitioned_sek,
            report.redistributed_sek,
            report.granted_sek,
            report.received_sek,
            report.used_sek,
            report.unused_sek,
            submitted_at.astimezone(clock.STOCKHOLM).strftime("%Y-%m-%d %H:%M")
            if submitted_at
            else "",
        ]


def filename(extension: str) -> str:
    return f"aterrapporter-{clock.today().isoformat()}.{extension}"


def xlsx(reports: Iterable[Report], meta: list[tuple[str, Any]]) -> bytes:
    return exports.xlsx_bytes(
        "Återrapporter",
        HEADER,
        rows(reports),
        meta=meta,
        money_columns=MONEY_COLUMNS,
        widths=[14, 34, 20, 14, 10, 24, 20, 14, 10, 16, 16, 16, 16, 16, 16, 18],
    )
