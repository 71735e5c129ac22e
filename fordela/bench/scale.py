"""Synthetic data at scale (``manage.py generate_scale_data --factor N``;
``make bench-scale``, issue 15).

Factor 1 is the demo as ``make demo-data`` leaves it. Factor N adds N − 1
programmes shaped like S2020/01591 (``S2020/90002``, ``S2020/90003`` …), each
over the same three years, the real 290 kommuner and 21 regioner, and the
demo's day (15 June 2022):

* six requisition pools a year (kommuner and regioner, each with a top-up and
  a competence pool) with published allocation keys. 2020 and 2021 are
  closed: requisitioned, redistributed and paid, with drafts and withdrawn
  drafts left behind; 2022 is open, with drafts, withdrawn drafts and
  submitted requisitions that are paid, in an approved batch or still open;
* an NGO call and a stimulus call a year, with applications from 400
  synthetic NGOs and from the länsstyrelser and universities: attachments,
  scores, risk checks, completion requests, consultations with opinions,
  proposals and decisions, and a payable for each grant;
* a payment batch a month of each programme's payables (one of them first
  made and cancelled; the last approved and not yet paid);
* the audit events the services would have written, at the moments they
  would have written them.

A programme is about 2 650 requisitions, 1 050 applications, 3 300 payables
and 29 000 audit events. Rows are made in memory and written with
``bulk_create``, a month at a time with the clock moved to it (the models'
created and updated times come from the clock), and the audit events with
COPY (``bulk_create`` would give them all one time). Only the keys and the
calls go through their services, once per pool or call. PostgreSQL only.
"""

import bisect
import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from stdnum import luhn

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.allocation.models import Allocation, AllocationKey
from fordela.allocation.services import compute_key, freeze_key
from fordela.applications import demo as application_demo
from fordela.applications.calls import add_question, create_call, draft_set, publish_question_set
from fordela.applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CompletionRequest,
    ConsultationOutcome,
    ConsultationRequest,
    Decision,
    Opinion,
    Outcome,
    QuestionKind,
    Recommendation,
    RiskCheck,
    Score,
)
from fordela.applications.services.applying import _snapshot as application_snapshot
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core import case_numbers
from fordela.core.clock import STOCKHOLM
from fordela.core.models import CaseNumberCounter
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.payments.models import (
    BatchStatus,
    Payable,
    PayableSource,
    PayableStatus,
    PaymentBatch,
    PaymentBatchItem,
)
from fordela.payments.working_days import payment_due_date
from fordela.programmes.models import Eligibility, Pool, PoolKind, Programme, ProgrammeYear
from fordela.programmes.queries import programme_slug
from fordela.requisitions.demo import OPEN_TODAY, _at, _staff, demo_bank_giro
from fordela.requisitions.models import (
    Redistribution,
    RedistributionShare,
    Requisition,
    RequisitionStatus,
)
from fordela.requisitions.redistribution import Position, redistribute
from fordela.requisitions.services import _snapshot as requisition_snapshot

D = datetime.date
DAY = datetime.timedelta(days=1)
ACTOR = "generate_scale_data"
REFERENCE_PREFIX = "S2020/9"  # S2020/90002 …: never a dnr of the demo
YEARS = (2020, 2021, 2022)
TODAY = OPEN_TODAY  # the demo's day: 2020 and 2021 are past, 2022 is open
BATCH_SIZE = 2000
NGO_KEY_PREFIX = "skala-ngo-"
NGO_COUNT = 400
ATTACHMENT_NAME = "applications/skala/bilaga.pdf"
SOURCE = "Syntetiska data (generate_scale_data)"


class ScaleDataError(Exception):
    """The data cannot be generated here; the message says why."""


# ------------------------------------------------------------- the shape


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

# What becomes of a requisition in a closed pool and in an open one (the
# rest of the organisations never start one).
CLOSED_FATES = [("submitted", 0.90), ("draft", 0.06), ("withdrawn", 0.02)]
OPEN_FATES = [("submitted", 0.40), ("draft", 0.40), ("withdrawn", 0.05)]
# An application to a decided call, and to one of 2022 on the demo's day.
DECIDED_CALL_FATES = [(ApplicationStatus.DECIDED, 0.95), (ApplicationStatus.DRAFT, 0.05)]
OPEN_CALL_FATES = [
    (ApplicationStatus.DECIDED, 0.55),
    (ApplicationStatus.PROPOSED, 0.15),
    (ApplicationStatus.SUBMITTED, 0.18),
    (ApplicationStatus.COMPLETION_REQUESTED, 0.06),
    (ApplicationStatus.DRAFT, 0.06),
]

# Payment batches: one on the 20th of each month up to the last before the
# demo's day, all paid; then one approved on 9 June 2022 for 20 June, not yet
# paid. What arrives later is still open.
PAID_BATCH_DAYS = [
    D(year, month, 20) for year in YEARS for month in range(1, 13) if D(year, month, 20) < TODAY
]
APPROVED_BATCH_MADE = D(2022, 6, 9)
APPROVED_BATCH_PAYS = D(2022, 6, 20)
CANCELLED_BATCH_DAY = D(2021, 6, 20)  # first made and cancelled, then made again


