"""The 360Giving package (schema 1.4.3) of a programme year's grant rows,
and the check of its codes against the vendored codelists."""

import json
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from fordela.core.agency import agency
from fordela.programmes.models import ProgrammeYear

from .identifiers import (
    COUNTRY,
    CURRENCY,
    DATA_LICENCE,
    REGRANT_COMMON,
    funder_id,
    prefix,
    urls,
    website_url,
)
from .rows import GrantRow, grant_rows

SCHEMA_VERSION = "1.4"  # the package's "version" is major.minor (schema 1.4.3)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas" / "360giving-1.4.3"


def package(py: ProgrammeYear, rows: list[GrantRow] | None = None) -> dict:
    """The 360Giving package of the programme year. The schema requires at
    least one grant: the view does not serve a package without one."""
    rows = grant_rows(py) if rows is None else rows
    links = urls(py)
    sender = agency()
    funder = {"id": funder_id(), "name": sender.name}
    issued = max((row.paid_on for row in rows if row.paid_on), default=None)
    with translation.override("sv"):
        description = _(
            "Grants paid by %(agency)s within %(programme)s (%(dnr)s) in %(year)s: one "
            "grant per paid requisition, per paid redistributed share and per paid "
            "grant after an application, in whole kronor (SEK). Recipients are "
            "identified as SE-BLV-<organisation number>; kommuner and regioner are "
            "not in the Bolagsverket register, their organisation number is used "
            "all the same, and an organisation without a known number has an id "
            "under the publisher's prefix. geoCode is the SCB kommunkod (4 digits) "
            "or länskod (2 digits) with countryCode SE; 360Giving has no geoCodeType "
            "for Swedish codes, so none is given."
        ) % {
            "agency": sender.name,
            "programme": py.programme.title,
            "dnr": py.programme.reference_number,
            "year": py.year,
        }
        if any(row.funder_id for row in rows):
            description += " " + _(
                "A grant with a region as funder is one of the region's own grants from "
                "the state grant it received (its requisition, marked as regranted): a "
                "breakdown of money already counted once, not money of its own."
            )
        title = _("Grants paid %(year)s: %(programme)s") % {
            "year": py.year,
            "programme": py.programme.title,
        }
    data = {
        "version": SCHEMA_VERSION,
        "title": title,
        "description": description,
        "identifier": f"{prefix()}-{py.programme.slug}-{py.year}",
        "publisher": {
            "identifier": funder_id(),
            "name": sender.name,
            "website": website_url(sender.website),
        },
        "license": DATA_LICENCE,
        "downloadURL": links["json"],
        "accessURL": links["page"],
        "grants": [_grant(row, funder, links) for row in rows],
    }
    if issued:
        data["issued"] = issued.isoformat()
        data["modified"] = issued.isoformat()
    return data


def _grant(row: GrantRow, funder: dict, links: dict) -> dict:
    if row.funder_id:
        funder = {"id": row.funder_id, "name": row.funder_name}
    grant = {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "currency": CURRENCY,
        "amountAwarded": row.amount_sek,
        "amountDisbursed": row.amount_sek if row.disbursed_sek is None else row.disbursed_sek,
        "awardDate": row.award_date.isoformat(),
        # Not "companyNumber": 360Giving defines it as a UK company number;
        # the Swedish organisation number is in the id.
        "recipientOrganization": [{"id": row.recipient_id, "name": row.recipient_name}],
        "fundingOrganization": [funder],
        "grantProgramme": [
            {"code": row.pool_code, "title": row.pool_name, "url": links["programme"]}
        ],
        "fromOpenCall": "Yes" if row.from_open_call else "No",
        "plannedDates": [
            {"startDate": row.award_date.isoformat()}
            | ({"endDate": row.use_until.isoformat()} if row.use_until else {})
        ],
        "dataSource": links["json"],
    }
    if row.paid_on:
        grant["actualDates"] = [{"startDate": row.paid_on.isoformat()}]
    if row.location_scope:
        grant["locationScope"] = row.location_scope
        grant["beneficiaryLocation"] = [
            {"name": row.location_name, "countryCode": COUNTRY, "geoCode": row.geo_code}
        ]
    if row.regranted:
        grant["regrantType"] = REGRANT_COMMON
    return grant


def package_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of a vendored 360Giving codelist (its first column)."""
    import csv

    with (SCHEMA_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return frozenset(line["Code"] for line in csv.DictReader(f))


def check_codes(data: dict) -> list[str]:
    """The codes in ``data`` that are not in their 360Giving codelist (or in
    ISO 4217 / 3166 for the currency and the country): empty when all fit."""
    problems = []
    for grant in data.get("grants", []):
        for field in ("regrantType", "locationScope"):
            code = grant.get(field)
            if code is not None and code not in codelist(field):
                problems.append(f"{grant['id']}: {field} {code}")
        if grant.get("currency") != CURRENCY:
            problems.append(f"{grant['id']}: currency {grant.get('currency')}")
        for place in grant.get("beneficiaryLocation", []):
            if place.get("countryCode") != COUNTRY:
                problems.append(f"{grant['id']}: countryCode {place.get('countryCode')}")
    return problems
