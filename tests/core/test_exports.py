"""The product's one CSV dialect and XLSX writer, and their formula guard."""

import io

from openpyxl import load_workbook

from fordela.core.exports import csv_response, safe_text, write_csv, xlsx_bytes, xlsx_response

HOSTILE = ['=HYPERLINK("http://evil.example")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_csv_is_utf8_with_bom_semicolons_and_crlf():
    buffer = io.StringIO()
    write_csv(buffer, ["Kod", "Namn"], [["1440", "Ale kommun"], ["0180", "Stockholm; Solna"]])
    assert buffer.getvalue() == '\ufeffKod;Namn\r\n1440;Ale kommun\r\n0180;"Stockholm; Solna"\r\n'


def test_csv_neutralises_every_formula_start_but_not_numbers():
    buffer = io.StringIO()
    write_csv(buffer, ["Namn", "Belopp"], [[name, -5] for name in HOSTILE])
    lines = buffer.getvalue().removeprefix("\ufeff").split("\r\n")[1:-1]
    assert [line.split(";")[0].strip('"') for line in lines] == [
        "'" + n.replace('"', '""') for n in HOSTILE
    ]
    assert all(line.endswith(";-5") for line in lines)
    assert safe_text("Ale") == "Ale" and safe_text(12) == 12


def test_csv_response_is_a_download():
    response = csv_response("x.csv", ["A"], [["b"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.startswith("\ufeff".encode())


def test_xlsx_text_cells_are_never_formulas():
    content = xlsx_bytes(
        "Blad", ["Namn", "Belopp"], [[name, 1] for name in HOSTILE], money_columns=[1]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [sheet.cell(row=row, column=1) for row in range(2, 2 + len(HOSTILE))]
    # (XML keeps no carriage return: the last reads back as a line feed.)
    assert [cell.value for cell in cells][:-1] == HOSTILE[:-1]
    assert {cell.data_type for cell in cells} == {"s"}
    assert sheet.cell(row=2, column=2).value == 1


def test_xlsx_response_is_a_download():
    response = xlsx_response("x.xlsx", xlsx_bytes("Blad", ["A"], [["b"]]))
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response.content[:2] == b"PK"
