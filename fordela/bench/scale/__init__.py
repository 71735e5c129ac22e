"""Synthetic data at scale (``manage.py generate_scale_data --factor N``;
``make bench-scale``, issue 15).

Factor 1 is the demo as ``make demo-data`` leaves it. Factor N adds N − 1
programmes shaped like S2020/01591 (``S2020/90002``, ``S2020/90003`` …), each
over the same three years, the real 290 kommuner and 21 regioner, and the
demo's day (15 June 2022):

* ``requisitions``: six requisition pools a year (kommuner and regioner,
  each with a top-up and a competence pool) with published keys. 2020 and
  2021 are closed: requisitioned, redistributed and paid, with drafts and
  withdrawn drafts left behind; 2022 is open, with drafts, withdrawn drafts
  and submitted requisitions that are paid, in an approved batch or open;
* ``applications``: an NGO call and a stimulus call a year, with
  applications from 400 synthetic NGOs (``world``) and from the
  länsstyrelser and universities, up to their decisions and grants;
* ``payments``: a payment batch a month of the programme's payables;
* the audit events the services would have written, at the moments they
  would have written them (``common.AuditRows``).

A programme is about 2 650 requisitions, 1 050 applications, 3 100 payables
and 29 000 audit events, 10 s on two busy cores. Rows are made in memory
and written with ``bulk_create``, a month at a time with the clock moved to
it (the models' created and updated times come from the clock), and the
audit events with COPY. Only the keys and the calls go through their
services, once per pool or call. PostgreSQL only: COPY, and the trigger
that guards published keys is what keeps the keys honest here.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from fordela.allocation.models import Allocation, AllocationKey
from fordela.applications.models import (
    Application,
    Attachment,
    Call,
    CompletionRequest,
    ConsultationRequest,
    Decision,
    Opinion,
    RiskCheck,
    Score,
)
from fordela.audit.models import AuditEvent
from fordela.organisations.models import Organisation
from fordela.payments.models import Payable, PaymentBatch, PaymentBatchItem
from fordela.programmes.models import Pool, PoolKind, Programme
from fordela.requisitions.models import Redistribution, RedistributionShare, Requisition

from .applications import ApplicationsOfCall, write_call
from .common import REFERENCE_PREFIX, Book, ScaleDataError, reference_number
from .payments import write_payments
from .requisitions import write_programme, write_requisitions
from .world import NGO_COUNT, World

__all__ = ["NGO_COUNT", "Result", "ScaleDataError", "counts", "generate"]

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


def write(book: Book) -> None:
    """One programme, from its keys to its payment batches."""
    pools = write_programme(book)
    write_requisitions(book, pools)
    for pool in pools:
        if pool.kind == PoolKind.APPLICATION:
            ApplicationsOfCall(book, write_call(book, pool)).write()
    write_payments(book)
    book.audit.write()


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
                write(Book(world, index, seed))
            log(f"{reference_number(index)}: {time.monotonic() - began:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics for the new sizes
    after = counts()
    return Result(
        added={name: after[name] - before[name] for name, _model in COUNTED},
        programmes=[reference_number(i) for i in wanted],
        seconds=time.monotonic() - started,
    )
