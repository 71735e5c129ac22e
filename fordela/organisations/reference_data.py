"""Read, validate and load the reference data in ``data/reference``.

Three CSV files describe every organisation the programmes know about:

* ``kommuner.csv``: the 290 kommuner with organisation number and population,
* ``regioner.csv``: the 21 län with their region and population,
* ``other_actors.csv``: länsstyrelser, universities and agencies.

Everything is parsed and checked first; only if there is no error at all is
anything written, in one transaction (a half-loaded allocation key is worse
than none). Loading is idempotent: organisations are matched on their
``reference_key`` and populations on (organisation, date), and a row is only
written when a value differs.

Gotland (decisions.md 5) is one organisation: the region row for län 09 has
the same organisation number as the kommun 0980, so the two rows become one
``Organisation`` with both ``municipality_code`` and ``region_county_code``.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from stdnum import exceptions as stdnum_exceptions
from stdnum.se import orgnr

from fordela.audit.actions import AuditAction
from fordela.audit.services import record

from .models import Organisation, OrganisationKind, Population

MUNICIPALITIES_FILE = "kommuner.csv"
REGIONS_FILE = "regioner.csv"
OTHER_ACTORS_FILE = "other_actors.csv"

MUNICIPALITY_COLUMNS = ["kommunkod", "kommun", "lanskod", "lan", "organisationsnummer"]
REGION_COLUMNS = ["lanskod", "lan", "region", "organisationsnummer", "antal_kommuner"]
OTHER_ACTOR_COLUMNS = [
    "reference_key",
    "name",
    "kind",
    "organisation_number",
    "county_code",
    "county_name",
]
# SCB's folkmängd on 31 December, one column per year: folkmangd_2020_12_31.
POPULATION_COLUMN = re.compile(r"^folkmangd_(\d{4})_12_31$")
# Kinds that other_actors.csv may use; kommuner and regioner have their own files.
OTHER_ACTOR_KINDS = {kind.value for kind in OrganisationKind} - {
    OrganisationKind.KOMMUN,
    OrganisationKind.REGION,
}
MAX_POPULATION = 2_147_483_647  # PositiveIntegerField's upper bound
REFERENCE_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
AUDIT_OBJECT_KEY = "socialstyrelsen"


class DataError(NamedTuple):
    """One problem in the input: file name, line number (1 is the header;
    ``None`` for the whole file) and a Swedish message for the user."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} rad {self.line}"
        return f"{where}: {self.message}"


