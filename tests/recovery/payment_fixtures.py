"""Fixtures for the incoming-payments tests: an ekonomi user and open
invoices, each made the way the product makes one (a decided claim on an
approved follow-up report, then ``issue_invoice`` inside the deciding
transaction), built directly so that these tests need no requisition round.

    def test_x(ekonomi, make_invoice):
        invoice = make_invoice(10_000)
"""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fordela.access.models import StaffAssignment, StaffRole
from fordela.allocation.models import Allocation, AllocationKey, KeyStatus
from fordela.recovery.models import (
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoveryStatus,
)
from fordela.recovery.services.invoices import issue_invoice
from fordela.reports.models import Report, ReportSource, ReportStatus
from fordela.reports.services import current_form
from fordela.requisitions.models import Requisition, RequisitionStatus
from tests.factories import OrganisationFactory, PoolFactory

TODAY = "2022-06-15T10:00"
_serial = itertools.count(1)


def make_staff(role: StaffRole, username: str | None = None):
    user = get_user_model().objects.create_user(
        username=username or f"{role.value}-{next(_serial)}",
        password="pw",
        email=f"{username or role.value}@example.se",
    )
    StaffAssignment.objects.create(user=user, role=role)
    return user


def _report(organisation, pool, amount_sek: int, submitter) -> Report:
    from tests.reports.conftest import restore_report_form

    restore_report_form()
    key, _created = AllocationKey.objects.get_or_create(
        pool=pool,
        defaults={
            "population_date": datetime.date(2020, 12, 31),
            "total_population": 1_000_000,
            "amount_sek": pool.amount_sek,
            "status": KeyStatus.DRAFT,
        },
    )
    number = next(_serial)
    allocation = Allocation.objects.create(
        key=key,
        organisation=organisation,
        code=f"{number:04d}",
        population=1000,
        amount_sek=amount_sek,
    )
    case_number = f"2021-10-{number:04d}"
    requisition = Requisition.objects.create(
        organisation=organisation,
        pool=pool,
        allocation=allocation,
        allocation_sek=amount_sek,
        amount_sek=amount_sek,
        status=RequisitionStatus.PAID,
        case_number=case_number,
        conditions_confirmed=True,
        created_by=submitter,
        submitted_at=timezone.now(),
        submitted_by=submitter,
        submission_count=1,
    )
    return Report.objects.create(
        organisation=organisation,
        pool=pool,
        year=pool.programme_year.year,
        source=ReportSource.REQUISITION,
        requisition=requisition,
        case_number=case_number,
        form=current_form(),
        due_on=datetime.date(2022, 3, 31),
        requisitioned_sek=amount_sek,
        received_sek=amount_sek,
        used_sek=0,
        unused_sek=amount_sek,
        status=ReportStatus.APPROVED,
        submitted_at=timezone.now(),
        submitted_by=submitter,
        submission_count=1,
    )


def create_invoice(amount_sek: int, *, organisation=None, pool=None):
    """An issued invoice of ``amount_sek`` kronor (a decided claim of that
    much on a report of that much)."""
    handlaggare = make_staff(StaffRole.HANDLAGGARE)
    beslutsfattare = make_staff(StaffRole.BESLUTSFATTARE)
    organisation = organisation or OrganisationFactory()
    pool = pool or PoolFactory(
        slug=f"kommuner-{next(_serial)}", amount_sek=max(amount_sek, 1_000_000)
    )
    report = _report(organisation, pool, amount_sek, handlaggare)
    with transaction.atomic():
        decision = RecoveryDecision.objects.create(
            report=report,
            organisation=organisation,
            pool=pool,
            year=report.year,
            case_number=report.case_number,
            origin=RecoveryOrigin.APPROVED_REPORT,
            ground=RecoveryGround.UNUSED,
            outcome=RecoveryOutcome.CLAIM,
            amount_sek=amount_sek,
            paid_sek=amount_sek,
            motivation="Medlen användes inte under bidragsåret.",
            status=RecoveryStatus.DECIDED,
            proposed_by=handlaggare,
            proposed_at=timezone.now(),
            decided_by=beslutsfattare,
            decided_at=timezone.now(),
        )
        return issue_invoice(beslutsfattare, decision)


@pytest.fixture
def today(clock_at):
    clock_at(TODAY)


@pytest.fixture
def ekonomi(db):
    return make_staff(StaffRole.EKONOMI, "ekonomi")


@pytest.fixture
def make_invoice(db, today):
    """``make_invoice(amount_sek)`` → an issued invoice."""
    return create_invoice
