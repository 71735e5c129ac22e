"""The national report as XLSX (issue 19 §2): one sheet per table of the
page (the economic table, the appropriation lines, the administrative costs,
the calls, the follow-up reports), each with a total row that equals the
page's, and the regions' sub-grants (issue 20 §5), which like the page's
table have no total row: they are a breakdown of what the regions were paid,
counted once in the economic table. Written through the product's one XLSX
writer (``fordela.core.exports``); Swedish headings."""

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation

from fordela.applications.pdf import html_to_pdf
from fordela.core import clock
from fordela.core.agency import agency
from fordela.core.exports import Sheet, xlsx_book
from fordela.programmes.models import Programme

from . import narrative
from .national import POOL_FIELDS, YearReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

POOL_HEADER = [
    "År",
    "Pott",
    "Budget (kr)",
    "Fördelat (kr)",
    "Rekvirerat (kr)",
    "Rekvirerande organisationer",
    "Organisationer i nyckeln",
    "Omfördelat (kr)",
    "Beviljat (kr)",
    "Utbetalt (kr)",
    "Bokförda kostnader (kr)",
    "Redovisat använt (kr)",
    "Ej använt (kr)",
    "Återkrav beslutat (kr)",
    "Återbetalt (kr)",
    "Nettoanvänt (kr)",
]
LINE_HEADER = [
    "År",
    "Anslagspost",
    "Budget (kr)",
    "Utbetalt (kr)",
    "Återbetalt (kr)",
    "Bokförda kostnader (kr)",
    "Utfall (kr)",
    "Kvar (kr)",
]
COST_HEADER = ["År", "Kostnadspott", "Anslagspost", "Belopp (kr)", "Bokfört (kr)", "Kvar (kr)"]
CALL_HEADER = [
    "År",
    "Utlysning",
    "Inkomna",
    "Sökt (kr)",
    "Beviljade",
    "Beviljat (kr)",
    "Avslagna",
    "Sökt av avslagna (kr)",
]
REPORT_HEADER = ["År", "Återrapporter", "I tid", "Försenade", "Godkända"]
REGIONAL_HEADER = [
    "År",
    "Region",
    "Utlysningar",
    "Beviljade bidrag",
    "Beviljat (kr)",
    "Fakturerat och utbetalt (kr)",
    "Ej använt (kr)",
]
REGIONAL_NOTE = (
    "Anmärkning",
    "Del av det som regionerna fick utbetalt enligt den ekonomiska redovisningen; "
    "ingår inte i någon summa.",
)


def national_filename(programme: Programme) -> str:
    return f"redovisning-{programme.slug}-{clock.today().isoformat()}.xlsx"


def national_pdf_filename(programme: Programme) -> str:
    return f"redovisning-{programme.slug}-{clock.today().isoformat()}.pdf"


def national_pdf(programme: Programme, years: list[YearReport]) -> bytes:
    """The economic report as a PDF in the agency's letter layout, with the
    decision's diarienummer and the date (always Swedish)."""
    with translation.override("sv"):
        html = render_to_string(
            "reporting/national/report_pdf.html",
            {
                "agency": agency(),
                "programme": programme,
                "years": years,
                "today": clock.today(),
                "narrative": narrative.current(programme),
            },
        )
    return html_to_pdf(html)


def _total(label_columns: int, rows: list[list]) -> list:
    """A total row: "Summa" under the labels, then the sums of the columns
    after them."""
    width = len(rows[0]) if rows else label_columns
    sums = [sum(row[i] or 0 for row in rows) for i in range(label_columns, width)]
    return ["Summa", *[""] * (label_columns - 1), *sums]


def _summed_sheet(
    title: str,
    header: list[str],
    rows: list[list],
    meta: list[tuple],
    *,
    money_columns: Sequence[int] = (),
    widths: Sequence[int] = (),
    label_columns: int = 2,
) -> Sheet:
    """A sheet of the report with its total row: the first ``label_columns``
    columns are labels, the rest are summed."""
    return Sheet(
        title,
        header,
        rows,
        meta=meta,
        money_columns=money_columns,
        widths=widths,
        total=_total(label_columns, rows),
    )


def national_xlsx(programme: Programme, years: list[YearReport]) -> bytes:
    meta = [
        ("Program", f"{programme.reference_number} {programme.title}"),
        ("Diarienummer", programme.reference_number),
        ("Datum", clock.today()),
    ]
    pools, lines, costs, calls, reports, regional = [], [], [], [], [], []
    for report in years:
        for row in report.pools:
            pools.append([report.year, row.pool.name, *[getattr(row, f) for f in POOL_FIELDS]])
        for row in report.lines:
            label = f"{row.line} {row.line.name}" if row.line else "Ingen anslagspost"
            lines.append(
                [
                    report.year,
                    label,
                    row.budget_sek,
                    row.paid_sek,
                    row.repaid_sek,
                    row.costs_sek,
                    row.outcome_sek,
                    row.remainder_sek if row.line else None,
                ]
            )
        for row in report.costs:
            line = row.pool.appropriation_line
            costs.append(
                [
                    report.year,
                    row.pool.name,
                    str(line) if line else "",
                    row.pool.amount_sek,
                    row.booked_sek,
                    row.left_sek,
                ]
            )
        for row in report.calls:
            calls.append(
                [
                    report.year,
                    row.call.pool.name,
                    row.received_count,
                    row.received_sek,
                    row.granted_count,
                    row.granted_sek,
                    row.rejected_count,
                    row.rejected_sek,
                ]
            )
        for row in report.regional:
            summed = row.rollup
            regional.append(
                [
                    report.year,
                    row.region_name,
                    summed.rounds,
                    summed.count,
                    summed.granted_sek,
                    summed.invoiced_sek,
                    summed.unused_sek,
                ]
            )
        counts = report.reports
        reports.append([report.year, counts.total, counts.on_time, counts.overdue, counts.approved])
    return xlsx_book(
        [
            _summed_sheet(
                "Ekonomisk redovisning",
                POOL_HEADER,
                pools,
                meta,
                money_columns=[2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15],
                widths=[6, 40],
            ),
            _summed_sheet(
                "Anslagsposter",
                LINE_HEADER,
                lines,
                meta,
                money_columns=[2, 3, 4, 5, 6, 7],
                widths=[6, 60],
            ),
            _summed_sheet(
                "Administrativa kostnader",
                COST_HEADER,
                costs,
                meta,
                money_columns=[3, 4, 5],
                widths=[6, 40, 20],
                label_columns=3,
            ),
            _summed_sheet(
                "Ansökningar",
                CALL_HEADER,
                calls,
                meta,
                money_columns=[3, 5, 7],
                widths=[6, 40],
            ),
            _summed_sheet("Återrapporter", REPORT_HEADER, reports, meta, label_columns=1),
            Sheet(
                "Regionala bidrag",
                REGIONAL_HEADER,
                regional,
                meta=[*meta, REGIONAL_NOTE],
                money_columns=[4, 5, 6],
                widths=[6, 40],
            ),
        ]
    )
