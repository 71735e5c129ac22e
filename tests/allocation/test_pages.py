"""The public allocation key page and its CSV/XLSX downloads."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fordela.allocation.services import compute_key, freeze_key
from fordela.organisations.models import Organisation
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory
from tests.spreadsheets import HOSTILE_NAMES, cells_with, csv_records, csv_table, xlsx_sheet

pytestmark = pytest.mark.django_db

URL = "/program/{slug}/2021/kommuner/fordelningsnyckel"


@pytest.fixture
def key():
    rows = [
        ("0114", "Upplands Väsby", "01", "Stockholms län", 47_184),
        ("0180", "Stockholm", "01", "Stockholms län", 975_551),
        ("1440", "Ale", "14", "Västra Götalands län", 31_868),
        ("2580", "Luleå", "25", "Norrbottens län", 78_549),
    ]
    for code, name, county, county_name, population in rows:
        organisation = OrganisationFactory(
            municipality_code=code, name=name, county_code=county, county_name=county_name
        )
        PopulationFactory(organisation=organisation, population=population)
    pool = PoolFactory(
        amount_sek=1_000_000, programme_year__programme__reference_number="S2020/01591"
    )
    return freeze_key(compute_key(pool))


def url(key, suffix="/"):
    return URL.format(slug=key.pool.programme_year.programme.slug) + suffix


def amounts(key):
    return dict(key.allocations.values_list("code", "amount_sek"))


def test_key_page_lists_every_organisation_with_the_sum_and_population_date(client, key):
    html = client.get(url(key)).content.decode()
    for name in ("Upplands Väsby", "Stockholm", "Ale", "Luleå"):
        assert name in html
    assert "1\u202f000\u202f000\u00a0kr" in html
    assert "2020-12-31" in html
    assert "Preliminär" not in html and "Preliminary" not in html


def test_key_page_filters_by_county_and_searches_by_name(client, key):
    html = client.get(url(key), {"lan": "01"}).content.decode()
    assert "Upplands Väsby" in html and "Stockholm<" in html
    assert "Luleå" not in html and ">Ale<" not in html
    html = client.get(url(key), {"q": "ule"}).content.decode()
    assert "Luleå" in html and "Upplands Väsby" not in html
    shown = amounts(key)["2580"]
    assert f"{shown:,}".replace(",", "\u202f") in html


def test_key_page_sorts_by_amount(client, key):
    html = client.get(url(key), {"sort": "-amount"}).content.decode()
    order = [html.index(name) for name in ("Stockholm<", "Luleå", "Upplands Väsby", ">Ale<")]
    assert order == sorted(order)
    assert 'aria-sort="descending"' in html


def test_an_unknown_sort_falls_back_to_name(client, key):
    assert client.get(url(key), {"sort": "'; drop table"}).status_code == 200


def test_csv_download_has_the_same_numbers_as_the_key(client, key):
    response = client.get(url(key, ".csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "befolkning-2020-12-31" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_records(response.content)
    assert [r["Kod"] for r in rows] == ["0114", "0180", "1440", "2580"]
    assert {r["Kod"]: int(r["Belopp (kr)"]) for r in rows} == amounts(key)
    assert sum(int(r["Belopp (kr)"]) for r in rows) == 1_000_000


def test_csv_download_has_swedish_headings_organisation_number_and_county(client, key):
    header, *rows = csv_table(client.get(url(key, ".csv")).content)
    assert header == [
        "Kod",
        "Organisation",
        "Organisationsnummer",
        "Län",
        "Befolkning",
        "Belopp (kr)",
    ]
    ale = next(row for row in rows if row[0] == "1440")
    organisation = key.allocations.get(code="1440").organisation
    assert ale[1:5] == [
        "Ale",
        organisation.formatted_organisation_number,
        "Västra Götalands län",
        "31868",
    ]


def test_xlsx_download_has_the_same_numbers_as_the_key(client, key):
    response = client.get(url(key, ".xlsx"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('befolkning-2020-12-31.xlsx"')
    sheet = xlsx_sheet(response.content)
    values = list(sheet.iter_rows(values_only=True))
    header = values.index(
        ("Kod", "Organisation", "Organisationsnummer", "Län", "Befolkning", "Belopp (kr)")
    )
    data = values[header + 1 : header + 5]
    assert {row[0]: row[5] for row in data} == amounts(key)
    assert values[header + 5][5] == 1_000_000
    assert values[header + 5][1] == "Summa"
    assert values[4][:1] == ("Befolkning per",)


def test_export_command_prints_the_same_csv_as_the_download(client, key):
    out = io.StringIO()
    call_command("export_allocation", "S2020/01591", "2021", "kommuner", stdout=out)
    assert out.getvalue() == client.get(url(key, ".csv")).content.decode()


def test_preliminary_key_is_marked_as_such(client):
    organisation = OrganisationFactory(municipality_code="0001")
    PopulationFactory(organisation=organisation)
    key = compute_key(PoolFactory(programme_year__programme__reference_number="S2020/01591"))
    html = client.get(url(key)).content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Preliminär</strong>' in html
    assert "Nyckeln är preliminär och kan ändras innan den fastställs." in html
    assert "En fastställd nyckel ändras aldrig." not in html


def test_published_key_says_when_without_repeating_the_word(client, key):
    html = " ".join(client.get(url(key)).content.decode().split())
    date = str(timezone.localtime(key.frozen_at).day)
    assert '<strong class="govuk-tag govuk-tag--green">Fastställd</strong> den ' + date in html
    assert "Fastställd Fastställd" not in html
    assert "En fastställd nyckel ändras aldrig." in html


def test_key_page_sorts_from_the_filter_form_too(client, key):
    html = client.get(url(key), {"sort": "-amount"}).content.decode()
    assert '<option value="-amount" selected>Belopp, störst först</option>' in html
    # The form carries the sort, so a filter keeps it.
    assert 'name="sort"' in html.split('role="search"')[1].split("</form>")[0]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_csv_download_shows_a_formula_like_name_as_text(client, key, name):
    Organisation.objects.filter(municipality_code="1440").update(name=name)
    rows = csv_table(client.get(url(key, ".csv")).content)
    assert [row[1] for row in rows if row[0] == "1440"] == ["'" + name]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_xlsx_download_shows_a_formula_like_name_as_text(client, key, name):
    Organisation.objects.filter(municipality_code="1440").update(name=name)
    sheet = xlsx_sheet(client.get(url(key, ".xlsx")).content)
    (cell,) = cells_with(sheet, name)
    assert cell.data_type == "s"


@pytest.mark.parametrize("suffix", ["/", ".csv", ".xlsx"])
def test_unknown_pool_is_404(client, key, suffix):
    bad = url(key, suffix).replace("kommuner", "finns-inte")
    assert client.get(bad).status_code == 404


def test_key_table_scrolls_in_its_own_region_and_reflows_on_a_phone(client, key):
    html = client.get(url(key)).content.decode()
    assert '<div class="table-wrap" role="region" aria-labelledby="key-rows-caption"' in html
    assert 'class="govuk-table table-reflow key-table"' in html
    # Each cell names its column, so a row read as a card on a phone says what each number is.
    ale = html.split(">Ale</th>")[1].split("</tr>")[0]
    assert 'data-label="Kod">1440<' in ale
    assert 'data-label="Belopp">' in ale and "govuk-table__cell--numeric" in ale