def batch_day(received_on: D) -> D | None:
    """The payment date of the batch that pays what was received on
    ``received_on`` (None: still open on the demo's day)."""
    index = bisect.bisect_right(PAID_BATCH_DAYS, received_on)
    if index < len(PAID_BATCH_DAYS):
        return PAID_BATCH_DAYS[index]
    return APPROVED_BATCH_PAYS if received_on < APPROVED_BATCH_MADE else None


def reference_number(index: int) -> str:
    return f"{REFERENCE_PREFIX}{index:04d}"


# ----------------------------------------------------------------- helpers


def moment(day: D, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def pick(rnd: random.Random, shares: list[tuple[object, float]]):
    """One of the outcomes by its share; None for the share left over."""
    chance = rnd.random()
    for outcome, share in shares:
        if chance < share:
            return outcome
        chance -= share
    return None


def bulk_create_by_month(model, rows: list, day_of: Callable) -> None:
    """``bulk_create`` a month's rows at a time with the clock on the first of
    their days, so that the created and updated times the clock stamps fall
    in the right month (a day at a time would be 400 round trips a table)."""
    groups = defaultdict(list)
    for row in rows:
        day = day_of(row)
        groups[day.year, day.month].append((day, row))
    for _month, group in sorted(groups.items()):
        with _at(moment(min(day for day, _row in group))):
            model.objects.bulk_create([row for _day, row in group], batch_size=BATCH_SIZE)


def draft_label(case) -> str:
    """What the case was called before it had a case number."""
    number, case.case_number = case.case_number, None
    try:
        return str(case)[:300]
    finally:
        case.case_number = number


def fill_in(case, snapshot: Callable, steps: list[dict]) -> list[tuple[dict, dict]]:
    """Apply each step's field values to ``case`` in turn; returns what
    ``record_changes`` keeps of each: the changed fields before and after."""
    changes = []
    for step in steps:
        before = snapshot(case)
        for name, value in step.items():
            setattr(case, name, value)
        after = snapshot(case)
        changed = [key for key in after if after[key] != before.get(key)]
        if changed:
            changes.append(({k: before[k] for k in changed}, {k: after[k] for k in changed}))
    return changes


def status(before: str, after: str, **more) -> dict:
    """The before and after of a status change, as the services record it."""
    return {"before": {"status": str(before)}, "after": {"status": str(after), **more}}


class AuditRows:
    """Audit events as ``audit.services.record`` writes them, each at the
    moment it happened; written with COPY."""

    COLUMNS = (
        "created_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "before",
        "after",
    )

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, obj, when, actor, action, *, before=None, after=None, label=None) -> None:
        user = None if isinstance(actor, str) else actor
        name = actor if user is None else (user.get_full_name() or user.get_username())
        self.rows.append(
            (
                when,
                user.pk if user else None,
                name[:200],
                AuditAction(action).value,
                obj._meta.label_lower,
                str(obj.pk),
                label or str(obj)[:300],
                None if before is None else json.dumps(before),
                None if after is None else json.dumps(after),
            )
        )

    def on(self, obj, **label) -> Callable:
        """``add`` for one object."""
        return partial(self.add, obj, **label)

    def write(self) -> None:
        columns = ", ".join(AuditEvent._meta.get_field(name).column for name in self.COLUMNS)
        sql = f"COPY {AuditEvent._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.rows = []


# ------------------------------------------------------------------- world


@dataclass
class World:
    """What every programme shares: the staff, the applicants and the ombud."""

    handlaggare: object
    beslutsfattare: object
    ekonomi: object
    approver: object
    consultee: object
    ngos: list[Organisation]
    stimulus_applicants: list[Organisation]
    ombud: dict[int, object]

    @classmethod
    def load(cls) -> "World":
        try:
            staff = _staff()  # handläggare, ekonomi and the demo's second ekonomi
        except RuntimeError as missing:
            raise ScaleDataError(f"{missing} (the scale data builds on the demo data)") from None

        def holder(role):
            found = StaffAssignment.objects.filter(role=role).order_by("user_id").first()
            if found is None:
                raise ScaleDataError(f"No {role} user: run seed_demo_users first.")
            return found.user

        kommuner = list(
            Organisation.objects.filter(municipality_code__isnull=False).order_by(
                "municipality_code"
            )
        )
        if not kommuner:
            raise ScaleDataError("No kommuner: run load_reference_data first.")
        ngos = _synthetic_ngos(kommuner)
        stimulus = list(
            Organisation.objects.filter(
                kind__in=[OrganisationKind.LANSSTYRELSE, OrganisationKind.UNIVERSITY]
            ).order_by("reference_key")
        )
        regions = Organisation.objects.filter(region_county_code__isnull=False)
        everyone = {o.pk: o for o in [*kommuner, *regions, *ngos, *stimulus]}
        return cls(
            handlaggare=staff.handlaggare,
            beslutsfattare=holder(StaffRole.BESLUTSFATTARE),
            ekonomi=staff.ekonomi,
            approver=staff.approver,
            consultee=holder(StaffRole.CONSULTEE),
            ngos=ngos,
            stimulus_applicants=stimulus,
            ombud=_ombud(list(everyone.values())),
        )


