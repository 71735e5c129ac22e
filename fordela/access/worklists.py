"""What waits for whom (*att göra*): read-only counts and short lists for
each role's start page. Every function is one COUNT or aggregate query, or
one bounded list with what it shows read along; none writes."""

import datetime
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, Sum, Value, When

from fordela.applications.models import (
    Application,
    ApplicationStatus,
    ConsultationRequest,
)
from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.payments.models import BatchStatus, Payable, PayableStatus, PaymentBatch
from fordela.programmes.models import Pool, PoolKind
from fordela.reports.models import Report, ReportStatus
from fordela.requisitions.models import Requisition, RequisitionStatus

from .models import WAITING_FOR_AGENCY, OmbudApplication

# How many rows a start page lists before it links to the full list.
LIST_LENGTH = 10
# Payables due within this many days are "due soon" (the payments page's week).
DUE_SOON_DAYS = 7


def ombud_applications_waiting() -> int:
    """Ombud applications sent in or sent in again, waiting for a handläggare."""
    return OmbudApplication.objects.filter(status__in=WAITING_FOR_AGENCY).count()


@dataclass(frozen=True)
class RequisitionWork:
    open_pools: int  # requisition pools open today with a published key
    submitted: int  # requisitions sent in and not yet paid


def requisition_work() -> RequisitionWork:
    """Two COUNTs: the open requisition pools and the submitted requisitions."""
    today = clock.today()
    pools = (
        Pool.objects.filter(
            kind=PoolKind.REQUISITION,
            allocation_key__status="frozen",
            closes_on__gte=today,
        )
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .count()
    )
    submitted = Requisition.objects.filter(status=RequisitionStatus.SUBMITTED).count()
    return RequisitionWork(open_pools=pools, submitted=submitted)


def applications_by_call(status: str, exclude_proposed_by=None) -> list[dict]:
    """Per call, how many applications are in ``status``: one grouped query.
    Each row has ``call_id``, ``call__title`` and ``count``."""
    applications = Application.objects.filter(status=status)
    if exclude_proposed_by is not None:
        applications = applications.exclude(decision__proposed_by=exclude_proposed_by)
    return list(
        applications.order_by()
        .values("call_id", "call__title")
        .annotate(count=Count("id"))
        .order_by("call__title", "call_id")
    )


def applications_to_assess() -> list[dict]:
    """Sent-in applications waiting for assessment, per call."""
    return applications_by_call(ApplicationStatus.SUBMITTED)


def proposals_to_decide(user) -> list[dict]:
    """Proposals waiting for a decision, per call, except those ``user``
    proposed (the decider is never the proposer)."""
    return applications_by_call(ApplicationStatus.PROPOSED, exclude_proposed_by=user)


@dataclass(frozen=True)
class ConsultationsSent:
    waiting: int  # no opinion yet, reply date not passed
    answered: int  # opinion received, the application not yet proposed


def consultations_sent() -> ConsultationsSent:
    """One aggregate over the requests for views."""
    today = clock.today()
    totals = ConsultationRequest.objects.aggregate(
        waiting=Count("id", filter=Q(opinion__isnull=True, reply_by__gte=today)),
        answered=Count(
            "id",
            filter=Q(
                opinion__isnull=False,
                application__status=ApplicationStatus.SUBMITTED,
            ),
        ),
    )
    return ConsultationsSent(**totals)


@dataclass(frozen=True)
class ConsulteeWork:
    count: int
    requests: list[ConsultationRequest]  # the nearest reply date first


def consultations_waiting_for_opinion() -> ConsulteeWork:
    """Requests for views without an opinion whose reply date has not
    passed, the nearest first, with the application and its organisation."""
    waiting = ConsultationRequest.objects.filter(opinion__isnull=True, reply_by__gte=clock.today())
    requests = list(
        waiting.select_related("application__organisation").order_by("reply_by", "pk")[:LIST_LENGTH]
    )
    count = len(requests) if len(requests) < LIST_LENGTH else waiting.count()
    return ConsulteeWork(count=count, requests=requests)


@dataclass(frozen=True)
class PayableWork:
    count: int
    total_sek: int
    due_soon: int  # due within DUE_SOON_DAYS, today included
    overdue: int  # due before today: at risk of being paid late


def open_payables() -> PayableWork:
    """One aggregate over the open payables."""
    today = clock.today()
    totals = Payable.objects.filter(status=PayableStatus.OPEN).aggregate(
        count=Count("id"),
        total_sek=Sum("amount_sek", default=0),
        due_soon=Count(
            "id",
            filter=Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)),
        ),
        overdue=Count("id", filter=Q(due_on__lt=today)),
    )
    return PayableWork(**totals)


