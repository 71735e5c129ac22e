"""What every stage of the scale data shares: the demo's day, small helpers,
the audit rows written with COPY, and ``Book``, one programme's state while
it is made."""

import datetime
import json
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import connection

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core import case_numbers
from fordela.core.clock import STOCKHOLM
from fordela.core.models import CaseNumberCounter
from fordela.payments.models import Payable
from fordela.payments.working_days import payment_due_date
from fordela.requisitions.demo import OPEN_TODAY, _at
from fordela.requisitions.models import Requisition

D = datetime.date
DAY = datetime.timedelta(days=1)
ACTOR = "generate_scale_data"
REFERENCE_PREFIX = "S2020/9"  # S2020/90002 …: never a dnr of the demo
YEARS = (2020, 2021, 2022)
TODAY = OPEN_TODAY  # the demo's day: 2020 and 2021 are past, 2022 is open
BATCH_SIZE = 2000
SOURCE = "Syntetiska data (generate_scale_data)"


class ScaleDataError(Exception):
    """The data cannot be generated here; the message says why."""


def reference_number(index: int) -> str:
    return f"{REFERENCE_PREFIX}{index:04d}"


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
    moment it happened; written with COPY (``bulk_create`` would stamp them
    all with the clock's one time)."""

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


class Book:
    """One programme while it is made: the shared world, the random
    generator, the audit events and the payables, which are written last,
    with the batches that pay them."""

    def __init__(self, world, index: int, seed: int):
        self.world = world
        self.index = index
        self.rnd = random.Random(seed * 100_003 + index)
        self.audit = AuditRows()
        self.payables: list[tuple[Payable, Requisition | None]] = []

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
        at ``when``."""
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