class ReferenceDataError(Exception):
    """The reference data has errors; nothing was written."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class MunicipalityRow:
    line: int
    code: str  # "" if invalid or a duplicate
    name: str
    county_code: str
    county_name: str
    organisation_number: str  # ten digits without hyphen, "" if invalid
    populations: dict[datetime.date, int]  # only the valid figures
    # Rows with errors are kept so that cross-file checks can skip their län
    # instead of reporting the same mistake again as a wrong sum.
    has_errors: bool = False


@dataclass(frozen=True)
class RegionRow:
    line: int
    county_code: str
    county_name: str
    region_name: str
    organisation_number: str  # ten digits, "" if empty or invalid
    municipality_count: int | None
    populations: dict[datetime.date, int]  # only the valid figures
    has_errors: bool = False


@dataclass(frozen=True)
class OtherActorRow:
    line: int
    reference_key: str
    name: str
    kind: str
    organisation_number: str  # ten digits or ""
    county_code: str
    county_name: str


@dataclass(frozen=True)
class OrganisationRecord:
    """One organisation as it should be in the database after the load."""

    reference_key: str
    name: str
    kind: str
    organisation_number: str
    municipality_code: str | None
    region_county_code: str | None
    county_code: str
    county_name: str
    populations: dict[datetime.date, int]
    file: str
    line: int

    def field_values(self) -> dict[str, Any]:
        return {
            "reference_key": self.reference_key,
            "name": self.name,
            "kind": self.kind,
            "organisation_number": self.organisation_number,
            "municipality_code": self.municipality_code,
            "region_county_code": self.region_county_code,
            "county_code": self.county_code,
            "county_name": self.county_name,
        }


@dataclass
class LoadResult:
    organisations_created: int = 0
    organisations_updated: int = 0
    organisations_unchanged: int = 0
    populations_created: int = 0
    populations_updated: int = 0
    populations_unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def population_source(reference_date: datetime.date) -> str:
    return f"SCB, folkmängd 31 december {reference_date.year}"


# --- Reading one file -------------------------------------------------------


@dataclass
class ParsedFile[RowT]:
    rows: list[RowT]
    # Dates of the folkmangd_YYYY_12_31 columns in the header.
    population_dates: set[datetime.date] = field(default_factory=set)


@dataclass
class _CsvFile:
    name: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    population_columns: dict[str, datetime.date] = field(default_factory=dict)


def _read_csv(
    path: Path,
    required: list[str],
    errors: list[DataError],
    *,
    with_populations: bool = False,
) -> _CsvFile | None:
    """Rows of a CSV file as (line number, stripped values). Returns ``None``
    if the file can't be used at all (missing, unreadable, missing columns)."""
    name = path.name
    try:
        # utf-8-sig: tolerate a BOM if someone saved the file from Excel.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            result = _CsvFile(name)
            for column in columns:
                match = POPULATION_COLUMN.match(column)
                if match:
                    result.population_columns[column] = datetime.date(int(match[1]), 12, 31)
            missing = [column for column in required if column not in columns]
            if with_populations and not result.population_columns:
                missing.append("folkmangd_ÅÅÅÅ_12_31")
            if missing:
                for column in missing:
                    errors.append(DataError(name, 1, f"kolumnen '{column}' saknas"))
                return None
            for row in reader:
                # DictReader puts surplus fields under None and fills missing ones with None.
                if None in row or None in row.values():
                    errors.append(
                        DataError(name, reader.line_num, "fel antal fält jämfört med rubrikraden")
                    )
                    continue
                values = {key: value.strip() for key, value in row.items()}
                result.rows.append((reader.line_num, values))
    except FileNotFoundError:
        errors.append(DataError(name, None, f"filen saknas ({path})"))
        return None
    except UnicodeDecodeError:
        errors.append(DataError(name, None, "filen är inte kodad i UTF-8"))
        return None
    except csv.Error as exc:
        errors.append(DataError(name, None, f"filen kan inte läsas som CSV ({exc})"))
        return None
    if not result.rows:
        errors.append(DataError(name, None, "filen innehåller inga rader"))
    return result


# --- Checking single values -------------------------------------------------


def _error_adder(errors: list[DataError], file: str, line: int) -> Callable[[str], None]:
    def add_error(message: str) -> None:
        errors.append(DataError(file, line, message))

    return add_error


def _check_code(value: str, length: int, label: str, add_error) -> str | None:
    if re.fullmatch(rf"\d{{{length}}}", value):
        return value
    add_error(f"ogiltig {label} '{value}' (ska vara {length} siffror)")
    return None


def _check_organisation_number(value: str, add_error, *, required: bool) -> str | None:
    """Ten digits without hyphen; "" if empty and optional; None if invalid."""
    if not value:
        if required:
            add_error("organisationsnummer saknas")
            return None
        return ""
    try:
        return orgnr.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        reason = "fel kontrollsiffra"
    except stdnum_exceptions.InvalidLength:
        reason = "fel längd, ska vara 10 siffror"
    except stdnum_exceptions.ValidationError:
        reason = "fel format"
    add_error(f"ogiltigt organisationsnummer '{value}' ({reason})")
    return None


def _check_population(value: str, column: str, add_error) -> int | None:
    if not value:
        add_error(f"{column}: folkmängd saknas")
    elif re.fullmatch(r"-\d+", value):
        add_error(f"{column}: negativ folkmängd '{value}'")
    elif not re.fullmatch(r"\d+", value):
        add_error(f"{column}: folkmängden '{value}' är inte ett heltal")
    elif int(value) > MAX_POPULATION:
        add_error(f"{column}: folkmängden '{value}' är orimligt stor")
    else:
        return int(value)
    return None


