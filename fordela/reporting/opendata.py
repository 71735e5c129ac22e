"""Open data (issue 19 §5): what the agency has paid out, per programme and
year, as a 360Giving package (schema 1.4.3), as CSV in the product's one
dialect, and the list of programme years with data that the DCAT-AP-SE catalogue
(``reporting.dcat``) describes (docs/reporting.md, "Open data").

One grant is one **paid** payable (``fordela.payments.Payable``):

* a paid requisition: the amount the organisation requisitioned;
* a paid redistribution share: **its own grant**, since it is a decision of
  its own (the redistribution), made on another day and paid in a payment
  of its own; its id names the share, so it never changes when the
  requisition's amount is read again;
* a paid grant decision of a call (an application).

A region that passes its state grant on in a regional round (issue 20)
makes two things of it: its requisition and redistributed share carry
``regrantType`` FRG010 (``is_regranted``), and each of the round's granted
sub-grants is a grant of its own with **the region as funder**
(``subgrant_rows``). The sub-grants are a breakdown of money already
counted once: the agency's totals (``published``) are the payables alone.

Open, batched and cancelled payables are not published: what the agency
has promised but not paid can still change. The ids are built from the
source's primary key, which never changes, under the publisher's prefix
(``FORDELA_360G_PREFIX``; the default is a placeholder to be registered
with 360Giving before the data is published).

Everything is read in a constant number of queries whatever the number of
grants (``grant_rows``: the payables with their organisation, pool and
source in one query, the decisions of the application grants in one more).
"""

import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fordela.applications.models import Decision
from fordela.core.agency import agency
from fordela.core.exports import write_csv
from fordela.organisations.models import Organisation
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.programmes.models import Eligibility, ProgrammeYear
from fordela.regional.models import (
    ApplicantKind,
    RoundStatus,
    SubGrantInvoiceStatus,
    SubGrantRound,
)
from fordela.regional.rollup import decided_grants

SCHEMA_VERSION = "1.4"  # the package's "version" is major.minor (schema 1.4.3)
CURRENCY = "SEK"
COUNTRY = "SE"
# The licence of the data (360Giving "license", DCAT distribution licence):
# exactly as DCAT-AP-SE requires it (http, trailing slash).
DATA_LICENCE = "http://creativecommons.org/licenses/by/4.0/"
# org-id.guide's list for Bolagsverket. Kommuner and regioner are not
# registered there; their organisation number is used under it all the same
# (an open question, facts-second-half §11), as the package description says.
ORG_ID_SCHEME = "SE-BLV"

# The codes of the 360Giving codelists this module writes. The schema does
# not enforce codelists; ``check_codes`` does, against the vendored CSVs.
REGRANT_COMMON = "FRG010"  # Common Regrant: state → region → local
SCOPE_REGION = "GLS040"  # Subnational region (a län's region)
SCOPE_KOMMUN = "GLS050"  # Local authority (a kommun)
CODES_USED = {"regrantType": {REGRANT_COMMON}, "locationScope": {SCOPE_REGION, SCOPE_KOMMUN}}

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "360giving-1.4.3"

_SLUG = re.compile(r"[^A-Za-z0-9-]+")


DEFAULT_PREFIX = "360G-fordela"  # the placeholder FORDELA_360G_PREFIX defaults to


def prefix() -> str:
    return getattr(settings, "FORDELA_360G_PREFIX", DEFAULT_PREFIX)


def site_url() -> str:
    return settings.FORDELA_SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def org_id(organisation: Organisation) -> str:
    """``SE-BLV-<orgnr>``; an organisation without a known number (20
    regions in the reference data) gets an id under the publisher's prefix
    from its stable reference key, which 360Giving allows when no
    registered id is known."""
    if organisation.organisation_number:
        return f"{ORG_ID_SCHEME}-{organisation.organisation_number}"
    return f"{prefix()}-org-{_SLUG.sub('-', organisation.reference_key)}"


def funder_id() -> str:
    return f"{ORG_ID_SCHEME}-{settings.FORDELA_AGENCY_ORGNR}"


REGRANTED_SOURCES = (PayableSource.REQUISITION, PayableSource.REDISTRIBUTION)


