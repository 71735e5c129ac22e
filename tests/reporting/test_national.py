"""The national report (issue 19 §2): the page's figures from stored data,
the 2020 economic table that sums to the decision's 127 500 000 kr with
nothing left over, an empty year that says so, the XLSX file whose totals
equal the page's, the regions' sub-grants in the XLSX and the PDF as on the
page without changing a total, and a query count that does not grow with
the reports."""

import io
import os
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fordela.access.models import StaffRole
from fordela.programmes.models import Programme
from fordela.reporting.national import year_report
from fordela.reports import services
from fordela.reports.models import Report
from tests.access.conftest import make_user  # noqa: F401 - fixture
from tests.applications.html import table_rows
from tests.query_budget import query_budget
from tests.regional.test_rollup import region, subgrants  # noqa: F401 - fixtures
from tests.reports.conftest import client_for, paid_round, report_form  # noqa: F401 - fixtures
from tests.reports.test_form import ANSWERS
from tests.requisitions.conftest import clock_at, round_, staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def digits(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text))


def page_total(html: str, name: str, year: int) -> int:
    """The figure of the page's cell ``data-total=name`` in ``year``'s section."""
    section = html.split(f'id="year-{year}"', 1)[1].split("</section>", 1)[0]
    match = re.search(rf'data-total="{name}">([^<]*)<', section)
    assert match, f"no total {name} for {year}"
    return digits(match.group(1))


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[title].iter_rows(values_only=True))


def total_row(rows: list[tuple]) -> tuple:
    return next(row for row in rows if row[0] == "Summa")