def batches_awaiting_approval() -> list[PaymentBatch]:
    """Payment batches created and not yet approved, with their creators.
    The start page tells each ekonomi user which of them another must approve."""
    return list(
        PaymentBatch.objects.filter(status=BatchStatus.CREATED)
        .select_related("created_by")
        .order_by("payment_date", "pk")[:LIST_LENGTH]
    )


# Application states in which the organisation has something to do.
ORGANISATION_TODO = (ApplicationStatus.DRAFT, ApplicationStatus.COMPLETION_REQUESTED)


def organisation_applications(organisation_ids) -> list[Application]:
    """The organisations' grant applications that are not withdrawn, those
    needing the organisation first, then the latest: one query with call and
    decision read along."""
    return list(
        Application.objects.filter(organisation_id__in=organisation_ids)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("call", "organisation", "decision")
        .alias(
            needs_organisation=Case(
                When(status__in=ORGANISATION_TODO, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("needs_organisation", "-created_at", "-pk")[:LIST_LENGTH]
    )


def staff_work(user, roles) -> dict:
    """What waits for ``user`` in each of their agency roles ``roles``; the
    permission matrix decides which parts are read at all."""
    from .permissions import StaffAction, staff_can

    work: dict = {}
    if staff_can(roles, StaffAction.HANDLE_OMBUD_APPLICATIONS):
        work["ombud_applications"] = ombud_applications_waiting()
    if staff_can(roles, StaffAction.REDISTRIBUTE):
        work["requisitions"] = requisition_work()
    if staff_can(roles, StaffAction.ASSESS_APPLICATIONS):
        work["to_assess"] = applications_to_assess()
        work["consultations_sent"] = consultations_sent()
    if staff_can(roles, StaffAction.DECIDE_APPLICATIONS):
        work["to_decide"] = proposals_to_decide(user)
    if staff_can(roles, StaffAction.MANAGE_PAYMENTS):
        work["payables"] = open_payables()
        work["batches"] = batches_awaiting_approval()
    if staff_can(roles, StaffAction.FILE_OPINION):
        work["consultations"] = consultations_waiting_for_opinion()
    if staff_can(roles, StaffAction.REVIEW_REPORTS):
        work["reports"] = reports_to_review()
    if staff_can(roles, StaffAction.PROPOSE_RECOVERY):
        work["recovery_to_propose"] = recovery_to_propose(user)
    if staff_can(roles, StaffAction.DECIDE_RECOVERY):
        work["recovery_to_decide"] = recovery_to_decide(user)
    if staff_can(roles, StaffAction.REGISTER_PAYMENTS) or staff_can(
        roles, StaffAction.MANAGE_INVOICES
    ):
        work["recovery_money"] = recovery_money()
    if staff_can(roles, StaffAction.READ_REGIONAL_ROUNDS):
        from fordela.regional.models import SubGrantRound

        work["regional_rounds"] = SubGrantRound.objects.count()
    return work


# ----------------------------------------------------------------- recovery


@dataclass(frozen=True)
class RecoveryToPropose:
    candidates: int  # reports that need a recovery decision and have no proposal
    returned: int  # the user's proposals sent back by a beslutsfattare


def recovery_to_propose(user) -> RecoveryToPropose:
    """For the handläggare: the reports that need a recovery decision
    (``recovery.services.decisions.recovery_candidates``) and the proposals
    sent back to them: two COUNTs."""
    from fordela.recovery.models import RecoveryDecision, RecoveryStatus
    from fordela.recovery.services.decisions import recovery_candidates

    return RecoveryToPropose(
        candidates=recovery_candidates().order_by().count(),
        returned=RecoveryDecision.objects.filter(
            status=RecoveryStatus.RETURNED, proposed_by=user
        ).count(),
    )


@dataclass(frozen=True)
class RecoveryToDecide:
    count: int
    total_sek: int  # what the claims among them would claim back


def recovery_to_decide(user) -> RecoveryToDecide:
    """For the beslutsfattare: recovery proposals waiting for a decision,
    except those ``user`` proposed (one aggregate)."""
    from fordela.recovery.models import RecoveryDecision, RecoveryOutcome, RecoveryStatus

    totals = (
        RecoveryDecision.objects.filter(status=RecoveryStatus.PROPOSED)
        .exclude(proposed_by=user)
        .aggregate(
            count=Count("id"),
            total_sek=Sum("amount_sek", filter=Q(outcome=RecoveryOutcome.CLAIM), default=0),
        )
    )
    return RecoveryToDecide(**totals)


@dataclass(frozen=True)
class RecoveryMoney:
    to_resolve: int  # incoming payments in the queue (unmatched or overpaid)
    to_resolve_sek: int  # what of them is not yet applied or paid back
    overdue: int  # open invoices past their due date
    overdue_sek: int  # what they still claim


def recovery_money() -> RecoveryMoney:
    """For ekonomi: the incoming payments to resolve and the overdue
    invoices (two aggregates)."""
    from fordela.recovery.models import (
        OPEN_INVOICE,
        IncomingPayment,
        IncomingPaymentStatus,
        Invoice,
    )

    payments = IncomingPayment.objects.filter(status=IncomingPaymentStatus.TO_RESOLVE).aggregate(
        to_resolve=Count("id"),
        to_resolve_sek=Sum(
            F("amount_sek") - F("applied_sek") - F("refunded_sek"),
            default=0,
            output_field=BigIntegerField(),
        ),
    )
    invoices = Invoice.objects.filter(status__in=OPEN_INVOICE, due_on__lt=clock.today()).aggregate(
        overdue=Count("id"),
        overdue_sek=Sum(
            F("amount_sek") - F("paid_sek") - F("credited_sek") - F("written_off_sek"),
            default=0,
            output_field=BigIntegerField(),
        ),
    )
    return RecoveryMoney(**payments, **invoices)


def organisation_invoices(organisation_ids) -> list:
    """The organisations' open recovery invoices, the earliest due first,
    with the decision read along (one query)."""
    from fordela.recovery.models import OPEN_INVOICE, Invoice

    return list(
        Invoice.objects.filter(organisation_id__in=organisation_ids, status__in=OPEN_INVOICE)
        .select_related("decision")
        .order_by("due_on", "pk")[:LIST_LENGTH]
    )


@dataclass(frozen=True)
class ReportWork:
    to_review: int  # sent in, waiting for the handläggare
    overdue: int  # not sent in by their due date


def reports_to_review() -> ReportWork:
    """Follow-up reports waiting for review, and those overdue (one query)."""
    totals = Report.objects.aggregate(
        to_review=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
        overdue=Count(
            "id",
            filter=Q(status__in=REPORT_TODO, due_on__lt=clock.today()),
        ),
    )
    return ReportWork(**totals)


# The report statuses where the organisation has something to do.
REPORT_TODO = (ReportStatus.OPEN, ReportStatus.COMPLETION_REQUESTED)


def organisation_reports(organisation_ids) -> list:
    """The organisations' follow-up reports waiting for them (to fill in, or
    to complete), the earliest due first: one query."""
    return list(
        Report.objects.filter(organisation_id__in=organisation_ids, status__in=REPORT_TODO)
        .select_related("pool")
        .order_by("due_on", "pk")[:LIST_LENGTH]
    )


@dataclass(frozen=True)
class OrganisationWork:
    membership: object  # access.models.Membership
    open_pools: list  # requisitions.services.OpenPool: the pool, allocation, requisition
    applications: list[Application]
    reports: list  # reports.models.Report waiting for the organisation
    invoices: list = field(default_factory=list)  # recovery.models.Invoice still open
    # regional.models.SubGrantApplication: applications in regions' own rounds
    regional_applications: list = field(default_factory=list)


def open_pools_by_organisation(organisation_ids) -> dict[int, list]:
    """The requisition pools open today to each of the organisations (what
    ``requisitions.services.open_pools_for`` gives one organisation), for all
    of them in two queries: their allocations in published keys, and their
    requisitions in those pools."""
    from fordela.allocation.models import Allocation
    from fordela.requisitions.services import OpenPool

    today = clock.today()
    allocations = [
        a
        for a in Allocation.objects.filter(
            organisation_id__in=organisation_ids,
            key__status="frozen",
            key__pool__kind=PoolKind.REQUISITION,
            key__pool__closes_on__gte=today,
        )
        .select_related("key__pool__programme_year__programme")
        .order_by("key__pool__closes_on", "key__pool__programme_year__year", "key__pool__slug")
        if not a.key.pool.opens_on or a.key.pool.opens_on <= today
    ]
    existing = {
        (r.organisation_id, r.pool_id): r
        for r in Requisition.objects.filter(
            organisation_id__in=organisation_ids,
            pool__in={a.key.pool_id for a in allocations},
        )
    }
    pools: dict[int, list] = {}
    for a in allocations:
        requisition = existing.get((a.organisation_id, a.key.pool_id))
        pools.setdefault(a.organisation_id, []).append(OpenPool(a.key.pool, a, requisition))
    return pools


def organisation_work(memberships) -> list[OrganisationWork]:
    """For each of the user's organisations, its grants and what each needs
    now: the requisition pools open to it, its grant applications and its
    follow-up reports to send in and its open recovery invoices (five
    queries for all the organisations together)."""
    memberships = list(memberships)
    ids = [m.organisation_id for m in memberships]
    pools = open_pools_by_organisation(ids)
    applications = organisation_applications(ids)
    reports = organisation_reports(ids)
    invoices = organisation_invoices(ids)
    from fordela.regional.services.applying import applications_of

    regional = applications_of(ids, limit=LIST_LENGTH)
    return [
        OrganisationWork(
            membership=m,
            open_pools=pools.get(m.organisation_id, []),
            applications=[a for a in applications if a.organisation_id == m.organisation_id],
            reports=[r for r in reports if r.organisation_id == m.organisation_id],
            invoices=[i for i in invoices if i.organisation_id == m.organisation_id],
            regional_applications=[a for a in regional if a.organisation_id == m.organisation_id],
        )
        for m in memberships
    ]


def published_redistributions() -> list:
    """The confirmed redistributions by programme, the latest year first,
    with the pool's programme year and programme read along (for the public
    links)."""
    from fordela.requisitions.models import Redistribution

    return list(
        Redistribution.objects.select_related("pool__programme_year__programme").order_by(
            "pool__programme_year__programme__reference_number",
            "-pool__programme_year__year",
            "pool__name",
            "pk",
        )
    )


def calls_with_grants() -> list:
    """The published calls with at least one decided application, the
    latest first (for the public links to the lists of grants)."""
    from fordela.applications.models import Call

    return list(
        Call.objects.filter(question_set__isnull=False, decisions__decided_at__isnull=False)
        .distinct()
        .order_by("-opens_on", "pk")
    )


# ----------------------------------------------------------------- regional


@dataclass(frozen=True)
class RegionalWork:
    """What waits for a region's own staff in the rounds the region runs
    (issue 20): per round, what to assess, decide, review and pay."""

    region: Organisation
    roles: frozenset
    rounds: list  # regional.SubGrantRound, annotated with the counts below

    @property
    def may(self) -> dict[str, bool]:
        """What the roles allow, by action name (manage_rounds, assess, …)."""
        from .permissions import REGIONAL_MATRIX, regional_can

        return {action.name.lower(): regional_can(self.roles, action) for action in REGIONAL_MATRIX}


def regional_work(user) -> list[RegionalWork]:
    """The user's regions and their latest rounds, with the
    applications sent in (to assess), the proposals someone else made (to
    decide), the reports sent in (to review) and the invoices recorded (to
    pay). Two queries, however many rounds."""
    from fordela.regional.models import (
        SubGrantInvoiceStatus,
        SubGrantRound,
        SubGrantStatus,
    )

    from .models import RegionalAssignment, RegionalRole

    roles: dict[int, set] = {}
    regions: dict[int, Organisation] = {}
    for assignment in RegionalAssignment.objects.filter(user=user).select_related("region"):
        roles.setdefault(assignment.region_id, set()).add(RegionalRole(assignment.role))
        regions[assignment.region_id] = assignment.region
    if not regions:
        return []
    rounds = (
        SubGrantRound.objects.filter(region__in=regions)
        .annotate(
            to_assess=Count(
                "applications",
                filter=Q(applications__status=SubGrantStatus.SUBMITTED),
                distinct=True,
            ),
            to_decide=Count(
                "applications",
                filter=Q(applications__status=SubGrantStatus.PROPOSED)
                & ~Q(applications__decision__proposed_by=user),
                distinct=True,
            ),
            to_review=Count(
                "decisions__report",
                filter=Q(decisions__report__status=ReportStatus.SUBMITTED),
                distinct=True,
            ),
            to_pay=Count(
                "decisions__report__invoice",
                filter=Q(decisions__report__invoice__status=SubGrantInvoiceStatus.RECORDED),
                distinct=True,
            ),
        )
        .order_by("-programme_year__year", "title")[:LIST_LENGTH]
    )
    by_region: dict[int, list] = {pk: [] for pk in regions}
    for round_ in rounds:
        by_region[round_.region_id].append(round_)
    return [
        RegionalWork(region=regions[pk], roles=frozenset(roles[pk]), rounds=by_region[pk])
        for pk in sorted(regions, key=lambda pk: regions[pk].name)
    ]