def backing_rounds():
    """The regional rounds that pass a region's state grant on: past the
    draft (a draft has passed nothing on and may never open), with state
    funding."""
    return SubGrantRound.objects.exclude(status=RoundStatus.DRAFT).filter(state_funding_sek__gt=0)


def backs_a_round():
    """For a payable queryset: does the payable back a regional round of its
    organisation in its pool's programme year (``backs_regional_round``)?"""
    return Exists(
        backing_rounds().filter(
            region_id=OuterRef("organisation_id"),
            programme_year_id=OuterRef("pool__programme_year_id"),
        )
    )


def is_regranted(payable: Payable) -> bool:
    """Whether the recipient hands this money on as grants of its own: a
    region's paid requisition or redistributed share of a year in which it
    runs a regional round backed by its state grant (issue 20). Then the
    grant carries ``regrantType`` FRG010. ``grant_rows`` reads it from the
    ``backs_regional_round`` annotation; without it, one query."""
    if payable.source not in REGRANTED_SOURCES:
        return False
    annotated = getattr(payable, "backs_regional_round", None)
    if annotated is not None:
        return annotated
    return (
        backing_rounds()
        .filter(region_id=payable.organisation_id, programme_year_id=payable.pool.programme_year_id)
        .exists()
    )


@dataclass(frozen=True)
class GrantRow:
    """One grant of the package and one line of the CSV."""

    id: str
    source: str  # requisition | redistribution | grant
    title: str
    description: str
    amount_sek: int
    award_date: datetime.date
    paid_on: datetime.date | None  # None: a sub-grant the region has not paid yet
    use_until: datetime.date | None
    case_number: str
    pool_code: str
    pool_name: str
    from_open_call: bool
    recipient_id: str
    recipient_name: str
    organisation_number: str
    location_scope: str
    geo_code: str
    location_name: str
    regranted: bool
    # The funder when it is not the agency: the region of a sub-grant.
    funder_id: str = ""
    funder_name: str = ""
    disbursed_sek: int | None = None  # None: amountAwarded, paid in full


def programme_year(slug: str, year: int) -> ProgrammeYear:
    """The programme year, or ``ProgrammeYear.DoesNotExist``."""
    return ProgrammeYear.objects.select_related("programme").get(programme__slug=slug, year=year)


def paid_payables(py: ProgrammeYear):
    return Payable.objects.filter(pool__programme_year=py, status=PayableStatus.PAID)


def grant_rows(py: ProgrammeYear) -> list[GrantRow]:
    """The paid grants of the programme year, in pool and payment order,
    then the regions' sub-grants of the year: three queries, whatever their
    number."""
    payables = list(
        paid_payables(py)
        .select_related("organisation", "pool", "requisition", "redistribution_share")
        .annotate(backs_regional_round=backs_a_round())
        .order_by("pool__slug", "paid_on", "pk")
    )
    decision_ids = [
        _decision_id(p) for p in payables if p.source == PayableSource.GRANT and _decision_id(p)
    ]
    decisions = (
        Decision.objects.select_related("application", "call").in_bulk(decision_ids)
        if decision_ids
        else {}
    )
    with translation.override("sv"):
        return [_row(py, payable, decisions) for payable in payables] + subgrant_rows(py)


def subgrant_rows(py: ProgrammeYear) -> list[GrantRow]:
    """The regions' granted sub-grants in ``py`` (issue 20), each with its
    region as funder: awarded the granted amount on the decision's day,
    disbursed what the region has paid of the grantee's invoice. One query."""
    decisions = (
        decided_grants()
        .filter(round__programme_year=py)
        .select_related(
            "application__organisation", "round__region", "report__invoice", "round__programme_year"
        )
        .order_by("round__region__name", "round_id", "decided_at", "pk")
    )
    with translation.override("sv"):
        return [_subgrant_row(py, decision) for decision in decisions]


