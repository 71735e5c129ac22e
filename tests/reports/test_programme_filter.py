"""The handläggare's report queue per programme (issue 17 §8): the programme
filter works with the year, pool, status, overdue and unused filters, on the
page and in the CSV and XLSX files, which name each report's programme."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fordela.reports import services
from fordela.reports.models import Report
from tests.factories import PoolFactory, ProgrammeFactory

from .conftest import client_for


@pytest.fixture
def two_programmes(paid_round):
    """Ale's report on the round's programme, Bjurholm's moved to a pool of
    another programme (the same year)."""
    services.open_report_period(2021)
    ale, bjurholm = (Report.objects.get(organisation=o) for o in paid_round.organisations[:2])
    other = PoolFactory(
        programme_year__programme=ProgrammeFactory(reference_number="S2021/00042"),
        programme_year__year=2021,
        name="Idéburna organisationer",
        slug="ideburna",
    )
    Report.objects.filter(pk=bjurholm.pk).update(pool=other)
    return paid_round, ale, bjurholm, other.programme_year.programme


def listed(client, **filters) -> str:
    return client.get(
        reverse("reports:staff_list"), filters, HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()


def test_the_programme_filter_alone_and_with_the_others(two_programmes, clock_at):
    paid_round, ale, bjurholm, other = two_programmes
    own = paid_round.pool.programme_year.programme
    client = client_for(paid_round.users["handlaggare"])
    html = listed(client)
    assert "Statsbidrag" in html  # the filter's label
    assert f'<option value="{other.pk}">' in html and f'<option value="{own.pk}">' in html
    assert "S2021/00042" in html  # each row names its programme

    html = listed(client, programme=other.pk)
    assert "1 återrapport" in html
    assert bjurholm.case_number in html and ale.case_number not in html
    html = listed(client, programme=own.pk)
    assert ale.case_number in html and bjurholm.case_number not in html

    # With the other filters: each narrows what the programme chose.
    assert bjurholm.case_number in listed(client, programme=other.pk, year=2021)
    html = listed(client, programme=other.pk, pool=paid_round.pool.pk)
    assert "0 återrapporter" in html
    assert "0 återrapporter" in listed(client, programme=other.pk, status="approved")
    assert bjurholm.case_number in listed(client, programme=other.pk, status="open")
    clock_at("2022-04-01T09:00")  # after 31 March both are overdue
    html = listed(client, programme=other.pk, overdue="on")
    assert bjurholm.case_number in html and ale.case_number not in html
    assert 'id="overdue-count">1<' in html  # the counts follow the filter


def test_the_exports_follow_the_programme_filter(two_programmes):
    paid_round, _ale, bjurholm, other = two_programmes
    client = client_for(paid_round.users["handlaggare"])
    body = client.get(reverse("reports:staff_csv"), {"programme": other.pk}).content
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Diarienummer;Organisation;Organisationsnummer;Program;Bidragsår")
    assert len(lines) == 2
    assert bjurholm.case_number in lines[1] and ";S2021/00042;" in lines[1]

    response = client.get(reverse("reports:staff_xlsx"), {"programme": other.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    # The heading names the filter; one report follows the column headings.
    assert any(row[:1] == ["Program"] and "S2021/00042" in str(row) for row in cells)
    header = next(i for i, row in enumerate(cells) if row and row[0] == "Diarienummer")
    rows = [row for row in cells[header + 1 :] if row]
    assert [row[0] for row in rows] == [bjurholm.case_number]
    assert rows[0][3] == "S2021/00042"


def test_an_unknown_programme_is_a_problem_beside_the_filter(two_programmes):
    paid_round, ale, bjurholm, _other = two_programmes
    client = client_for(paid_round.users["handlaggare"])
    response = client.get(
        reverse("reports:staff_list"), {"programme": "999999"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-message" in html
    # Nothing is filtered by a value that names no programme.
    assert ale.case_number in html and bjurholm.case_number in html
    response = client.get(reverse("reports:staff_csv"), {"programme": "x" * 10_000})
    assert response.status_code == 200
