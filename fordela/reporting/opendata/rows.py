"""The grant rows of the open data (``GrantRow``): one per paid payable of
the programme year, then the regions' sub-grants (``subgrant_rows``), read
from the ledger in a constant number of queries (see the package's
docstring)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fordela.applications.models import Decision
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.programmes.models import Eligibility, ProgrammeYear
from fordela.regional.models import (
    ApplicantKind,
    RoundStatus,
    SubGrantInvoiceStatus,
    SubGrantRound,
)
from fordela.regional.rollup import decided_grants

from .identifiers import SCOPE_KOMMUN, SCOPE_REGION, org_id, prefix

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