def _synthetic_ngos(kommuner: list[Organisation]) -> list[Organisation]:
    """400 NGOs named after the kommuner they work in (made once)."""
    existing = {
        o.reference_key: o
        for o in Organisation.objects.filter(reference_key__startswith=NGO_KEY_PREFIX)
    }
    new = []
    for n in range(1, NGO_COUNT + 1):
        key = f"{NGO_KEY_PREFIX}{n:03d}"
        if key in existing:
            continue
        kommun = kommuner[(n - 1) % len(kommuner)]
        if n % 7 == 0:
            kind, name = OrganisationKind.FOUNDATION, f"Stiftelsen Trygg i {kommun.name}"
        else:
            word = "Kvinnojouren" if n <= len(kommuner) else "Tjejjouren"
            kind, name = OrganisationKind.NONPROFIT, f"{word} i {kommun.name}"
        seven = f"7{n:06d}"
        new.append(
            Organisation(
                name=f"{name} (syntetisk)",
                kind=kind,
                reference_key=key,
                county_code=kommun.county_code,
                county_name=kommun.county_name,
                bank_giro=seven + luhn.calc_check_digit(seven),
                email=f"info@{key}.skala.fordela.example",
            )
        )
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return sorted([*existing.values(), *new], key=lambda o: o.reference_key)