def _subgrant_row(py: ProgrammeYear, decision) -> GrantRow:
    application = decision.application
    round_ = decision.round
    region = round_.region
    recipient = application.organisation
    context = {
        "region": region.name,
        "round": round_.title,
        "year": py.year,
        "recipient": application.applicant_name,
        "case": application.case_number,
    }
    description = (
        _(
            "Grant from %(region)s to %(recipient)s in its regional round %(round)s "
            "(%(year)s), case %(case)s, of the state grant the region received."
        )
        % context
    )
    report = getattr(decision, "report", None)
    invoice = getattr(report, "invoice", None) if report else None
    paid = invoice.status == SubGrantInvoiceStatus.PAID if invoice else False
    own_unit = application.kind == ApplicantKind.OWN_UNIT
    scope, geo_code = "", ""
    if recipient.municipality_code and not own_unit:
        scope, geo_code = SCOPE_KOMMUN, recipient.municipality_code
    elif region.region_county_code:
        scope, geo_code = SCOPE_REGION, region.region_county_code
    return GrantRow(
        id=f"{prefix()}-regionalt-bidrag-{decision.pk}",
        source="subgrant",
        title=application.project_title or _("Regional grant: %(round)s") % context,
        description=description,
        amount_sek=decision.amount_sek,
        award_date=timezone.localdate(decision.decided_at),
        paid_on=invoice.paid_on if paid else None,
        use_until=round_.use_to,
        case_number=application.case_number,
        pool_code=f"{py.programme.slug}-{py.year}-regional-{round_.pk}",
        pool_name=round_.title,
        from_open_call=True,
        recipient_id=org_id(recipient),
        recipient_name=application.applicant_name,
        organisation_number="" if own_unit else recipient.organisation_number,
        location_scope=scope,
        geo_code=geo_code,
        location_name=(region.name if scope == SCOPE_REGION else recipient.name) if scope else "",
        regranted=False,
        funder_id=org_id(region),
        funder_name=region.name,
        disbursed_sek=invoice.amount_sek if paid else 0,
    )


def _decision_id(payable: Payable) -> int | None:
    """The decision a grant payable's reference names, if any."""
    number = payable.reference.removeprefix("grant:")
    return int(number) if number.isascii() and number.isdigit() else None


def _row(py: ProgrammeYear, payable: Payable, decisions: dict) -> GrantRow:
    programme = py.programme
    pool = payable.pool
    organisation = payable.organisation
    context = {
        "organisation": organisation.name,
        "pool": pool.name,
        "year": py.year,
        "programme": programme.title,
        "dnr": programme.reference_number,
        "case": payable.case_number,
    }
    open_call = False
    if payable.source == PayableSource.REQUISITION:
        local = f"rekvisition-{payable.requisition_id}"
        title = _("Requisitioned funds: %(pool)s %(year)s") % context
        description = (
            _(
                "Funds that %(organisation)s requisitioned from %(pool)s %(year)s "
                "within %(programme)s (%(dnr)s), case %(case)s."
            )
            % context
        )
    elif payable.source == PayableSource.REDISTRIBUTION:
        local = f"omfordelning-{payable.redistribution_share_id}"
        title = _("Redistributed funds: %(pool)s %(year)s") % context
        description = (
            _(
                "The share of the funds not requisitioned from %(pool)s %(year)s that "
                "was redistributed to %(organisation)s within %(programme)s (%(dnr)s), "
                "case %(case)s."
            )
            % context
        )
    else:
        decision = decisions.get(_decision_id(payable))
        # A grant payable names its decision ("grant:<pk>"); one that does
        # not is still published, under the payable's own id.
        local = f"bidrag-{decision.pk}" if decision else f"utbetalning-{payable.pk}"
        open_call = True
        project = decision.application.project_title if decision else ""
        context["call"] = decision.call.title if decision else pool.name
        title = project or _("Grant: %(call)s") % context
        description = (
            _(
                "Grant to %(organisation)s after an application to %(call)s "
                "within %(programme)s (%(dnr)s), case %(case)s."
            )
            % context
        )
    scope, geo_code = "", ""
    if pool.eligibility == Eligibility.MUNICIPALITIES and organisation.municipality_code:
        scope, geo_code = SCOPE_KOMMUN, organisation.municipality_code
    elif pool.eligibility == Eligibility.REGIONS and organisation.region_county_code:
        scope, geo_code = SCOPE_REGION, organisation.region_county_code
    return GrantRow(
        id=f"{prefix()}-{local}",
        source=payable.source,
        title=title,
        description=description,
        amount_sek=payable.amount_sek,
        award_date=payable.received_on,
        paid_on=payable.paid_on,
        use_until=pool.use_until,
        case_number=payable.case_number,
        pool_code=f"{programme.slug}-{py.year}-{pool.slug}",
        pool_name=pool.name,
        from_open_call=open_call,
        recipient_id=org_id(organisation),
        recipient_name=organisation.name,
        organisation_number=organisation.organisation_number,
        location_scope=scope,
        geo_code=geo_code,
        location_name=organisation.name if scope else "",
        regranted=is_regranted(payable),
    )