def _populations(
    values: dict[str, str], columns: dict[str, datetime.date], add_error
) -> dict[datetime.date, int]:
    """The valid population figures of one row (errors go to ``add_error``)."""
    result = {}
    for column, reference_date in columns.items():
        population = _check_population(values[column], column, add_error)
        if population is not None:
            result[reference_date] = population
    return result


# --- Parsing the three files ------------------------------------------------


def read_municipalities(path: Path, errors: list[DataError]) -> ParsedFile[MunicipalityRow] | None:
    """Parse kommuner.csv, appending problems to ``errors``."""
    data = _read_csv(path, MUNICIPALITY_COLUMNS, errors, with_populations=True)
    if data is None:
        return None
    rows = []
    first_line_of_code: dict[str, int] = {}
    for line, values in data.rows:
        errors_before = len(errors)
        add_error = _error_adder(errors, data.name, line)
        code = _check_code(values["kommunkod"], 4, "kommunkod", add_error)
        county_code = _check_code(values["lanskod"], 2, "länskod", add_error)
        if code and county_code and code[:2] != county_code:
            add_error(f"länskoden '{county_code}' stämmer inte med kommunkoden '{code}'")
        if code in first_line_of_code:
            add_error(f"kommunkoden '{code}' finns redan på rad {first_line_of_code[code]}")
            code = None
        elif code:
            first_line_of_code[code] = line
        if not values["kommun"]:
            add_error("kommunens namn saknas")
        if not values["lan"]:
            add_error("länets namn saknas")
        number = _check_organisation_number(values["organisationsnummer"], add_error, required=True)
        populations = _populations(values, data.population_columns, add_error)
        county_code = county_code or (code[:2] if code else None)
        if county_code:
            rows.append(
                MunicipalityRow(
                    line=line,
                    code=code or "",
                    name=values["kommun"],
                    county_code=county_code,
                    county_name=values["lan"],
                    organisation_number=number or "",
                    populations=populations,
                    has_errors=len(errors) > errors_before,
                )
            )
    return ParsedFile(rows, set(data.population_columns.values()))


def read_regions(path: Path, errors: list[DataError]) -> ParsedFile[RegionRow] | None:
    """Parse regioner.csv, appending problems to ``errors``."""
    data = _read_csv(path, REGION_COLUMNS, errors, with_populations=True)
    if data is None:
        return None
    rows = []
    first_line_of_code: dict[str, int] = {}
    for line, values in data.rows:
        errors_before = len(errors)
        add_error = _error_adder(errors, data.name, line)
        county_code = _check_code(values["lanskod"], 2, "länskod", add_error)
        if county_code in first_line_of_code:
            add_error(
                f"länskoden '{county_code}' finns redan på rad {first_line_of_code[county_code]}"
            )
            county_code = None
        elif county_code:
            first_line_of_code[county_code] = line
        if not values["lan"]:
            add_error("länets namn saknas")
        if not values["region"]:
            add_error("regionens namn saknas")
        number = _check_organisation_number(
            values["organisationsnummer"], add_error, required=False
        )
        count = None
        if values["antal_kommuner"].isdigit():
            count = int(values["antal_kommuner"])
        elif values["antal_kommuner"]:
            add_error(f"antal_kommuner '{values['antal_kommuner']}' är inte ett heltal")
        populations = _populations(values, data.population_columns, add_error)
        if county_code:
            rows.append(
                RegionRow(
                    line=line,
                    county_code=county_code,
                    county_name=values["lan"],
                    region_name=values["region"],
                    organisation_number=number or "",
                    municipality_count=count,
                    populations=populations,
                    has_errors=len(errors) > errors_before,
                )
            )
    return ParsedFile(rows, set(data.population_columns.values()))


