"""Demo rounds: 2020 and 2021 completed (requisitions, redistribution,
payments), 2022 open. Deterministic (a seeded random generator) and
idempotent: a pool that already has requisitions is left alone.

Every change goes through the real services with the clock moved to the
day it happens, so the demo's case numbers, due dates, audit trail and
ledgers are what the system itself would have produced."""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from stdnum import luhn

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.allocation.models import AllocationKey
from fordela.allocation.services import freeze_key
from fordela.payments import services as payments
from fordela.payments.models import Payable, PayableStatus
from fordela.programmes.models import Pool, PoolKind

from . import services
from .models import Requisition

D = datetime.date
SECOND_EKONOMI = ("ekonomi2", "Erik", "Ekonomi")
COMPLETED_YEARS = (2020, 2021)
OPEN_YEAR = 2022
OPEN_TODAY = D(2022, 6, 15)


def demo_bank_giro(organisation) -> str:
    seven = (organisation.organisation_number or "")[2:9]
    if len(seven) != 7:
        seven = f"9{(organisation.municipality_code or organisation.region_county_code or '0'):0>6}"
    return seven + luhn.calc_check_digit(seven)


@dataclass
class Staff:
    handlaggare: object
    ekonomi: object
    approver: object


def _staff() -> Staff:
    User = get_user_model()
    handlaggare = StaffAssignment.objects.filter(role=StaffRole.HANDLAGGARE).first()
    ekonomi = StaffAssignment.objects.filter(role=StaffRole.EKONOMI).order_by("user_id").first()
    if handlaggare is None or ekonomi is None:
        raise RuntimeError("Run seed_demo_users first.")
    username, first, last = SECOND_EKONOMI
    approver, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.fordela.example",
        },
    )
    if created:
        approver.password = make_password("demo")
        approver.save(update_fields=["password"])
    StaffAssignment.objects.get_or_create(user=approver, role=StaffRole.EKONOMI)
    return Staff(handlaggare.user, ekonomi.user, approver)


def _at(moment: datetime.datetime | datetime.date):
    return override_settings(FORDELA_TODAY=moment.isoformat())


def _ombud(organisation):
    membership = (
        Membership.objects.filter(organisation=organisation, role=OrganisationRole.OMBUD)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _moment(day: D, rnd: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rnd.randint(8, 16), rnd.randint(0, 59)))


def _submissions(pool: Pool, rnd: random.Random, until: D, share: float):
    """(moment, allocation, amount, opt_in) for the organisations that requisition."""
    key = AllocationKey.objects.get(pool=pool)
    opens = pool.opens_on or (pool.closes_on - datetime.timedelta(days=60))
    last = min(pool.closes_on, until)
    span = max((last - opens).days, 0)
    plan = []
    for allocation in key.allocations.select_related("organisation").order_by("code"):
        if rnd.random() > share:
            continue
        full = rnd.random() < 0.8
        amount = (
            allocation.amount_sek
            if full
            else max(1, int(allocation.amount_sek * rnd.uniform(0.5, 0.95)))
        )
        opt_in = full and rnd.random() < 0.5
        # Most requisitions come in during the last weeks.
        day = opens + datetime.timedelta(days=int(span * rnd.random() ** 0.5))
        plan.append((_moment(day, rnd), allocation, amount, opt_in))
    plan.sort(key=lambda item: (item[0], item[1].code))
    return plan


def _submit(pool: Pool, moment, allocation, amount: int, opt_in: bool) -> bool:
    organisation = allocation.organisation
    user = _ombud(organisation)
    if user is None:
        return False
    with _at(moment):
        draft = services.start_requisition(user, organisation, pool)
        services.submit_requisition(
            user,
            draft,
            {
                "amount_sek": amount,
                "wants_redistribution": opt_in,
                "contact_name": f"Kontaktperson {organisation.name}",
                "contact_email": f"kontakt@{allocation.code}.demo.fordela.example",
                "contact_phone": f"010-{allocation.code}00",
                "bank_giro": demo_bank_giro(organisation),
                "conditions_confirmed": True,
            },
            send_receipt=False,
        )
    return True


def _pay(staff: Staff, day: D) -> None:
    """A monthly payment batch on ``day`` of everything open, approved by a
    second person and confirmed paid."""
    if not Payable.objects.filter(status=PayableStatus.OPEN).exists():
        return
    with _at(datetime.datetime.combine(day, datetime.time(9, 0))):
        batch = payments.create_batch(staff.ekonomi, day).batch
        payments.approve_batch(staff.approver, batch)
    with _at(datetime.datetime.combine(day, datetime.time(15, 0))):
        payments.confirm_batch_paid(staff.ekonomi, batch)


def _batch_days(start: D, end: D) -> list[D]:
    days = []
    day = D(start.year, start.month, 20)
    while day <= end:
        if day >= start:
            days.append(day)
        day = D(day.year + (day.month == 12), day.month % 12 + 1, 20)
    return days


def _requisition_pools(year: int):
    return (
        Pool.objects.filter(
            programme_year__year=year, kind=PoolKind.REQUISITION, allocation_key__isnull=False
        )
        .select_related("programme_year")
        .order_by("closes_on", "slug")
    )


def seed_year(year: int, staff: Staff, rnd: random.Random, today: D) -> int:
    pools = [p for p in _requisition_pools(year) if not Requisition.objects.filter(pool=p).exists()]
    if not pools:
        return 0
    for pool in pools:
        key = pool.allocation_key
        if not key.is_frozen:
            freeze_key(key, actor="seed_demo_rounds")
    events: list[tuple[datetime.datetime, int, object]] = []
    for pool in pools:
        share = 0.9 if pool.closes_on < today else 0.35
        for moment, allocation, amount, opt_in in _submissions(pool, rnd, today, share):
            if moment.date() < today:
                events.append((moment, 0, (pool, allocation, amount, opt_in)))
        if pool.closes_on < today and pool.allows_redistribution:
            redistribution_day = pool.closes_on + datetime.timedelta(days=7)
            events.append(
                (datetime.datetime.combine(redistribution_day, datetime.time(10, 0)), 1, pool)
            )
    start = min(p.opens_on or p.closes_on for p in pools)
    end = min(max(p.closes_on for p in pools) + datetime.timedelta(days=45), today)
    for day in _batch_days(start, end):
        if day < today:
            events.append((datetime.datetime.combine(day, datetime.time(9, 0)), 2, None))
    events.sort(key=lambda event: (event[0], event[1]))
    count = 0
    for moment, kind, payload in events:
        if kind == 0:
            count += _submit(*payload[:1], moment, *payload[1:])
        elif kind == 1:
            with _at(moment):
                services.confirm_redistribution(staff.handlaggare, payload)
        else:
            _pay(staff, moment.date())
    return count


def seed_demo_rounds() -> dict[int, int]:
    staff = _staff()
    rnd = random.Random(2020_01591)  # noqa: S311 - demo data, not security
    return {year: seed_year(year, staff, rnd, OPEN_TODAY) for year in (*COMPLETED_YEARS, OPEN_YEAR)}