# --- URLs -------------------------------------------------------------------


def urls(py: ProgrammeYear) -> dict[str, str]:
    kwargs = {"slug": py.programme.slug, "year": py.year}
    return {
        "json": absolute(reverse("reporting:opendata_json", kwargs=kwargs)),
        "csv": absolute(reverse("reporting:opendata_csv", kwargs=kwargs)),
        "page": absolute(reverse("reporting:opendata")) + f"#{py.programme.slug}-{py.year}",
        "programme": absolute(reverse("programmes:detail", kwargs={"slug": py.programme.slug})),
    }


def website_url(value: str) -> str:
    return value if "://" in value else f"https://{value}"


# --- 360Giving ----------------------------------------------------------------


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


# --- CSV ----------------------------------------------------------------------


def csv_header() -> list[str]:
    with translation.override("sv"):
        return [
            _("Grant id"),
            _("Title"),
            _("Description"),
            _("Amount (kr)"),
            _("Currency"),
            _("Award date"),
            _("Paid"),
            _("Funds may be used until"),
            _("Recipient"),
            _("Recipient id"),
            _("Organisation number"),
            _("Kind"),
            _("Pool"),
            _("Pool code"),
            _("Case number"),
            _("Location scope"),
            _("Geographic code"),
            _("Regrant type"),
            _("Funder"),
        ]


SOURCE_NAMES = {
    PayableSource.REQUISITION: "rekvisition",
    PayableSource.REDISTRIBUTION: "omfördelning",
    PayableSource.GRANT: "ansökan",
    "subgrant": "regionalt bidrag",
}


def csv_rows(rows: Iterable[GrantRow]) -> Iterable[list]:
    the_agency = ""
    for row in rows:
        if not row.funder_name and not the_agency:
            the_agency = agency().name
        yield [
            row.id,
            row.title,
            row.description,
            row.amount_sek,
            CURRENCY,
            row.award_date,
            row.paid_on,
            row.use_until,
            row.recipient_name,
            row.recipient_id,
            row.organisation_number,
            SOURCE_NAMES.get(row.source, row.source),
            row.pool_name,
            row.pool_code,
            row.case_number,
            row.location_scope,
            row.geo_code,
            REGRANT_COMMON if row.regranted else "",
            row.funder_name or the_agency,
        ]


def csv_text(rows: list[GrantRow]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, csv_header(), csv_rows(rows))
    return buffer.getvalue()


# --- Which programme years have data --------------------------------------------


@dataclass(frozen=True)
class Published:
    programme_year: ProgrammeYear
    grants: int
    amount_sek: int
    last_paid: datetime.date | None


def published(programmes=None) -> list[Published]:
    """Every programme year (of ``programmes``, else all) with the number and
    sum of its paid grants: two queries."""
    years = ProgrammeYear.objects.select_related("programme").order_by(
        "programme__reference_number", "year"
    )
    if programmes is not None:
        years = years.filter(programme__in=programmes)
    totals = {
        entry["pool__programme_year"]: entry
        for entry in Payable.objects.filter(status=PayableStatus.PAID)
        .values("pool__programme_year")
        .annotate(count=Count("pk"), total=Sum("amount_sek"), last=Max("paid_on"))
    }
    result = []
    for py in years:
        entry = totals.get(py.pk, {})
        result.append(
            Published(py, entry.get("count", 0), entry.get("total") or 0, entry.get("last"))
        )
    return result
