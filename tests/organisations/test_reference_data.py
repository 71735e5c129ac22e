"""Loading the reference data (kommuner, regioner, other actors) and its validation."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from fordela.audit.models import AuditEvent
from fordela.organisations.models import Organisation, Population
from fordela.organisations.reference_data import (
    DataError,
    ReferenceDataError,
    load_reference_data,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REAL_DATA = Path(settings.BASE_DIR) / "data" / "reference"
DATES = [datetime.date(year, 12, 31) for year in (2018, 2019, 2020, 2021)]
# SCB's published national totals (data/reference/README.md, check 2).
NATIONAL_TOTALS = {
    datetime.date(2018, 12, 31): 10_230_185,
    datetime.date(2019, 12, 31): 10_327_589,
    datetime.date(2020, 12, 31): 10_379_295,
    datetime.date(2021, 12, 31): 10_452_326,
}


# --- The real, vendored data -------------------------------------------------


@pytest.fixture
def real_load():
    return load_reference_data(REAL_DATA, actor="test")


def test_real_data_has_every_kommun_region_and_actor(real_load):
    assert Organisation.objects.filter(kind="kommun").count() == 290
    assert Organisation.objects.filter(municipality_code__isnull=False).count() == 290
    assert Organisation.objects.filter(kind="region").count() == 20
    assert Organisation.objects.filter(region_county_code__isnull=False).count() == 21
    assert Organisation.objects.filter(kind="lansstyrelse").count() == 21
    others = Organisation.objects.filter(kind__in=["university", "agency"])
    assert set(others.values_list("reference_key", flat=True)) == {
        "uu-nck",
        "liu-barnafrid",
        "jamy",
        "socialstyrelsen",
    }
    assert real_load.organisations_created == 290 + 20 + 21 + 4
    assert real_load.populations_created == (290 + 20) * 4


def test_gotland_is_one_organisation_with_both_codes(real_load):
    gotland = Organisation.objects.get(organisation_number="2120000803")
    assert gotland.name == "Region Gotland"
    assert gotland.kind == "kommun"
    assert (gotland.municipality_code, gotland.region_county_code) == ("0980", "09")
    assert Organisation.objects.filter(county_code="09", kind__in=["kommun", "region"]).count() == 1
    assert gotland.populations.get(reference_date=datetime.date(2021, 12, 31)).population == 61_001


@pytest.mark.parametrize("reference_date", DATES)
def test_population_totals_equal_scb_national_totals(real_load, reference_date):
    on_date = Population.objects.filter(reference_date=reference_date)
    kommuner = on_date.filter(organisation__municipality_code__isnull=False)
    regioner = on_date.filter(organisation__region_county_code__isnull=False)
    assert kommuner.count() == 290
    assert regioner.count() == 21
    assert kommuner.aggregate(total=Sum("population"))["total"] == NATIONAL_TOTALS[reference_date]
    assert regioner.aggregate(total=Sum("population"))["total"] == NATIONAL_TOTALS[reference_date]


def test_population_rows_name_their_source(real_load):
    stockholm = Organisation.objects.get(municipality_code="0180")
    row = stockholm.populations.get(reference_date=datetime.date(2020, 12, 31))
    assert (row.population, row.source) == (975_551, "SCB, folkmängd 31 december 2020")


def test_other_actors_without_a_verified_number_have_none(real_load):
    assert Organisation.objects.get(reference_key="socialstyrelsen").organisation_number == (
        "2021000555"
    )
    assert set(
        Organisation.objects.filter(kind__in=["lansstyrelse", "region"]).values_list(
            "organisation_number", flat=True
        )
    ) == {""}


def test_the_load_is_audited(real_load):
    event = AuditEvent.objects.get(action="reference_data.loaded")
    assert event.actor_label == "test"
    assert event.object_label == "Socialstyrelsen"
    assert event.after == real_load.as_dict()


def test_loading_twice_changes_nothing(real_load):
    before = _snapshot()
    second = load_reference_data(REAL_DATA)
    assert second.organisations_created == second.organisations_updated == 0
    assert second.populations_created == second.populations_updated == 0
    assert second.organisations_unchanged == real_load.organisations_created
    assert second.populations_unchanged == real_load.populations_created
    assert _snapshot() == before


def test_a_changed_value_is_put_back(real_load):
    Population.objects.filter(
        organisation__municipality_code="0180", reference_date=datetime.date(2019, 12, 31)
    ).update(population=1)
    Organisation.objects.filter(municipality_code="0114").update(name="Fel namn")
    result = load_reference_data(REAL_DATA)
    assert (result.organisations_updated, result.populations_updated) == (1, 1)
    assert Organisation.objects.get(municipality_code="0114").name == "Upplands Väsby"
    assert (
        Population.objects.get(
            organisation__municipality_code="0180", reference_date=datetime.date(2019, 12, 31)
        ).population
        == 974_073
    )


# --- Small files written per test ----------------------------------------------

POPULATION_HEADER = [f"folkmangd_{year}_12_31" for year in (2018, 2019, 2020, 2021)]
KOMMUNER_HEADER = [
    "kommunkod",
    "kommun",
    "lanskod",
    "lan",
    "organisationsnummer",
    *POPULATION_HEADER,
]
REGIONER_HEADER = ["lanskod", "lan", "region", "organisationsnummer", "antal_kommuner"]
REGIONER_HEADER += [*POPULATION_HEADER, "anm"]
ACTORS_HEADER = ["reference_key", "name", "kind", "organisation_number", "county_code"]
ACTORS_HEADER += ["county_name", "note"]


def kommuner_rows():
    return [
        KOMMUNER_HEADER,
        [
            "0114",
            "Upplands Väsby",
            "01",
            "Stockholms län",
            "212000-0019",
            "100",
            "110",
            "120",
            "130",
        ],
        ["0115", "Vallentuna", "01", "Stockholms län", "212000-0027", "200", "210", "220", "230"],
        ["0980", "Gotland", "09", "Gotlands län", "212000-0803", "50", "51", "52", "53"],
    ]


def regioner_rows():
    return [
        REGIONER_HEADER,
        ["01", "Stockholms län", "Region Stockholm", "", "2", "300", "320", "340", "360", ""],
        ["09", "Gotlands län", "Region Gotland", "212000-0803", "1", "50", "51", "52", "53", ""],
    ]


def actors_rows():
    return [
        ACTORS_HEADER,
        ["lansstyrelse-01", "Länsstyrelsen i Stockholms län", "lansstyrelse", "", "01", "", ""],
        ["socialstyrelsen", "Socialstyrelsen", "agency", "202100-0555", "", "", ""],
    ]


def write(directory: Path, kommuner=None, regioner=None, actors=None) -> Path:
    directory.mkdir(exist_ok=True)
    files = {
        "kommuner.csv": kommuner or kommuner_rows(),
        "regioner.csv": regioner or regioner_rows(),
        "other_actors.csv": actors or actors_rows(),
    }
    for name, rows in files.items():
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return directory


def _snapshot():
    return (
        sorted(
            Organisation.objects.values_list(
                "reference_key",
                "name",
                "organisation_number",
                "municipality_code",
                "region_county_code",
                "updated_at",
            )
        ),
        sorted(
            Population.objects.values_list(
                "organisation__reference_key", "reference_date", "population", "source"
            )
        ),
    )


def test_small_files_load(tmp_path):
    result = load_reference_data(write(tmp_path / "ok"))
    assert (
        result.organisations_created == 6
    )  # 3 kommuner (one is also Gotland's region), region 01, 2 actors
    assert result.populations_created == 4 * 4
    region = Organisation.objects.get(reference_key="region-01")
    assert (region.kind, region.region_county_code, region.organisation_number) == (
        "region",
        "01",
        "",
    )
    assert region.populations.get(reference_date=DATES[0]).population == 300


def _with(rows, line, column, value):
    """``rows`` with one cell changed; ``line`` is the file's line number (header = 1)."""
    rows[line - 1][rows[0].index(column)] = value
    return rows


