"""The one CSV dialect and the one XLSX writer of the product.

CSV: UTF-8 with a byte-order mark, ``;`` between fields and CRLF line ends,
which Swedish Excel opens as it is (a comma is the decimal sign there), with
Swedish column headings. Every export of the product writes through
``write_csv`` or ``xlsx_bytes``; each app's ``exports.py`` says which columns.

Both neutralise spreadsheet formulas (OWASP, "CSV injection"): in CSV a text
field beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading ``'``; in XLSX every text cell is stored as a string cell, so
an organisation named ``=HYPERLINK(…)`` shows as that text and never runs.
Numbers and dates are written as they are.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExcelSwedish(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


def safe_text(value: Any) -> Any:
    """``value`` as a spreadsheet should show it: text that a spreadsheet
    would take for a formula gets a leading ``'``; other values are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``header`` and ``rows`` in the product's CSV dialect (the BOM
    first). ``None`` is written as an empty field."""
    stream.write(BOM)
    writer = csv.writer(stream, dialect=ExcelSwedish)
    writer.writerow([safe_text(name) for name in header])
    for row in rows:
        writer.writerow(["" if value is None else safe_text(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of ``rows`` as CSV."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    meta: Sequence[tuple[str, Any]] = (),
    money_columns: Sequence[int] = (),
    widths: Sequence[int] = (),
    total: Sequence[Any] | None = None,
) -> bytes:
    """A workbook of one sheet: optional ``meta`` lines (label, value) above a
    bold ``header``, the ``rows`` with a filter and frozen heading, and an
    optional bold ``total`` row. Columns in ``money_columns`` (0-based) get a
    thousands separator. Text cells are always text, never formulas."""
    return xlsx_book(
        [
            Sheet(
                title,
                header,
                rows,
                meta=meta,
                money_columns=money_columns,
                widths=widths,
                total=total,
            )
        ]
    )


@dataclass
class Sheet:
    """One sheet of ``xlsx_book``, with the arguments of ``xlsx_bytes``."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    meta: Sequence[tuple[str, Any]] = ()
    money_columns: Sequence[int] = ()
    widths: Sequence[int] = ()
    total: Sequence[Any] | None = None


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of one or more sheets, each written as ``xlsx_bytes``
    writes its one sheet."""
    workbook = Workbook()
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        _fill(sheet, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, spec: Sheet) -> None:
    header = spec.header
    sheet.title = spec.title[:31]
    bold = Font(bold=True)
    for label, value in spec.meta:
        _append(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    if spec.meta:
        sheet.append([])
    _append(sheet, header)
    header_row = sheet.max_row
    for column in range(1, len(header) + 1):
        sheet.cell(row=header_row, column=column).font = bold
    for row in spec.rows:
        _append(sheet, row)
    last_data_row = sheet.max_row
    if spec.total is not None:
        _append(sheet, spec.total)
        for column in range(1, len(spec.total) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = bold
    for column in spec.money_columns:
        for (cell,) in sheet.iter_rows(
            min_row=header_row + 1, max_row=sheet.max_row, min_col=column + 1, max_col=column + 1
        ):
            cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last_column = sheet.cell(row=header_row, column=len(header)).column_letter
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(last_data_row, header_row)}"
    for index, width in enumerate(spec.widths, 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _append(sheet, values: Sequence[Any]) -> None:
    """Append a row; text goes in as a string cell, so openpyxl never stores
    it as a formula (it would for text beginning with ``=``)."""
    sheet.append([None] * len(values))
    row = sheet.max_row
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = TYPE_STRING
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.value = value
