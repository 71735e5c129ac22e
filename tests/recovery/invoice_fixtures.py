"""Recovery invoices made directly for the invoice tests and the URL × role
table: an approved follow-up report with unused money, a decided claim on it
(proposed by one user, decided by another) and its invoice, issued by
``services.invoices.issue_invoice`` inside ``transaction.atomic()`` as the
deciding transaction does. The rest of the chain (a key, an allocation, a
requisition) is the least each model needs."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.allocation.models import Allocation, AllocationKey
from fordela.core import clock
from fordela.recovery.models import (
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoverySettings,
    RecoveryStatus,
)
from fordela.recovery.services.invoices import issue_invoice
from fordela.reports.models import Report, ReportSource, ReportStatus
from fordela.requisitions.models import Requisition
from tests.factories import PoolFactory
from tests.reports.conftest import restore_report_form

_serial = itertools.count(1)


def user(username: str, *, staff_role: StaffRole | None = None, email: str | None = None):
    """The user ``username`` (made once), with ``staff_role`` if given."""
    found, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.se" if email is None else email}
    )
    if created:
        found.set_password("pw")
        found.save()
    if staff_role and not StaffAssignment.objects.filter(user=found, role=staff_role).exists():
        StaffAssignment.objects.create(user=found, role=staff_role)
    return found


def staff_users() -> dict:
    return {
        "handlaggare": user("inv-handlaggare", staff_role=StaffRole.HANDLAGGARE),
        "beslutsfattare": user("inv-beslutsfattare", staff_role=StaffRole.BESLUTSFATTARE),
        "ekonomi": user("inv-ekonomi", staff_role=StaffRole.EKONOMI),
    }


def ombud_of(organisation, username: str | None = None):
    """The organisation's ombud (there is one at most), made if missing."""
    existing = Membership.objects.filter(
        organisation=organisation, role=OrganisationRole.OMBUD
    ).first()
    if existing:
        return existing.user
    person = user(username or f"inv-ombud-{organisation.pk}")
    Membership.objects.create(user=person, organisation=organisation, role=OrganisationRole.OMBUD)
    return person


def approved_report(
    organisation,
    *,
    received_sek: int = 100_000,
    unused_sek: int = 25_000,
    contact_email: str = "kontakt@example.se",
    pool=None,
) -> Report:
    """An approved follow-up report of ``organisation`` with ``unused_sek``."""
    restore_report_form()
    from fordela.reports.services import current_form

    n = next(_serial)
    pool = pool or PoolFactory(programme_year__year=2021)
    key, _created = AllocationKey.objects.get_or_create(
        pool=pool,
        defaults={
            "population_date": datetime.date(2020, 12, 31),
            "total_population": 10_000,
            "amount_sek": pool.amount_sek,
        },
    )
    allocation = Allocation.objects.create(
        key=key,
        organisation=organisation,
        code=f"{9000 + n:04d}",
        population=10_000,
        amount_sek=received_sek,
    )
    submitter = ombud_of(organisation)
    requisition = Requisition.objects.create(
        organisation=organisation,
        pool=pool,
        allocation=allocation,
        allocation_sek=received_sek,
        amount_sek=received_sek,
        created_by=submitter,
    )
    return Report.objects.create(
        organisation=organisation,
        pool=pool,
        year=pool.programme_year.year,
        source=ReportSource.REQUISITION,
        requisition=requisition,
        case_number=f"2021-10-{8000 + n:04d}",
        form=current_form(),
        due_on=datetime.date(2022, 3, 31),
        requisitioned_sek=received_sek,
        received_sek=received_sek,
        used_sek=received_sek - unused_sek,
        unused_sek=unused_sek,
        contact_name="Kim Kontakt",
        contact_email=contact_email,
        status=ReportStatus.APPROVED,
        submitted_at=clock.now(),
        submitted_by=submitter,
        submission_count=1,
    )


def decided_claim(report: Report, *, amount_sek: int | None = None) -> RecoveryDecision:
    staff = staff_users()
    return RecoveryDecision.objects.create(
        report=report,
        organisation=report.organisation,
        pool=report.pool,
        year=report.year,
        case_number=report.case_number,
        origin=RecoveryOrigin.APPROVED_REPORT,
        ground=RecoveryGround.UNUSED,
        outcome=RecoveryOutcome.CLAIM,
        amount_sek=report.unused_sek if amount_sek is None else amount_sek,
        paid_sek=report.received_sek,
        motivation="Bidraget har inte förbrukats under bidragsåret.",
        status=RecoveryStatus.DECIDED,
        proposed_by=staff["handlaggare"],
        proposed_at=clock.now(),
        decided_by=staff["beslutsfattare"],
        decided_at=clock.now(),
    )


def invoice_for(organisation, *, amount_sek: int = 25_000, **report_fields):
    """A decided claim of ``amount_sek`` on a new approved report of
    ``organisation``, and its invoice (issued as the deciding transaction
    issues it). Run inside ``django_capture_on_commit_callbacks(execute=True)``
    to have its PDF made and sent."""
    report_fields.setdefault("unused_sek", amount_sek)
    report = approved_report(organisation, **report_fields)
    decision = decided_claim(report, amount_sek=amount_sek)
    with transaction.atomic():
        return issue_invoice(decision.decided_by, decision)


def interest_on(
    programme, terms: str = "Ränta enligt 6 § räntelagen (1975:635) debiteras från förfallodagen."
) -> RecoverySettings:
    settings, _created = RecoverySettings.objects.update_or_create(
        programme=programme, defaults={"interest_enabled": True, "interest_terms": terms}
    )
    return settings