def _without_column(rows, column):
    index = rows[0].index(column)
    return [row[:index] + row[index + 1 :] for row in rows]


BAD_INPUTS = {
    "bad checksum": (
        {"kommuner": _with(kommuner_rows(), 3, "organisationsnummer", "212000-0028")},
        DataError(
            "kommuner.csv", 3, "ogiltigt organisationsnummer '212000-0028' (fel kontrollsiffra)"
        ),
    ),
    "bad organisation number format": (
        {"actors": _with(actors_rows(), 3, "organisation_number", "20210O-0555")},
        DataError("other_actors.csv", 3, "ogiltigt organisationsnummer '20210O-0555' (fel format)"),
    ),
    "duplicate kommunkod": (
        {"kommuner": _with(kommuner_rows(), 3, "kommunkod", "0114")},
        DataError("kommuner.csv", 3, "kommunkoden '0114' finns redan på rad 2"),
    ),
    # The columns hold longer codes (any register, issue 15); SCB's stay 4 and 2 digits.
    "kommunkod of five digits": (
        {"kommuner": _with(kommuner_rows(), 3, "kommunkod", "01140")},
        DataError("kommuner.csv", 3, "ogiltig kommunkod '01140' (ska vara 4 siffror)"),
    ),
    "länskod of three digits": (
        {"kommuner": _with(kommuner_rows(), 2, "lanskod", "010")},
        DataError("kommuner.csv", 2, "ogiltig länskod '010' (ska vara 2 siffror)"),
    ),
    "negative population": (
        {"kommuner": _with(kommuner_rows(), 2, "folkmangd_2019_12_31", "-110")},
        DataError("kommuner.csv", 2, "folkmangd_2019_12_31: negativ folkmängd '-110'"),
    ),
    "non-numeric population": (
        {"kommuner": _with(kommuner_rows(), 4, "folkmangd_2020_12_31", "5x")},
        DataError("kommuner.csv", 4, "folkmangd_2020_12_31: folkmängden '5x' är inte ett heltal"),
    ),
    "fractional population": (
        {"regioner": _with(regioner_rows(), 2, "folkmangd_2021_12_31", "360.5")},
        DataError(
            "regioner.csv", 2, "folkmangd_2021_12_31: folkmängden '360.5' är inte ett heltal"
        ),
    ),
    "missing column": (
        {"kommuner": _without_column(kommuner_rows(), "organisationsnummer")},
        DataError("kommuner.csv", 1, "kolumnen 'organisationsnummer' saknas"),
    ),
    "kommun in a län without region": (
        {
            "kommuner": [
                *kommuner_rows(),
                ["0380", "Uppsala", "03", "Uppsala län", "212000-3005", "1", "1", "1", "1"],
            ]
        },
        DataError("kommuner.csv", 5, "länskoden '03' saknas i regioner.csv"),
    ),
    "duplicate länskod": (
        {"regioner": [*regioner_rows(), regioner_rows()[1]]},
        DataError("regioner.csv", 4, "länskoden '01' finns redan på rad 2"),
    ),
    "duplicate organisation number across files": (
        {"actors": _with(actors_rows(), 3, "organisation_number", "212000-0019")},
        DataError(
            "other_actors.csv",
            3,
            "organisationsnumret '212000-0019' finns redan i kommuner.csv rad 2",
        ),
    ),
    "duplicate reference key": (
        {"actors": _with(actors_rows(), 3, "reference_key", "lansstyrelse-01")},
        DataError(
            "other_actors.csv",
            3,
            "reference_key 'lansstyrelse-01' finns redan i other_actors.csv rad 2",
        ),
    ),
    "region population is not the sum of its kommuner": (
        {"regioner": _with(regioner_rows(), 2, "folkmangd_2018_12_31", "301")},
        DataError(
            "regioner.csv",
            2,
            "folkmängden 2018-12-31 är 301, men summan för länets kommuner i kommuner.csv är 300",
        ),
    ),
    "gotland's region and kommun populations disagree": (
        {"regioner": _with(regioner_rows(), 3, "folkmangd_2020_12_31", "53")},
        DataError(
            "regioner.csv",
            3,
            "folkmängden 2020-12-31 är 53, men summan för länets kommuner i kommuner.csv är 52",
        ),
    ),
}