def read_other_actors(path: Path, errors: list[DataError]) -> ParsedFile[OtherActorRow] | None:
    """Parse other_actors.csv, appending problems to ``errors``."""
    data = _read_csv(path, OTHER_ACTOR_COLUMNS, errors)
    if data is None:
        return None
    rows = []
    for line, values in data.rows:
        add_error = _error_adder(errors, data.name, line)
        key = values["reference_key"]
        if not REFERENCE_KEY.fullmatch(key) or len(key) > 60:
            add_error(f"ogiltig reference_key '{key}' (små bokstäver a–z, siffror och bindestreck)")
        if not values["name"]:
            add_error("namn saknas")
        if values["kind"] not in OTHER_ACTOR_KINDS:
            allowed = ", ".join(sorted(OTHER_ACTOR_KINDS))
            add_error(f"okänd typ '{values['kind']}' (tillåtna: {allowed})")
        number = _check_organisation_number(
            values["organisation_number"], add_error, required=False
        )
        county_code = values["county_code"]
        if county_code:
            county_code = _check_code(county_code, 2, "länskod", add_error) or ""
        rows.append(
            OtherActorRow(
                line=line,
                reference_key=key,
                name=values["name"],
                kind=values["kind"],
                organisation_number=number or "",
                county_code=county_code,
                county_name=values["county_name"],
            )
        )
    return ParsedFile(rows)


# --- Checks across files ----------------------------------------------------


def build_records(
    municipalities: list[MunicipalityRow],
    regions: list[RegionRow],
    actors: list[OtherActorRow],
    errors: list[DataError],
) -> list[OrganisationRecord]:
    """Turn parsed rows into organisations, checking what spans files:
    every kommun's län has a region, a region's population is the sum of its
    kommuner, and reference keys and organisation numbers are unique."""
    region_by_code = {region.county_code: region for region in regions}
    municipalities_by_county: dict[str, list[MunicipalityRow]] = {}
    for municipality in municipalities:
        municipalities_by_county.setdefault(municipality.county_code, []).append(municipality)
        region = region_by_code.get(municipality.county_code)
        if region is None:
            errors.append(
                DataError(
                    MUNICIPALITIES_FILE,
                    municipality.line,
                    f"länskoden '{municipality.county_code}' saknas i {REGIONS_FILE}",
                )
            )
        elif municipality.county_name and municipality.county_name != region.county_name:
            errors.append(
                DataError(
                    MUNICIPALITIES_FILE,
                    municipality.line,
                    f"länets namn '{municipality.county_name}' skiljer sig från "
                    f"'{region.county_name}' i {REGIONS_FILE} rad {region.line}",
                )
            )
    # A län with a bad kommun row already has an error; its sums would only repeat it.
    incomplete_counties = {m.county_code for m in municipalities if m.has_errors}
    valid_municipalities = [m for m in municipalities if not m.has_errors]
    municipality_by_number = {m.organisation_number: m for m in valid_municipalities}

    records = {
        m.code: OrganisationRecord(
            reference_key=f"kommun-{m.code}",
            name=m.name,
            kind=OrganisationKind.KOMMUN,
            organisation_number=m.organisation_number,
            municipality_code=m.code,
            region_county_code=None,
            county_code=m.county_code,
            county_name=m.county_name,
            populations=m.populations,
            file=MUNICIPALITIES_FILE,
            line=m.line,
        )
        for m in valid_municipalities
    }
    region_records = []
    for region in regions:
        members = municipalities_by_county.get(region.county_code, [])
        if region.county_code not in incomplete_counties and not region.has_errors:
            _check_region_totals(region, members, errors)
        same_entity = municipality_by_number.get(region.organisation_number)
        if region.organisation_number and same_entity is not None:
            # A kommun with regional responsibility (Gotland): one organisation,
            # named as the region, holding both codes.
            if members != [same_entity]:
                errors.append(
                    DataError(
                        REGIONS_FILE,
                        region.line,
                        f"organisationsnumret '{orgnr.format(region.organisation_number)}' "
                        f"tillhör kommunen {same_entity.name}, som inte är länets enda kommun",
                    )
                )
                continue
            records[same_entity.code] = replace(
                records[same_entity.code],
                name=region.region_name,
                region_county_code=region.county_code,
            )
            continue
        region_records.append(
            OrganisationRecord(
                reference_key=f"region-{region.county_code}",
                name=region.region_name,
                kind=OrganisationKind.REGION,
                organisation_number=region.organisation_number,
                municipality_code=None,
                region_county_code=region.county_code,
                county_code=region.county_code,
                county_name=region.county_name,
                populations=region.populations,
                file=REGIONS_FILE,
                line=region.line,
            )
        )

    actor_records = []
    for actor in actors:
        if actor.county_code and actor.county_code not in region_by_code:
            errors.append(
                DataError(
                    OTHER_ACTORS_FILE,
                    actor.line,
                    f"länskoden '{actor.county_code}' saknas i {REGIONS_FILE}",
                )
            )
        actor_records.append(
            OrganisationRecord(
                reference_key=actor.reference_key,
                name=actor.name,
                kind=actor.kind,
                organisation_number=actor.organisation_number,
                municipality_code=None,
                region_county_code=None,
                county_code=actor.county_code,
                county_name=actor.county_name,
                populations={},
                file=OTHER_ACTORS_FILE,
                line=actor.line,
            )
        )

    all_records = [*records.values(), *region_records, *actor_records]
    _check_unique(all_records, errors)
    return all_records


