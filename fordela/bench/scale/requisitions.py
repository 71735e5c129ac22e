"""A synthetic programme's years, pools and keys, its requisitions in every
state, and the redistribution of each closed pool that redistributes."""

from collections import defaultdict
from dataclasses import dataclass

from fordela.allocation.models import Allocation, AllocationKey
from fordela.allocation.services import compute_key, freeze_key
from fordela.audit.actions import AuditAction
from fordela.core import case_numbers
from fordela.payments.models import PayableSource
from fordela.programmes.models import Eligibility, Pool, PoolKind, Programme, ProgrammeYear
from fordela.programmes.queries import programme_slug
from fordela.requisitions.demo import _at, demo_bank_giro
from fordela.requisitions.models import (
    Redistribution,
    RedistributionShare,
    Requisition,
    RequisitionStatus,
)
from fordela.requisitions.redistribution import Position, redistribute
from fordela.requisitions.services import _snapshot as requisition_snapshot

from .common import (
    ACTOR,
    BATCH_SIZE,
    DAY,
    SOURCE,
    TODAY,
    YEARS,
    Book,
    D,
    Planned,
    bulk_create_by_month,
    draft_label,
    fill_in,
    moment,
    pick,
    reference_number,
)
from .payments import paid_by_today


@dataclass(frozen=True)
class PoolShape:
    slug: str
    name: str
    kind: str
    eligibility: str
    amount_sek: int
    opens: tuple[int, int] | None = None  # (month, day) in the pool's year
    closes: tuple[int, int] | None = None
    redistributed: bool = False
    top_up_of: str | None = None


# fmt: off
POOLS = [  # a top-up after the pool it tops up
    PoolShape("kommuner", "Kommuner", PoolKind.REQUISITION, Eligibility.MUNICIPALITIES, 75_000_000, (4, 15), (9, 1), True),
    PoolShape("regioner", "Regioner", PoolKind.REQUISITION, Eligibility.REGIONS, 31_500_000, (4, 15), (9, 1), True),
    PoolShape("kommuner-pafyllnad", "Kommuner, påfyllnad", PoolKind.REQUISITION, Eligibility.MUNICIPALITIES, 5_000_000, (5, 2), (10, 1), True, "kommuner"),
    PoolShape("regioner-pafyllnad", "Regioner, påfyllnad", PoolKind.REQUISITION, Eligibility.REGIONS, 6_500_000, (5, 2), (10, 1), True, "regioner"),
    PoolShape("kommuner-kompetens", "Kommuner, kompetensstöd", PoolKind.REQUISITION, Eligibility.MUNICIPALITIES, 10_000_000, (4, 15), (9, 15)),
    PoolShape("regioner-kompetens", "Regioner, kompetensstöd", PoolKind.REQUISITION, Eligibility.REGIONS, 4_000_000, (4, 15), (9, 15)),
    PoolShape("ideella", "Ideella föreningar och stiftelser", PoolKind.APPLICATION, Eligibility.NONPROFITS, 8_000_000),
    PoolShape("stimulans", "Särskilda stimulansmedel", PoolKind.APPLICATION, Eligibility.STIMULUS_RECIPIENTS, 7_000_000),
    PoolShape("myndighet", "Socialstyrelsens kostnader", PoolKind.AGENCY_COST, Eligibility.AGENCY, 4_000_000),
]
# fmt: on

# What becomes of an allocation in a closed pool and in an open one (the
# share left over never starts a requisition).
CLOSED_FATES = [("submitted", 0.90), ("draft", 0.06), ("withdrawn", 0.02)]
OPEN_FATES = [("submitted", 0.40), ("draft", 0.40), ("withdrawn", 0.05)]