def _ombud(organisations: list[Organisation]) -> dict[int, object]:
    """Each organisation's ombud; one without a usable password is made for
    an organisation that has none (the synthetic NGOs, most länsstyrelser)."""
    User = get_user_model()
    ombud = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(
            role=OrganisationRole.OMBUD, organisation__in=organisations
        ).select_related("user")
    }
    missing = [o for o in organisations if o.pk not in ombud]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"ombud-{o.reference_key}"[:150],
                first_name="Ombud",
                last_name=o.name[:150],
                email=f"ombud-{o.reference_key}@skala.fordela.example",
                password=unusable,
            )
            for o in missing
        ],
        batch_size=BATCH_SIZE,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=o, role=OrganisationRole.OMBUD)
            for user, o in zip(users, missing, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return ombud | {o.pk: user for user, o in zip(users, missing, strict=True)}


# --------------------------------------------------------------- programme


@dataclass
class Planned:
    """A case (requisition or application) and when its steps happened."""

    case: object
    started: datetime.datetime
    first_state: dict
    saves: list[tuple[datetime.datetime, dict, dict]] = field(default_factory=list)
    before_submit: dict | None = None
    submitted: datetime.datetime | None = None
    withdrawn: datetime.datetime | None = None


class ProgrammeData:
    """One synthetic programme, made in memory and written in one transaction."""

    def __init__(self, world: World, index: int, seed: int):
        self.world = world
        self.index = index
        self.rnd = random.Random(seed * 100_003 + index)
        self.audit = AuditRows()
        # (payable, its requisition or None): written last, with the batches.
        self.payables: list[tuple[Payable, Requisition | None]] = []

    def write(self) -> None:
        pools = self._programme()
        self._keys(pools)
        requisitions = self._requisitions(pools)
        self._redistributions(pools, requisitions)
        for pool in pools:
            if pool.kind == PoolKind.APPLICATION:
                ApplicationsOfCall(self, self._call(pool)).write()
        self._payments()
        self.audit.write()

    def number(self, cases: list, series: str) -> None:
        """Case numbers in order of submission, drawn from the counters the
        services draw from (``core.case_numbers``), which move on past them."""
        by_year = defaultdict(list)
        for case in sorted(cases, key=lambda c: c.submitted_at):
            by_year[case.submitted_at.year].append(case)
        for year, group in sorted(by_year.items()):
            counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
                year=year, series=series
            )
            for number, case in enumerate(group, start=counter.last_number + 1):
                case.case_number = case_numbers.format_case_number(year, series, number)
            counter.last_number += len(group)
            counter.save(update_fields=["last_number"])

    def owe(self, source: str, reference: str, case, amount: int, when, **source_object) -> None:
        """A payable for ``case`` (a requisition or an application), received
        at ``when``; written with the batches."""
        requisition = case if isinstance(case, Requisition) else None
        payable = Payable(
            source=source,
            reference=reference,
            organisation=case.organisation,
            pool=case.pool if requisition else case.call.pool,
            case_number=case.case_number,
            amount_sek=amount,
            bank_giro=case.bank_giro,
            received_on=when.date(),
            due_on=payment_due_date(when.date()),
            **source_object,
        )
        payable.when = when
        self.payables.append((payable, requisition))

    # --- programme, years, pools and keys

    def _programme(self) -> list[Pool]:
        reference = reference_number(self.index)
        scale = 1 + (self.index % 5) / 10  # amounts differ a little between programmes
        decided = moment(D(2020, 3, 12), 10)
        programme = Programme.objects.create(
            reference_number=reference,
            slug=programme_slug(reference),
            title=f"Utvecklingsmedel mot våld i nära relationer, syntetiskt program {self.index}",
            decision_date=decided.date(),
            first_year=YEARS[0],
            last_year=YEARS[-1],
            final_report_due=D(2023, 9, 30),
            description=SOURCE,
        )
        self.audit.add(programme, decided, ACTOR, AuditAction.PROGRAMME_SEEDED)
        pools = []
        for year in YEARS:
            amounts = {shape.slug: int(shape.amount_sek * scale) for shape in POOLS}
            programme_year = ProgrammeYear.objects.create(
                programme=programme, year=year, total_sek=sum(amounts.values()), total_source=SOURCE
            )
            by_slug: dict[str, Pool] = {}
            for shape in POOLS:  # a top-up after the pool it tops up
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
        return pools

    def _keys(self, pools: list[Pool]) -> None:
        """Each requisition pool's key, computed and published by the services."""
        for pool in pools:
            if pool.kind == PoolKind.REQUISITION:
                year = pool.programme_year.year
                with _at(moment(D(year, 3, 20), 10)):
                    key = compute_key(pool, actor=ACTOR)
                with _at(moment(D(year, 4, 1), 10)):
                    freeze_key(key, actor=ACTOR)

    # --- requisitions

    def _requisitions(self, pools: list[Pool]) -> list[Planned]:
        by_id = {p.pk: p for p in pools if p.kind == PoolKind.REQUISITION}
        allocations = (
            Allocation.objects.filter(key__pool__in=list(by_id))
            .select_related("organisation", "key")
            .order_by("key__pool_id", "code")
        )
        plans = [self._requisition(by_id[a.key.pool_id], a) for a in allocations]
        plans = [plan for plan in plans if plan]
        self.number([p.case for p in plans if p.submitted], case_numbers.REQUISITIONS)
        bulk_create_by_month(Requisition, [p.case for p in plans], lambda r: r.started.date())
        for plan in plans:
            self._requisition_events(plan)
        return plans

    def _requisition(self, pool: Pool, allocation: Allocation) -> Planned | None:
        rnd = self.rnd
        closed = pool.closes_on < TODAY
        fate = pick(rnd, CLOSED_FATES if closed else OPEN_FATES)
        if fate is None:
            return None
        organisation = allocation.organisation
        ombud = self.world.ombud[organisation.pk]
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
            paid_on = batch_day(day)
            paid = paid_on is not None and paid_on <= PAID_BATCH_DAYS[-1]
            requisition.status = RequisitionStatus.PAID if paid else RequisitionStatus.SUBMITTED
        return plan

    def _requisition_events(self, plan: Planned) -> None:
        requisition, ombud = plan.case, plan.case.created_by
        as_draft = self.audit.on(requisition, label=draft_label(requisition))
        as_draft(plan.started, ombud, AuditAction.REQUISITION_STARTED, after=plan.first_state)
        for when, before, after in plan.saves:
            as_draft(when, ombud, AuditAction.REQUISITION_DRAFT_SAVED, before=before, after=after)
        now = requisition_snapshot(requisition)
        if plan.withdrawn:
            before = now | {"status": str(RequisitionStatus.DRAFT)}
            as_draft(
                plan.withdrawn, ombud, AuditAction.REQUISITION_WITHDRAWN, before=before, after=now
            )
        if plan.submitted:
            self.audit.add(
                requisition,
                plan.submitted,
                ombud,
                AuditAction.REQUISITION_SUBMITTED,
                before=plan.before_submit,
                after=now | {"status": str(RequisitionStatus.SUBMITTED)},
            )
            reference = f"requisition:{requisition.pk}"
            self.owe(
                PayableSource.REQUISITION,
                reference,
                requisition,
                requisition.amount_sek,
                plan.submitted,
                requisition=requisition,
            )

    # --- redistributions

    def _redistributions(self, pools: list[Pool], plans: list[Planned]) -> None:
        submitted = defaultdict(dict)
        for plan in plans:
            if plan.submitted:
                submitted[plan.case.pool_id][plan.case.organisation_id] = plan.case
        for pool in pools:
            if pool.allows_redistribution and pool.closes_on < TODAY:
                self._redistribution(pool, submitted[pool.pk])

    def _redistribution(self, pool: Pool, requisitions: dict[int, Requisition]) -> None:
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
            confirmed_by=self.world.handlaggare,
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
                self.owe(
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
        self.audit.add(
            redistribution,
            confirmed,
            self.world.handlaggare,
            AuditAction.REDISTRIBUTION_CONFIRMED,
            after=totals,
        )

    # --- calls

    def _call(self, pool: Pool) -> Call:
        """The year's call, made and published by the services as seed_calls does."""
        demo, year = application_demo, pool.programme_year.year
        if pool.slug == "ideella":
            opens, closes = D(year - 1, 10, 18), D(year - 1, 12, 21)
            questions = demo.NGO_QUESTIONS
            fields = {
                "title": f"Utvecklingsmedel {year} för ideella föreningar och stiftelser",
                "decision_expected": f"februari {year}",
                "eligible_kinds": [OrganisationKind.NONPROFIT, OrganisationKind.FOUNDATION],
                "conditions": demo.NGO_CONDITIONS,
                "attachment_checklist": demo.NGO_ATTACHMENTS,
                "criteria": demo.NGO_CRITERIA,
            }
        else:
            opens, closes = D(year - 1, 11, 1), D(year, 1, 31)
            questions = demo.STIMULUS_QUESTIONS
            fields = {
                "title": f"Särskilda stimulansmedel {year}",
                "decision_expected": f"mars {year}",
                "eligible_kinds": [OrganisationKind.LANSSTYRELSE, OrganisationKind.UNIVERSITY],
                "conditions": demo.STIMULUS_CONDITIONS,
                "attachment_checklist": demo.STIMULUS_ATTACHMENTS,
                "criteria": demo.STIMULUS_CRITERIA,
                "needs_consultation": True,
            }
        fields["title"] += f" (syntetiskt program {self.index})"
        fields["conditions"] = (
            fields["conditions"].replace("2023", str(year + 1)).replace("2022", str(year))
        )
        with _at(moment(opens - 14 * DAY, 10)):
            call = create_call(
                ACTOR, pool, opens_on=opens, closes_on=closes, report_due=pool.report_due, **fields
            )
            question_set = draft_set(call)
            for spec in questions:
                add_question(ACTOR, question_set, **dict(spec))
            publish_question_set(ACTOR, question_set)
        call.refresh_from_db()
        call.pool = pool  # refresh_from_db forgets it
        return call

    # --- payments

    def _payments(self) -> None:
        by_day = defaultdict(list)
        for payable, requisition in self.payables:
            by_day[batch_day(payable.received_on)].append((payable, requisition))
        days = sorted(day for day in by_day if day is not None)
        taken = defaultdict(int)  # the batches already paid on each day (the demo's)
        for day in PaymentBatch.objects.filter(payment_date__in=days).values_list(
            "payment_date", flat=True
        ):
            taken[day] += 1
        batches = []  # (batch, its payables, released)
        for day in days:
            rows = sorted(by_day[day], key=lambda row: (row[0].due_on, row[0].received_on))
            if day == CANCELLED_BATCH_DAY:
                batches.append(
                    (self._batch(day, 8, rows, BatchStatus.CANCELLED, taken), rows, True)
                )
            state = BatchStatus.APPROVED if day == APPROVED_BATCH_PAYS else BatchStatus.PAID
            batches.append((self._batch(day, 9, rows, state, taken), rows, False))
        PaymentBatch.objects.bulk_create([batch for batch, _rows, _released in batches])
        for batch, rows, released in batches:
            if released:
                continue
            for payable, _requisition in rows:
                if batch.status == BatchStatus.PAID:
                    payable.status = PayableStatus.PAID
                    payable.paid_on, payable.paid_batch = batch.payment_date, batch
                else:
                    payable.status = PayableStatus.BATCHED
        payables = [payable for payable, _requisition in self.payables]
        bulk_create_by_month(Payable, payables, lambda p: p.received_on)
        PaymentBatchItem.objects.bulk_create(
            [
                PaymentBatchItem(batch=batch, payable=p, amount_sek=p.amount_sek, released=released)
                for batch, rows, released in batches
                for p, _requisition in rows
            ],
            batch_size=BATCH_SIZE,
        )
        for payable in payables:
            after = {"amount_sek": payable.amount_sek, "due_on": payable.due_on.isoformat()}
            self.audit.add(
                payable, payable.when, "system", AuditAction.PAYABLE_CREATED, after=after
            )
        for batch, rows, released in batches:
            self._batch_events(batch, rows, released)

    def _batch(self, day: D, hour: int, rows, state: str, taken: dict) -> PaymentBatch:
        """A batch as ``create_batch`` makes it and the others move it along:
        made and approved in the morning, confirmed paid in the afternoon."""
        world = self.world
        taken[day] += 1
        made = moment(APPROVED_BATCH_MADE if state == BatchStatus.APPROVED else day, hour)
        approved = state in (BatchStatus.APPROVED, BatchStatus.PAID)
        return PaymentBatch(
            reference=f"FRD-{day:%Y%m%d}-{taken[day]:03d}",
            payment_date=day,
            status=state,
            total_sek=sum(payable.amount_sek for payable, _requisition in rows),
            item_count=len(rows),
            created_at=made,
            created_by=world.ekonomi,
            approved_at=made + datetime.timedelta(minutes=5) if approved else None,
            approved_by=world.approver if approved else None,
            confirmed_at=moment(day, 15) if state == BatchStatus.PAID else None,
            confirmed_by=world.ekonomi if state == BatchStatus.PAID else None,
        )

    def _batch_events(self, batch: PaymentBatch, rows, released: bool) -> None:
        world, made, event = self.world, batch.created_at, self.audit.on(batch)
        payables = [payable.pk for payable, _requisition in rows]
        created = {"payment_date": batch.payment_date.isoformat(), "total_sek": batch.total_sek}
        event(
            made,
            world.ekonomi,
            AuditAction.PAYMENT_BATCH_CREATED,
            after=created | {"payables": payables},
        )
        if released:
            cancelled = status(BatchStatus.CREATED, BatchStatus.CANCELLED)
            later = made + datetime.timedelta(minutes=30)
            event(later, world.ekonomi, AuditAction.PAYMENT_BATCH_CANCELLED, **cancelled)
            return
        approved = status(BatchStatus.CREATED, BatchStatus.APPROVED)
        event(batch.approved_at, world.approver, AuditAction.PAYMENT_BATCH_APPROVED, **approved)
        exported = {"format": "pain001", "payments": batch.item_count, "total_sek": batch.total_sek}
        event(batch.approved_at, world.ekonomi, AuditAction.PAYMENT_BATCH_EXPORTED, after=exported)
        if batch.status != BatchStatus.PAID:
            return
        paid = status(RequisitionStatus.SUBMITTED, RequisitionStatus.PAID, batch=batch.reference)
        for payable, requisition in rows:
            if payable.source == PayableSource.REQUISITION:
                self.audit.add(
                    requisition,
                    batch.confirmed_at,
                    world.ekonomi,
                    AuditAction.REQUISITION_PAID,
                    **paid,
                )
        confirmed = status(BatchStatus.APPROVED, BatchStatus.PAID)
        event(batch.confirmed_at, world.ekonomi, AuditAction.PAYMENT_BATCH_PAID, **confirmed)


# ------------------------------------------------------------ applications

TEXT = (
    "Verksamheten ger stöd, skydd och rådgivning till våldsutsatta kvinnor och barn i kommunen. "
    "Medlen ska användas till att utveckla jourtelefonen, utbilda volontärer och följa upp "
    "insatserna tillsammans med socialtjänsten. "
)
REASONS = {
    Outcome.GRANTED: "Ansökan uppfyller kriterierna och ryms i budgeten.",
    Outcome.PARTIAL: "Aktiviteterna bedöms delvis rymmas i budgeten.",
    Outcome.REFUSED: "Ansökan bedöms inte uppfylla kriterierna i tillräcklig grad.",
}


class ApplicationsOfCall:
    """The applications to one call, from start to decision."""

    def __init__(self, programme: ProgrammeData, call: Call):
        self.programme, self.call = programme, call
        self.world, self.rnd, self.audit = programme.world, programme.rnd, programme.audit
        self.questions = list(call.question_set.questions.all())
        self.stimulus = call.needs_consultation
        if self.stimulus:
            applicants, chance = self.world.stimulus_applicants, 0.8
        else:
            applicants, chance = self.world.ngos, 0.85
        self.applicants = [o for o in applicants if self.rnd.random() < chance]
        decided = call.pool.programme_year.year < TODAY.year  # 2022's are still being worked on
        self.fates = DECIDED_CALL_FATES if decided else OPEN_CALL_FATES
        self.rows = defaultdict(list)  # model → rows to write
        self.granted = 0

    def write(self) -> None:
        plans = [self._plan(organisation) for organisation in self.applicants]
        self.programme.number([p.case for p in plans if p.submitted], case_numbers.APPLICATIONS)
        bulk_create_by_month(Application, [p.case for p in plans], lambda a: a.started.date())
        if not default_storage.exists(ATTACHMENT_NAME):
            default_storage.save(ATTACHMENT_NAME, ContentFile(application_demo.DEMO_PDF))
        for plan in plans:
            self._applying_events(plan)
            if plan.submitted:
                self._assess(plan.case)
        rows = self.rows
        for model in (Attachment, Score, RiskCheck):
            bulk_create_by_month(model, rows[model], lambda row: row.day)
        for model in (CompletionRequest, ConsultationRequest, Opinion, Decision):
            model.objects.bulk_create(rows[model], batch_size=BATCH_SIZE)
        for decision in rows[Decision]:
            if decision.decided_at and decision.amount_sek > 0:
                reference = f"grant:{decision.pk}"
                self.programme.owe(
                    PayableSource.GRANT,
                    reference,
                    decision.application,
                    decision.amount_sek,
                    decision.decided_at,
                )

    def _plan(self, organisation: Organisation) -> Planned:
        rnd, call = self.rnd, self.call
        ombud = self.world.ombud[organisation.pk]
        start_day = call.opens_on + DAY * rnd.randint(0, (call.closes_on - call.opens_on).days)
        started = moment(start_day, rnd.randint(8, 15), rnd.randint(0, 59))
        submit_day = start_day + DAY * rnd.randint(0, min(14, (call.closes_on - start_day).days))
        submitted = moment(submit_day, 16, rnd.randint(0, 59))
        application = Application(
            call=call,
            organisation=organisation,
            question_set=call.question_set,
            contact_name=ombud.get_full_name(),
            contact_email=ombud.email,
            bank_giro=organisation.bank_giro,
            created_by=ombud,
        )
        plan = Planned(application, started, application_snapshot(application))
        application.started = started
        application.fate = pick(rnd, self.fates) or ApplicationStatus.DRAFT
        step = 10_000 if self.stimulus else 1_000
        requested = step * rnd.randint(10, 60)
        personnel = requested * 6 // 10 // step * step
        activities = (requested - personnel) // 2
        titles = ["Stöd till våldsutsatta", "Jourverksamhet", "Barn i fokus"]
        steps = [
            {"project_title": rnd.choice(titles)},
            {
                "requested_sek": requested,
                "budget_personnel_sek": personnel,
                "budget_activities_sek": activities,
                "budget_other_sek": requested - personnel - activities,
                "other_public_funding": "Kommunalt föreningsbidrag",
            },
            {"answers": self._answers()},
            {"truth_declared": True},
        ]
        sent_in = application.fate != ApplicationStatus.DRAFT
        saved = 3 if sent_in else rnd.randint(0, 3)
        for before, after in fill_in(application, application_snapshot, steps[:saved]):
            plan.saves.append((started + (submitted - started) * rnd.random(), before, after))
        if sent_in:
            plan.before_submit = application_snapshot(application)
            fill_in(application, application_snapshot, steps[saved:])
            plan.submitted = application.submitted_at = submitted
            application.submitted_by = ombud
            application.status = application.fate
        return plan

    def _answers(self) -> dict:
        answers = {}
        for question in self.questions:
            if question.kind == QuestionKind.CHOICE:
                answers[question.key] = self.rnd.choice(question.choices)
            elif question.kind == QuestionKind.NUMBER:
                answers[question.key] = str(self.rnd.randint(10, 2000))
            elif question.kind == QuestionKind.DATE:
                answers[question.key] = f"{self.rnd.randint(1975, 2015)}-03-01"
            else:
                answers[question.key] = (TEXT * self.rnd.randint(1, 4)).strip()
        return answers

    def _applying_events(self, plan: Planned) -> None:
        application, ombud = plan.case, plan.case.created_by
        as_draft = self.audit.on(application, label=draft_label(application))
        as_draft(plan.started, ombud, AuditAction.APPLICATION_STARTED, after=plan.first_state)
        for when, before, after in plan.saves:
            as_draft(when, ombud, AuditAction.APPLICATION_DRAFT_SAVED, before=before, after=after)
        if not plan.submitted:
            return
        for item in self.call.attachment_checklist:
            filename = f"{item['key']}.pdf"
            attachment = Attachment(
                application=application,
                item=item["key"],
                file=ATTACHMENT_NAME,
                filename=filename,
                pages=1,
                size=len(application_demo.DEMO_PDF),
                uploaded_by=ombud,
            )
            attachment.day = plan.started.date()
            self.rows[Attachment].append(attachment)
            attached = {"item": item["key"], "file": filename}
            as_draft(plan.started, ombud, AuditAction.APPLICATION_ATTACHED, after=attached)
        after = application_snapshot(application) | {"status": str(ApplicationStatus.SUBMITTED)}
        self.audit.add(
            application,
            plan.submitted,
            ombud,
            AuditAction.APPLICATION_SUBMITTED,
            before=plan.before_submit,
            after=after,
        )

    def _assess(self, application: Application) -> None:
        """Completion, scores, consultation, risk check, proposal and decision
        of a submitted application, as far as its fate reached."""
        rnd, world, call, rows = self.rnd, self.world, self.call, self.rows
        officer, fate, event = world.handlaggare, application.fate, self.audit.on(application)
        closes = moment(call.closes_on, 10)
        if fate == ApplicationStatus.COMPLETION_REQUESTED or rnd.random() < 0.08:
            asked = closes + DAY * rnd.randint(3, 8)
            completion = CompletionRequest(
                application=application,
                message="Bifoga en budget för hela verksamhetsåret.",
                reply_by=(asked + 14 * DAY).date(),
                requested_by=officer,
                requested_at=asked,
            )
            rows[CompletionRequest].append(completion)
            asking = status(
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.COMPLETION_REQUESTED,
                message=completion.message,
            )
            event(asked, officer, AuditAction.APPLICATION_COMPLETION_REQUESTED, **asking)
            if fate != ApplicationStatus.COMPLETION_REQUESTED:
                completion.answer = "Budgeten är bifogad."
                completion.answered_by = application.created_by
                completion.answered_at = asked + DAY * rnd.randint(1, 6)
                answered = status(
                    ApplicationStatus.COMPLETION_REQUESTED,
                    ApplicationStatus.SUBMITTED,
                    answer=completion.answer,
                )
                event(
                    completion.answered_at,
                    application.created_by,
                    AuditAction.APPLICATION_COMPLETED,
                    **answered,
                )
        criteria = [criterion["key"] for criterion in call.criteria]
        if fate in (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED):
            criteria = criteria[: rnd.randint(0, len(criteria))]  # still being scored
        for criterion in criteria:
            when = closes + DAY * rnd.uniform(10, 25)
            score = Score(
                application=application,
                criterion=criterion,
                assessor=officer,
                score=rnd.randint(1, 5),
                comment="Motiverat i ansökan.",
            )
            score.day = when.date()
            rows[Score].append(score)
            event(when, officer, AuditAction.APPLICATION_SCORED, after={criterion: score.score})
        consultation = self._consult(application) if self.stimulus else None
        if fate in (ApplicationStatus.PROPOSED, ApplicationStatus.DECIDED):
            self._propose(application, consultation or ConsultationOutcome.NOT_NEEDED)

    def _consult(self, application: Application) -> str:
        rnd, world = self.rnd, self.world
        officer, event = world.handlaggare, self.audit.on(application)
        sent = moment(self.call.closes_on, 10) + DAY * rnd.randint(3, 8)
        request = ConsultationRequest(
            application=application,
            message="Vi ber om era synpunkter.",
            reply_by=(sent + 21 * DAY).date(),
            sent_by=officer,
            sent_at=sent,
        )
        self.rows[ConsultationRequest].append(request)
        reply_by = {"reply_by": request.reply_by.isoformat()}
        event(sent, officer, AuditAction.APPLICATION_SENT_FOR_CONSULTATION, after=reply_by)
        if rnd.random() >= 0.85:
            return ConsultationOutcome.EXPIRED
        filed = sent + DAY * rnd.randint(3, 18)
        recommendation = rnd.choice(
            [Recommendation.GRANT, Recommendation.PARTIAL, Recommendation.REFUSE]
        )
        opinion = Opinion(
            request=request,
            text="Jämställdhetsmyndigheten har tagit del av ansökan.",
            recommendation=recommendation,
            filed_by=world.consultee,
            filed_at=filed,
        )
        self.rows[Opinion].append(opinion)
        filing = {"recommendation": str(recommendation), "amount_sek": None}
        event(filed, world.consultee, AuditAction.APPLICATION_OPINION_FILED, after=filing)
        return ConsultationOutcome.ANSWERED

    def _propose(self, application: Application, consultation: str) -> None:
        """The risk check and the proposal, and the decision within the
        call's budget (a grant that would exceed it is refused)."""
        rnd, world, call = self.rnd, self.world, self.call
        officer, event = world.handlaggare, self.audit.on(application)
        closes = moment(call.closes_on, 10)
        checked = closes + DAY * rnd.uniform(26, 29)
        risk = RiskCheck(
            application=application,
            other_public_funding_checked=True,
            other_agency_grants_checked=True,
            founded_year=rnd.randint(1975, 2015),
            register_checked=True,
            checked_by=officer,
        )
        risk.day = checked.date()
        self.rows[RiskCheck].append(risk)
        names = [
            "other_public_funding_checked",
            "other_agency_grants_checked",
            "founded_year",
            "register_checked",
        ]
        checks = {name: str(getattr(risk, name)) for name in names}
        event(checked, officer, AuditAction.APPLICATION_RISK_CHECKED, after=checks)
        requested = application.requested_sek
        outcome = rnd.choices([Outcome.GRANTED, Outcome.PARTIAL, Outcome.REFUSED], [45, 30, 25])[0]
        amount = {
            Outcome.GRANTED: requested,
            Outcome.PARTIAL: max(1, min(requested - 1, int(requested * rnd.uniform(0.4, 0.9)))),
            Outcome.REFUSED: 0,
        }[outcome]
        decided = application.fate == ApplicationStatus.DECIDED
        if decided and self.granted + amount > call.pool.amount_sek:
            outcome, amount = Outcome.REFUSED, 0
        proposed = closes + DAY * rnd.uniform(30, 45)
        decision = Decision(
            application=application,
            call=call,
            outcome=outcome,
            requested_sek=requested,
            amount_sek=amount,
            reasons=REASONS[outcome],
            consultation=consultation,
            proposed_by=officer,
            proposed_at=proposed,
        )
        self.rows[Decision].append(decision)
        proposal = {
            "outcome": str(outcome),
            "amount_sek": amount,
            "consultation": str(consultation),
        }
        event(proposed, officer, AuditAction.APPLICATION_DECISION_PROPOSED, after=proposal)
        if decided:
            decision.decided_by = world.beslutsfattare
            decision.decided_at = proposed + DAY * rnd.uniform(2, 10)
            self.granted += amount
            outcome_of = status(
                ApplicationStatus.PROPOSED,
                ApplicationStatus.DECIDED,
                outcome=str(outcome),
                amount_sek=amount,
            )
            event(
                decision.decided_at,
                world.beslutsfattare,
                AuditAction.APPLICATION_DECIDED,
                **outcome_of,
            )


# -------------------------------------------------------------- the whole

COUNTED = (
    ("programmes", Programme),
    ("pools", Pool),
    ("allocation keys", AllocationKey),
    ("allocations", Allocation),
    ("requisitions", Requisition),
    ("redistributions", Redistribution),
    ("redistribution shares", RedistributionShare),
    ("payables", Payable),
    ("payment batches", PaymentBatch),
    ("payment batch items", PaymentBatchItem),
    ("calls", Call),
    ("applications", Application),
    ("attachments", Attachment),
    ("scores", Score),
    ("risk checks", RiskCheck),
    ("completion requests", CompletionRequest),
    ("consultations", ConsultationRequest),
    ("opinions", Opinion),
    ("decisions", Decision),
    ("audit events", AuditEvent),
    ("organisations", Organisation),
    ("users", get_user_model()),
)


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED}