def _check_region_totals(
    region: RegionRow, members: list[MunicipalityRow], errors: list[DataError]
) -> None:
    """A region covers exactly one län, so its population is the sum of the
    län's kommuner (for Gotland: the kommun's own figure)."""
    if region.municipality_count is not None and region.municipality_count != len(members):
        errors.append(
            DataError(
                REGIONS_FILE,
                region.line,
                f"antal_kommuner är {region.municipality_count}, men {MUNICIPALITIES_FILE} "
                f"har {len(members)} kommuner i länet",
            )
        )
    for reference_date, population in sorted(region.populations.items()):
        total = sum(m.populations.get(reference_date, 0) for m in members)
        if population != total:
            errors.append(
                DataError(
                    REGIONS_FILE,
                    region.line,
                    f"folkmängden {reference_date} är {population}, men summan för länets "
                    f"kommuner i {MUNICIPALITIES_FILE} är {total}",
                )
            )


def _check_unique(records: list[OrganisationRecord], errors: list[DataError]) -> None:
    seen_keys: dict[str, OrganisationRecord] = {}
    seen_numbers: dict[str, OrganisationRecord] = {}
    for rec in records:
        first = seen_keys.setdefault(rec.reference_key, rec)
        if first is not rec:
            errors.append(
                DataError(
                    rec.file,
                    rec.line,
                    f"reference_key '{rec.reference_key}' finns redan i {first.file} "
                    f"rad {first.line}",
                )
            )
        if rec.organisation_number:
            first = seen_numbers.setdefault(rec.organisation_number, rec)
            if first is not rec:
                errors.append(
                    DataError(
                        rec.file,
                        rec.line,
                        f"organisationsnumret '{orgnr.format(rec.organisation_number)}' "
                        f"finns redan i {first.file} rad {first.line}",
                    )
                )


def _check_database_conflicts(records: list[OrganisationRecord], errors: list[DataError]) -> None:
    """Organisations created by hand (not by this loader) may already hold a
    code or an organisation number; report that rather than fail on a
    unique constraint halfway through the load."""
    keys = [rec.reference_key for rec in records]
    numbers = {rec.organisation_number for rec in records if rec.organisation_number}
    municipality_codes = {rec.municipality_code for rec in records if rec.municipality_code}
    region_codes = {rec.region_county_code for rec in records if rec.region_county_code}
    others = Organisation.objects.exclude(reference_key__in=keys).filter(
        Q(organisation_number__in=numbers)
        | Q(municipality_code__in=municipality_codes)
        | Q(region_county_code__in=region_codes)
    )
    for other in others:
        for rec in records:
            clashes = []
            if rec.organisation_number and rec.organisation_number == other.organisation_number:
                clashes.append(f"organisationsnumret '{orgnr.format(rec.organisation_number)}'")
            if rec.municipality_code and rec.municipality_code == other.municipality_code:
                clashes.append(f"kommunkoden '{rec.municipality_code}'")
            if rec.region_county_code and rec.region_county_code == other.region_county_code:
                clashes.append(f"regionens länskod '{rec.region_county_code}'")
            if clashes:
                errors.append(
                    DataError(
                        rec.file,
                        rec.line,
                        f"{' och '.join(clashes)} används redan i databasen av "
                        f"'{other.name}' (reference_key '{other.reference_key}')",
                    )
                )