def write_programme(book: Book) -> list[Pool]:
    """The programme, its three years and their pools, with the requisition
    pools' keys computed and published by the services."""
    reference = reference_number(book.index)
    scale = 1 + (book.index % 5) / 10  # amounts differ a little between programmes
    decided = moment(D(2020, 3, 12), 10)
    programme = Programme.objects.create(
        reference_number=reference,
        slug=programme_slug(reference),
        title=f"Utvecklingsmedel mot våld i nära relationer, syntetiskt program {book.index}",
        decision_date=decided.date(),
        first_year=YEARS[0],
        last_year=YEARS[-1],
        final_report_due=D(2023, 9, 30),
        description=SOURCE,
    )
    book.audit.add(programme, decided, ACTOR, AuditAction.PROGRAMME_SEEDED)
    pools = []
    for year in YEARS:
        amounts = {shape.slug: int(shape.amount_sek * scale) for shape in POOLS}
        programme_year = ProgrammeYear.objects.create(
            programme=programme, year=year, total_sek=sum(amounts.values()), total_source=SOURCE
        )
        by_slug: dict[str, Pool] = {}
        for shape in POOLS:
            by_slug[shape.slug] = Pool.objects.create(
                programme_year=programme_year,
                slug=shape.slug,
                name=shape.name,
                kind=shape.kind,
                eligibility=shape.eligibility,
                amount_sek=amounts[shape.slug],
                top_up_of=by_slug.get(shape.top_up_of),
                opens_on=D(year, *shape.opens) if shape.opens else None,
                closes_on=D(year, *shape.closes) if shape.closes else None,
                use_until=D(year, 12, 31),
                report_due=D(year + 1, 3, 31),
                allows_redistribution=shape.redistributed,
                source=SOURCE,
            )
        pools += by_slug.values()
    for pool in pools:
        if pool.kind == PoolKind.REQUISITION:
            year = pool.programme_year.year
            with _at(moment(D(year, 3, 20), 10)):
                key = compute_key(pool, actor=ACTOR)
            with _at(moment(D(year, 4, 1), 10)):
                freeze_key(key, actor=ACTOR)
    return pools


def write_requisitions(book: Book, pools: list[Pool]) -> None:
    """The requisitions of every requisition pool, and the redistributions."""
    by_id = {p.pk: p for p in pools if p.kind == PoolKind.REQUISITION}
    allocations = (
        Allocation.objects.filter(key__pool__in=list(by_id))
        .select_related("organisation", "key")
        .order_by("key__pool_id", "code")
    )
    plans = [_requisition(book, by_id[a.key.pool_id], a) for a in allocations]
    plans = [plan for plan in plans if plan]
    book.number([p.case for p in plans if p.submitted], case_numbers.REQUISITIONS)
    bulk_create_by_month(Requisition, [p.case for p in plans], lambda r: r.started.date())
    submitted = defaultdict(dict)
    for plan in plans:
        _requisition_events(book, plan)
        if plan.submitted:
            submitted[plan.case.pool_id][plan.case.organisation_id] = plan.case
    for pool in by_id.values():
        if pool.allows_redistribution and pool.closes_on < TODAY:
            _redistribution(book, pool, submitted[pool.pk])


def _requisition(book: Book, pool: Pool, allocation: Allocation) -> Planned | None:
    rnd = book.rnd
    closed = pool.closes_on < TODAY
    fate = pick(rnd, CLOSED_FATES if closed else OPEN_FATES)
    if fate is None:
        return None
    organisation = allocation.organisation
    ombud = book.world.ombud[organisation.pk]
    opens, last = pool.opens_on, min(pool.closes_on, TODAY - DAY)
    if fate == "submitted" and closed:  # most come in during the last weeks
        day = opens + DAY * int((last - opens).days * rnd.random() ** 0.5)
    elif fate == "submitted":
        # In an open pool: paid (before 20 May), in the approved batch
        # (before 9 June) or still open, a third each.
        first, end = rnd.choice(
            [(opens, D(2022, 5, 19)), (D(2022, 5, 20), D(2022, 6, 8)), (D(2022, 6, 9), last)]
        )
        first = max(first, opens)
        day = first + DAY * rnd.randint(0, max((end - first).days, 0))
    else:
        day = opens + DAY * rnd.randint(0, (last - opens).days)
    submitted = moment(day, rnd.randint(8, 16), rnd.randint(0, 59))
    started = max(submitted - DAY * rnd.uniform(0.02, 20), moment(opens, 8))
    requisition = Requisition(
        organisation=organisation,
        pool=pool,
        allocation=allocation,
        allocation_sek=allocation.amount_sek,
        amount_sek=allocation.amount_sek,
        contact_name=ombud.get_full_name(),
        contact_email=ombud.email,
        bank_giro=organisation.bank_giro,
        created_by=ombud,
    )
    plan = Planned(requisition, started, requisition_snapshot(requisition))
    requisition.started = started
    full = allocation.amount_sek
    amount = full if rnd.random() < 0.8 else max(1, int(full * rnd.uniform(0.5, 0.95)))
    code = allocation.code
    steps = [
        {
            "contact_name": f"Kontaktperson {organisation.name}",
            "contact_email": f"kontakt@{code}.skala.fordela.example",
            "contact_phone": f"010-{code}00",
        },
        {
            "bank_giro": demo_bank_giro(organisation),
            "amount_sek": amount,
            "wants_redistribution": amount == full and rnd.random() < 0.5,
        },
        {"conditions_confirmed": True},
    ]
    saved = rnd.randint(0, 2)
    for before, after in fill_in(requisition, requisition_snapshot, steps[:saved]):
        plan.saves.append((started + (submitted - started) * rnd.random(), before, after))
    if fate == "withdrawn":
        plan.withdrawn = started + (submitted - started) * rnd.uniform(0.5, 1)
        requisition.status = RequisitionStatus.WITHDRAWN
    elif fate == "submitted":
        plan.before_submit = requisition_snapshot(requisition)
        fill_in(requisition, requisition_snapshot, steps[saved:])
        plan.submitted = requisition.submitted_at = submitted
        requisition.submitted_by = ombud
        requisition.status = (
            RequisitionStatus.PAID if paid_by_today(day) else RequisitionStatus.SUBMITTED
        )
    return plan


