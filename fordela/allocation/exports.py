"""The allocation key as CSV and XLSX. The web downloads and the
``export_allocation`` command share these functions, so their numbers agree."""

import csv
import io
from typing import TextIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .models import AllocationKey

CSV_HEADER = ["code", "name", "population", "amount_sek"]


def key_rows(key: AllocationKey):
    return key.allocations.select_related("organisation").order_by("code")


def write_csv(key: AllocationKey, stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for allocation in key_rows(key):
        writer.writerow(
            [
                allocation.code,
                allocation.organisation.name,
                allocation.population,
                allocation.amount_sek,
            ]
        )


def export_filename(key: AllocationKey, extension: str) -> str:
    pool = key.pool
    programme = pool.programme_year.programme
    return (
        f"fordelningsnyckel-{programme.slug}-{pool.programme_year.year}-{pool.slug}"
        f"-befolkning-{key.population_date.isoformat()}.{extension}"
    )


def xlsx_bytes(key: AllocationKey) -> bytes:
    pool = key.pool
    programme = pool.programme_year.programme
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Fördelningsnyckel"
    bold = Font(bold=True)
    meta = [
        ("Program", f"{programme.reference_number} {programme.title}"),
        ("År", pool.programme_year.year),
        ("Pott", pool.name),
        ("Belopp (kr)", key.amount_sek),
        ("Befolkning per", key.population_date),
        ("Status", "Fastställd" if key.is_frozen else "Preliminär"),
        ("Metod", "Största rest (Hamilton), hela kronor; lika rest: större befolkning, sedan kod"),
    ]
    for label, value in meta:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.cell(row=5, column=2).number_format = "yyyy-mm-dd"
    sheet.append([])
    header = ["Kod", "Organisation", "Organisationsnummer", "Län", "Befolkning", "Belopp (kr)"]
    sheet.append(header)
    header_row = sheet.max_row
    for column in range(1, len(header) + 1):
        sheet.cell(row=header_row, column=column).font = bold
    first_data_row = header_row + 1
    for allocation in key_rows(key):
        organisation = allocation.organisation
        sheet.append(
            [
                allocation.code,
                organisation.name,
                organisation.formatted_organisation_number,
                organisation.county_name,
                allocation.population,
                allocation.amount_sek,
            ]
        )
    last_data_row = sheet.max_row
    sheet.append(["", "Summa", "", "", key.total_population, key.amount_sek])
    for column in (1, 2, 5, 6):
        sheet.cell(row=sheet.max_row, column=column).font = bold
    for row in sheet.iter_rows(min_row=first_data_row, max_row=sheet.max_row, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=first_data_row, column=1)
    for column, width in zip("ABCDEF", (8, 34, 20, 24, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.auto_filter.ref = f"A{header_row}:F{last_data_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