@dataclass
class Result:
    added: dict[str, int]
    programmes: list[str]
    seconds: float


def generate(factor: int, *, seed: int = 15, log: Callable[[str], None] = print) -> Result:
    """Add the synthetic programmes 2 … ``factor`` that are not there yet,
    each in a transaction of its own."""
    if connection.vendor != "postgresql":
        raise ScaleDataError(
            "The scale data needs PostgreSQL (COPY, the published keys' trigger); this "
            f"database is {connection.vendor}. Set DATABASE_URL=postgres://…"
        )
    if factor < 1:
        raise ScaleDataError("The factor is at least 1 (1 is the demo as it is).")
    started = time.monotonic()
    before = counts()
    existing = set(
        Programme.objects.filter(reference_number__startswith=REFERENCE_PREFIX).values_list(
            "reference_number", flat=True
        )
    )
    wanted = [i for i in range(2, factor + 1) if reference_number(i) not in existing]
    if wanted:
        with transaction.atomic():
            world = World.load()
        for index in wanted:
            began = time.monotonic()
            with transaction.atomic():
                ProgrammeData(world, index, seed).write()
            log(f"{reference_number(index)}: {time.monotonic() - began:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # plans for the new sizes
    after = counts()
    return Result(
        added={name: after[name] - before[name] for name, _model in COUNTED},
        programmes=[reference_number(i) for i in wanted],
        seconds=time.monotonic() - started,
    )