def _requisition_events(book: Book, plan: Planned) -> None:
    requisition, ombud = plan.case, plan.case.created_by
    as_draft = book.audit.on(requisition, label=draft_label(requisition))
    as_draft(plan.started, ombud, AuditAction.REQUISITION_STARTED, after=plan.first_state)
    for when, before, after in plan.saves:
        as_draft(when, ombud, AuditAction.REQUISITION_DRAFT_SAVED, before=before, after=after)
    now = requisition_snapshot(requisition)
    if plan.withdrawn:
        before = now | {"status": str(RequisitionStatus.DRAFT)}
        as_draft(plan.withdrawn, ombud, AuditAction.REQUISITION_WITHDRAWN, before=before, after=now)
    if plan.submitted:
        book.audit.add(
            requisition,
            plan.submitted,
            ombud,
            AuditAction.REQUISITION_SUBMITTED,
            before=plan.before_submit,
            after=now | {"status": str(RequisitionStatus.SUBMITTED)},
        )
        reference = f"requisition:{requisition.pk}"
        book.owe(
            PayableSource.REQUISITION,
            reference,
            requisition,
            requisition.amount_sek,
            plan.submitted,
            requisition=requisition,
        )


def _redistribution(book: Book, pool: Pool, requisitions: dict[int, Requisition]) -> None:
    """Confirmed a week after the last day, as ``confirm_redistribution`` does."""
    key = AllocationKey.objects.get(pool=pool)
    allocations = list(key.allocations.select_related("organisation").order_by("code"))
    positions = []
    for allocation in allocations:
        requisition = requisitions.get(allocation.organisation_id)
        positions.append(
            Position(
                code=allocation.code,
                population=allocation.population,
                allocation_sek=allocation.amount_sek,
                requisitioned_sek=requisition.amount_sek if requisition else 0,
                opted_in=bool(requisition and requisition.wants_redistribution),
            )
        )
    outcome = redistribute(positions)
    confirmed = moment(pool.closes_on + 7 * DAY, 10)
    redistribution = Redistribution.objects.create(
        pool=pool,
        allocated_sek=outcome.allocated_sek,
        requisitioned_sek=outcome.requisitioned_sek,
        unrequisitioned_sek=outcome.unrequisitioned_sek,
        redistributed_sek=outcome.redistributed_sek,
        unallocated_sek=outcome.unallocated_sek,
        population_date=key.population_date,
        confirmed_at=confirmed,
        confirmed_by=book.world.handlaggare,
    )
    shares = RedistributionShare.objects.bulk_create(
        [
            RedistributionShare(
                redistribution=redistribution,
                requisition=requisitions[allocation.organisation_id],
                organisation=allocation.organisation,
                code=allocation.code,
                population=allocation.population,
                amount_sek=outcome.shares[allocation.code],
            )
            for allocation in allocations
            if allocation.code in outcome.shares
        ],
        batch_size=BATCH_SIZE,
    )
    for share in shares:
        if share.amount_sek > 0:
            reference = f"redistribution-share:{share.pk}"
            book.owe(
                PayableSource.REDISTRIBUTION,
                reference,
                share.requisition,
                share.amount_sek,
                confirmed,
                redistribution_share=share,
            )
    totals = {
        "allocated_sek": outcome.allocated_sek,
        "requisitioned_sek": outcome.requisitioned_sek,
        "unrequisitioned_sek": outcome.unrequisitioned_sek,
        "redistributed_sek": outcome.redistributed_sek,
        "unallocated_sek": outcome.unallocated_sek,
        "recipients": len(outcome.shares),
    }
    book.audit.add(
        redistribution,
        confirmed,
        book.world.handlaggare,
        AuditAction.REDISTRIBUTION_CONFIRMED,
        after=totals,
    )