def read_reference_data(directory: Path) -> list[OrganisationRecord]:
    """Parse and validate all files in ``directory``; raise
    ``ReferenceDataError`` listing every problem found."""
    directory = Path(directory)
    errors: list[DataError] = []
    municipalities = read_municipalities(directory / MUNICIPALITIES_FILE, errors)
    regions = read_regions(directory / REGIONS_FILE, errors)
    actors = read_other_actors(directory / OTHER_ACTORS_FILE, errors)
    if municipalities is None or regions is None or actors is None:
        raise ReferenceDataError(errors)
    if municipalities.population_dates != regions.population_dates:
        errors.append(
            DataError(
                REGIONS_FILE,
                1,
                f"folkmängdskolumnerna är inte desamma som i {MUNICIPALITIES_FILE}",
            )
        )
    records = build_records(municipalities.rows, regions.rows, actors.rows, errors)
    if errors:
        raise ReferenceDataError(errors)
    return records


# --- Writing ----------------------------------------------------------------


def load_reference_data(directory: Path, actor: Any = None) -> LoadResult:
    """Validate the files in ``directory`` and write them in one transaction.

    Raises ``ReferenceDataError`` (and writes nothing) if any file has an
    error. ``actor`` is passed to the audit trail (a user, a process name,
    or ``None`` for the system).
    """
    records = read_reference_data(directory)
    result = LoadResult()
    with transaction.atomic():
        errors: list[DataError] = []
        _check_database_conflicts(records, errors)
        if errors:
            raise ReferenceDataError(errors)
        organisations = _write_organisations(records, result)
        _write_populations(records, organisations, result)
        audit_object = (
            organisations.get(AUDIT_OBJECT_KEY) or organisations[records[0].reference_key]
        )
        record(actor, AuditAction.REFERENCE_DATA_LOADED, audit_object, after=result.as_dict())
    return result


def _write_organisations(
    records: list[OrganisationRecord], result: LoadResult
) -> dict[str, Organisation]:
    """Create missing organisations and update those whose values differ.

    Not ``update_or_create``: that saves every row on every run (and moves
    ``updated_at``); comparing first keeps a repeated load a true no-op.
    """
    keys = [rec.reference_key for rec in records]
    existing = {
        org.reference_key: org for org in Organisation.objects.filter(reference_key__in=keys)
    }
    new = []
    for rec in records:
        values = rec.field_values()
        organisation = existing.get(rec.reference_key)
        if organisation is None:
            new.append(Organisation(**values))
            continue
        changed = [name for name, value in values.items() if getattr(organisation, name) != value]
        if changed:
            # Saved one by one: few rows change between loads, and save()
            # keeps updated_at right.
            for name in changed:
                setattr(organisation, name, values[name])
            organisation.save(update_fields=[*changed, "updated_at"])
            result.organisations_updated += 1
        else:
            result.organisations_unchanged += 1
    Organisation.objects.bulk_create(new)
    result.organisations_created = len(new)
    # Fetch again rather than trust bulk_create to set primary keys on every backend.
    return {org.reference_key: org for org in Organisation.objects.filter(reference_key__in=keys)}


def _write_populations(
    records: list[OrganisationRecord],
    organisations: dict[str, Organisation],
    result: LoadResult,
) -> None:
    existing = {
        (population.organisation_id, population.reference_date): population
        for population in Population.objects.filter(
            organisation__in=[
                organisations[rec.reference_key] for rec in records if rec.populations
            ]
        )
    }
    new, changed = [], []
    for rec in records:
        organisation = organisations[rec.reference_key]
        for reference_date, value in sorted(rec.populations.items()):
            source = population_source(reference_date)
            population = existing.get((organisation.pk, reference_date))
            if population is None:
                new.append(
                    Population(
                        organisation=organisation,
                        reference_date=reference_date,
                        population=value,
                        source=source,
                    )
                )
            elif population.population != value or population.source != source:
                population.population = value
                population.source = source
                changed.append(population)
            else:
                result.populations_unchanged += 1
    Population.objects.bulk_create(new)
    Population.objects.bulk_update(changed, ["population", "source"])
    result.populations_created = len(new)
    result.populations_updated = len(changed)