@pytest.mark.parametrize(("files", "expected"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_rejected_and_nothing_is_written(tmp_path, files, expected):
    load_reference_data(write(tmp_path / "ok"))
    Population.objects.filter(organisation__municipality_code="0114").update(population=7)
    before = _snapshot()
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(write(tmp_path / "bad", **files))
    # Exactly the one mistake, not repeated as follow-on errors (e.g. wrong sums).
    assert caught.value.errors == [expected]
    assert _snapshot() == before


def test_every_error_is_reported_at_once(tmp_path):
    kommuner = _with(kommuner_rows(), 2, "organisationsnummer", "212000-0010")
    kommuner = _with(kommuner, 3, "folkmangd_2018_12_31", "-1")
    actors = _with(actors_rows(), 2, "kind", "kommunförbund")
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(write(tmp_path, kommuner=kommuner, actors=actors))
    assert [(error.file, error.line) for error in caught.value.errors] == [
        ("kommuner.csv", 2),
        ("kommuner.csv", 3),
        ("other_actors.csv", 2),
    ]
    assert str(caught.value.errors[0]) == (
        "kommuner.csv rad 2: ogiltigt organisationsnummer '212000-0010' (fel kontrollsiffra)"
    )
    assert not Organisation.objects.exists()


def test_a_missing_file_is_reported(tmp_path):
    write(tmp_path)
    (tmp_path / "regioner.csv").unlink()
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(tmp_path)
    assert [(e.file, e.line) for e in caught.value.errors] == [("regioner.csv", None)]


def test_an_organisation_already_in_the_database_blocks_the_load(tmp_path):
    OrganisationFactory(municipality_code="0115", reference_key="handmade", name="Handgjord")
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(write(tmp_path))
    assert caught.value.errors == [
        DataError(
            "kommuner.csv",
            3,
            "kommunkoden '0115' används redan i databasen av 'Handgjord' "
            "(reference_key 'handmade')",
        )
    ]
    assert Organisation.objects.count() == 1


# --- The command ---------------------------------------------------------------


def test_command_loads_and_prints_counts(tmp_path):
    out = io.StringIO()
    call_command("load_reference_data", "--directory", str(write(tmp_path)), stdout=out)
    assert out.getvalue().splitlines() == [
        "Organisationer: 6 nya, 0 ändrade, 0 oförändrade.",
        "Folkmängder: 16 nya, 0 ändrade, 0 oförändrade.",
    ]


def test_command_reads_the_vendored_data_by_default():
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "Organisationer: 335 nya" in out.getvalue()


def test_command_prints_every_error_and_fails(tmp_path):
    kommuner = _with(kommuner_rows(), 3, "organisationsnummer", "212000-0028")
    kommuner = _with(kommuner, 4, "folkmangd_2019_12_31", "-3")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 fel"):
        call_command(
            "load_reference_data",
            "--directory",
            str(write(tmp_path, kommuner=kommuner)),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "kommuner.csv rad 3: ogiltigt organisationsnummer '212000-0028' (fel kontrollsiffra)",
        "kommuner.csv rad 4: folkmangd_2019_12_31: negativ folkmängd '-3'",
    ]
    assert not Organisation.objects.exists()
