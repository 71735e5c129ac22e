"""Reading the product's exports back in tests: CSV in the one dialect
(``fordela.core.exports``) and XLSX sheets."""

import csv
import io

from openpyxl import load_workbook

# Organisation names a spreadsheet would take for formulas (OWASP, "CSV
# injection"); every export must show them as text.
HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1:A2)"]


def csv_table(content: bytes | str) -> list[list[str]]:
    """The rows of a CSV export, after checking its dialect: UTF-8 with a
    byte-order mark, ``;`` between fields, CRLF line ends."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    assert text.startswith("\ufeff"), "no byte-order mark"
    body = text.removeprefix("\ufeff")
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", ""), "not CRLF"
    return list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))


def csv_records(content: bytes | str) -> list[dict[str, str]]:
    """The rows of a CSV export as dicts by column heading."""
    header, *rows = csv_table(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_sheet(content: bytes):
    """The active sheet of an XLSX export."""
    return load_workbook(io.BytesIO(content)).active


def cells_with(sheet, value: str) -> list:
    """Every cell of ``sheet`` whose value is ``value``."""
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == value]