def year_rows(rows: list[tuple], year: int) -> list[tuple]:
    """The data rows of ``year`` (the meta lines, heading and total left out)."""
    return [row for row in rows if row[0] == year]


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_the_2020_economic_table_sums_to_the_decision_with_nothing_left(programme):
    report = year_report(programme, 2020)
    assert report.totals["budget_sek"] == 127_500_000
    assert report.total_sek == 127_500_000
    assert report.remainder_sek == 0
    lines = {str(row.line): row.budget_sek for row in report.lines if row.line}
    assert lines == {"UO 9 4:7 ap.8": 84_000_000, "UO 13 3:1 ap.8": 43_500_000}
    # Nothing is paid yet: each line's remainder is its whole amount.
    assert [row.remainder_sek for row in report.lines if row.line] == [84_000_000, 43_500_000]

    client = client_for(staff(StaffRole.EKONOMI, "ekonomi"))
    response = client.get(reverse("reporting:national", args=[programme.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert page_total(html, "budget", 2020) == 127_500_000
    assert page_total(html, "decision", 2020) == 127_500_000
    assert page_total(html, "remainder", 2020) == 0
    assert page_total(html, "line-budget", 2020) == 127_500_000

    xlsx = client.get(reverse("reporting:national_xlsx", args=[programme.slug]) + "?ar=2020")
    assert xlsx.status_code == 200
    rows = sheet_rows(xlsx.content, "Ekonomisk redovisning")
    assert total_row(rows)[2] == 127_500_000
    assert len([row for row in rows if row[0] == 2020]) == len(report.pools)
    line_rows = sheet_rows(xlsx.content, "Anslagsposter")
    assert total_row(line_rows)[2] == 127_500_000
    assert total_row(line_rows)[7] == 127_500_000  # nothing paid yet
    costs = total_row(sheet_rows(xlsx.content, "Administrativa kostnader"))
    assert costs[3] == report.cost_totals["amount_sek"] == 6_000_000
    assert costs[4] == page_total(html, "costs-booked", 2020) == 0
    # No region ran a round of its own: the page has no such table, the sheet no rows.
    assert 'id="regional-table-2020"' not in html
    regional = sheet_rows(xlsx.content, "Regionala bidrag")
    assert year_rows(regional, 2020) == []
    assert "Summa" not in [row[0] for row in regional]


def test_a_year_without_data_shows_an_empty_table_that_says_so(programme):
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    response = client.get(reverse("reporting:national", args=[programme.slug]) + "?ar=2031")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="economy-table-2031"' in html
    assert "Det finns inga uppgifter för 2031" in html
    assert 'id="year-2020"' not in html
    xlsx = client.get(reverse("reporting:national_xlsx", args=[programme.slug]) + "?ar=2031")
    assert xlsx.status_code == 200
    assert total_row(sheet_rows(xlsx.content, "Ekonomisk redovisning"))[0] == "Summa"
    # Nonsense in the year: all years, no error.
    response = client.get(reverse("reporting:national", args=[programme.slug]) + "?ar=x' OR 1")
    assert response.status_code == 200
    assert 'id="year-2022"' in response.content.decode()


def test_an_unknown_programme_is_404():
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    assert client.get(reverse("reporting:national", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("reporting:national_xlsx", args=["finns-inte"])).status_code == 404


def test_the_figures_follow_the_ledger_and_the_reports(paid_round):  # noqa: F811
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    services.save_draft(paid_round.users["ombud"], report, {**ANSWERS, "used_sek": 1000})
    services.submit_report(paid_round.users["ombud"], report)
    report.refresh_from_db()
    pool = paid_round.pool
    programme = Programme.objects.get(years__pools=pool)
    figures = year_report(programme, pool.programme_year.year)
    (row,) = figures.pools
    from fordela.requisitions.ledger import pool_ledger

    ledger = pool_ledger(pool)
    assert row.paid_sek == ledger.paid_sek > 0
    assert row.requisitioned_sek == ledger.requisitioned_sek
    assert row.redistributed_sek == ledger.redistributed_sek
    assert (row.requisitioned_count, row.organisation_count) == (2, 4)
    assert row.reported_used_sek == report.used_sek == 1000
    assert row.unused_sek == report.unused_sek
    assert row.net_used_sek == ledger.net_used_sek
    assert figures.reports.total == Report.objects.count()
    assert figures.reports.on_time == 1

    client = client_for(paid_round.users["handlaggare"])
    html = client.get(reverse("reporting:national", args=[programme.slug])).content.decode()
    year = pool.programme_year.year
    assert page_total(html, "paid", year) == ledger.paid_sek
    # Each figure links to the list behind it.
    assert reverse("requisitions:ledger", args=[pool.pk]) in html
    assert reverse("requisitions:pool", args=[pool.pk]) in html
    assert f"{reverse('reports:staff_list')}?pool={pool.pk}" in html

    xlsx = client.get(reverse("reporting:national_xlsx", args=[programme.slug])).content
    totals = total_row(sheet_rows(xlsx, "Ekonomisk redovisning"))
    assert totals[2] == page_total(html, "budget", year)
    assert totals[9] == page_total(html, "paid", year)
    assert totals[15] == page_total(html, "net", year)
    lines = total_row(sheet_rows(xlsx, "Anslagsposter"))
    assert lines[6] == page_total(html, "outcome", year)
    reports = total_row(sheet_rows(xlsx, "Återrapporter"))
    assert reports[1:] == (
        figures.reports.total,
        figures.reports.on_time,
        figures.reports.overdue,
        figures.reports.approved,
    )


def test_the_page_does_not_grow_with_reports(paid_round):  # noqa: F811
    services.open_report_period(2021)
    bjurholm = paid_round.organisations[1]
    Report.objects.filter(organisation=bjurholm).delete()
    programme = Programme.objects.get(years__pools=paid_round.pool)
    client = client_for(paid_round.users["handlaggare"])
    urls = [
        reverse("reporting:national", args=[programme.slug]),
        reverse("reporting:national_xlsx", args=[programme.slug]),
    ]
    with query_budget(client, *urls):
        assert services.open_report_period(2021).created == 1
    assert Report.objects.count() == 2


def test_costs_booked_count_in_the_pool_and_the_lines_outcome(programme):
    import datetime

    from fordela.reporting.costs import record_cost

    ekonomi = staff(StaffRole.EKONOMI, "ekonomi")
    pool = programme.years.get(year=2020).pools.get(kind="agency_cost")
    record_cost(
        ekonomi, pool, booked_on=datetime.date(2020, 6, 1), amount_sek=120_000, description="Lön"
    )
    report = year_report(programme, 2020)
    (row,) = [row for row in report.pools if row.pool == pool]
    assert (row.costs_sek, row.net_used_sek) == (120_000, 120_000)
    (line,) = [line for line in report.lines if line.line == pool.appropriation_line]
    assert line.outcome_sek == 120_000
    assert line.remainder_sek == 84_000_000 - 120_000
    assert report.cost_totals["booked_sek"] == 120_000
    html = (
        client_for(ekonomi)
        .get(reverse("reporting:national", args=[programme.slug]) + "?ar=2020")
        .content.decode()
    )
    assert page_total(html, "costs-booked", 2020) == 120_000
    assert page_total(html, "outcome", 2020) == 120_000
    assert page_total(html, "net", 2020) == 120_000
    assert page_total(html, "remainder", 2020) == 0


def test_the_costs_index_links_to_the_report(programme):
    client = client_for(staff(StaffRole.BESLUTSFATTARE, "beslutsfattare"))
    html = client.get(reverse("reporting:costs_index")).content.decode()
    assert reverse("reporting:national", args=[programme.slug]) in html


def test_the_pdf_cites_the_diarienummer_and_the_date(programme, clock_at):  # noqa: F811
    from pypdf import PdfReader

    clock_at("2021-10-20T10:00")
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    html = client.get(reverse("reporting:national", args=[programme.slug])).content.decode()
    url = reverse("reporting:national_pdf", args=[programme.slug])
    assert url in html
    response = client.get(url + "?ar=2020")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    if shots := os.environ.get("FORDELA_SCREENSHOTS"):
        with open(f"{shots}/national-2020.pdf", "wb") as pdf:
            pdf.write(response.content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Diarienummer S2020/01591" in text
    assert "2021-10-20" in text
    assert "127 500 000" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Inte i någon pott 0" in text


def test_the_regions_sub_grants_are_in_the_files_as_on_the_page_and_in_no_total(
    paid_round,  # noqa: F811
    region,  # noqa: F811
    request,
):
    """Ale as a region passes 160 000 kr of its 2021 grant on (80 000 kr
    invoiced and paid): the XLSX sheet and the PDF section show the page's
    per-region table, and every total of the page and the files is what it
    was before the round."""
    programme = Programme.objects.get(years__pools=paid_round.pool)
    year = paid_round.pool.programme_year.year
    client = client_for(paid_round.users["handlaggare"])
    page_url = reverse("reporting:national", args=[programme.slug]) + f"?ar={year}"
    xlsx_url = reverse("reporting:national_xlsx", args=[programme.slug]) + f"?ar={year}"
    pdf_url = reverse("reporting:national_pdf", args=[programme.slug]) + f"?ar={year}"

    def files() -> tuple[str, bytes, bytes]:
        html = client.get(page_url).content.decode()
        return html, client.get(xlsx_url).content, client.get(pdf_url).content

    html_before, xlsx_before, pdf_before = files()
    assert f'id="regional-table-{year}"' not in html_before
    request.getfixturevalue("subgrants")
    html, xlsx, pdf_file = files()
    if shots := os.environ.get("FORDELA_SCREENSHOTS"):
        with open(f"{shots}/national-{year}-regional.pdf", "wb") as pdf:
            pdf.write(pdf_file)
    pdf, pdf_before = pdf_text(pdf_file), pdf_text(pdf_before)

    # The sheet's rows are the page's table, figure for figure.
    page_rows = table_rows(html, f"regional-table-{year}")
    assert page_rows == [[region.name, "1", "2", "160 000", "80 000", "80 000"]]
    regional = sheet_rows(xlsx, "Regionala bidrag")
    sheet = year_rows(regional, year)
    assert [[row[1], *[digits(str(value)) for value in row[2:]]] for row in sheet] == [
        [name, *[digits(cell) for cell in cells]] for name, *cells in page_rows
    ]
    assert sheet == [(year, region.name, 1, 2, 160_000, 80_000, 80_000)]
    assert "Summa" not in [row[0] for row in regional]  # a breakdown adds to no total

    # Counted once: every total of the page and the XLSX is unchanged.
    for name in ("budget", "paid", "net", "line-budget", "outcome"):
        assert page_total(html, name, year) == page_total(html_before, name, year)
    for title in ("Ekonomisk redovisning", "Anslagsposter", "Ansökningar", "Återrapporter"):
        assert total_row(sheet_rows(xlsx, title)) == total_row(sheet_rows(xlsx_before, title))
        assert year_rows(sheet_rows(xlsx, title), year) == year_rows(
            sheet_rows(xlsx_before, title), year
        )
    totals = total_row(sheet_rows(xlsx, "Ekonomisk redovisning"))
    assert totals[9] == page_total(html, "paid", year) > 0

    # The PDF has the section with the same figures, and the same totals as before.
    heading = f"Vidareförmedlat i regionernas egna utlysningar {year}"
    assert heading not in pdf_before
    assert heading in pdf
    assert f"{region.name} 1 2 160 000 80 000 80 000" in pdf
    section = heading + pdf.split(heading, 1)[1].split("Återrapporter:", 1)[0]
    assert pdf.replace(section, "") == pdf_before  # nothing else in the PDF changed
