"""The demo's recovery (seed_demo_recovery) goes through the services, puts
one case in each state, balances in the ledger, and a second run changes
nothing."""

import datetime

import pytest
from django.core.management import call_command

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.allocation.services import compute_key, freeze_key
from fordela.audit.models import AuditEvent
from fordela.payments import services as payments
from fordela.recovery.demo import OVERPAID_SEK, UNMATCHED_SEK, seed_demo_recovery
from fordela.recovery.models import (
    BgMaxImport,
    CreditNote,
    IncomingPayment,
    IncomingPaymentStatus,
    Invoice,
    InvoiceReminder,
    InvoiceStatus,
    RecoveryDecision,
    RecoveryOutcome,
    RecoveryStatus,
)
from fordela.reports import review
from fordela.reports import services as reports
from fordela.reports.models import Report
from fordela.requisitions import services as requisitions
from fordela.requisitions.ledger import pool_ledger
from tests.factories import PoolFactory
from tests.reports.conftest import report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    filled,
    make_user,
    organisation,
)

ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA för socialsekreterare.",
    "results": "Fler våldsutsatta fick stöd.",
    "lessons": "Samverkan med regionen fungerade.",
}
KOMMUNER = [
    ("Ale kommun", "1440", 31_868),
    ("Bjurholms kommun", "2403", 2_387),
    ("Falu kommun", "2080", 59_351),
    ("Gävle kommun", "2180", 102_904),
    ("Härryda kommun", "1401", 38_000),
    ("Kiruna kommun", "2584", 22_900),
    ("Lunds kommun", "1281", 125_000),
    ("Mora kommun", "2062", 20_200),
    ("Nacka kommun", "0182", 105_000),
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_reports(db, clock_at, report_form):  # noqa: F811
    """Nine kommuner's 2021 reports reviewed in April 2022: eight approved
    with unused money, Mora's rejected; Ale's ombud is the demo's
    ``ombud-1440``."""
    clock_at("2021-09-15T10:00")
    staff = {}
    for name, role in (
        ("handlaggare", StaffRole.HANDLAGGARE),
        ("beslutsfattare", StaffRole.BESLUTSFATTARE),
        ("ekonomi", StaffRole.EKONOMI),
        ("ekonomi2", StaffRole.EKONOMI),
    ):
        staff[name] = make_user(name)
        StaffAssignment.objects.create(user=staff[name], role=role)
    orgs = [organisation(*kommun) for kommun in KOMMUNER]
    pool = PoolFactory(
        slug="kommuner-pafyllnad",
        name="Kommuner, påfyllnad",
        amount_sek=5_000_000,
        opens_on=datetime.date(2021, 4, 15),
        closes_on=datetime.date(2021, 10, 1),
        report_due=datetime.date(2022, 3, 31),
    )
    freeze_key(compute_key(pool, actor="tests"), actor="tests")
    pool.refresh_from_db()
    ombud = {}
    for index, org in enumerate(orgs):
        username = "ombud-1440" if org.municipality_code == "1440" else f"ombud-{index}"
        ombud[org.pk] = make_user(username)
        Membership.objects.create(user=ombud[org.pk], organisation=org, role=OrganisationRole.OMBUD)
        allocation = pool.allocation_key.allocations.get(organisation=org).amount_sek
        draft = requisitions.start_requisition(ombud[org.pk], org, pool)
        requisitions.submit_requisition(
            ombud[org.pk],
            draft,
            filled(
                amount_sek=allocation if index == 0 else allocation - 1_000,
                wants_redistribution=index == 0,
                contact_email=f"{username}@example.se",
            ),
        )
    clock_at("2021-10-04T09:00")
    requisitions.confirm_redistribution(staff["handlaggare"], pool)
    batch = payments.create_batch(staff["ekonomi"], datetime.date(2021, 10, 11)).batch
    payments.approve_batch(staff["ekonomi2"], batch)
    clock_at("2021-10-11T15:00")
    payments.confirm_batch_paid(staff["ekonomi"], batch)
    clock_at("2022-01-10T09:00")
    reports.open_report_period(2021)
    clock_at("2022-03-15T10:00")
    rows = list(Report.objects.order_by("case_number"))
    for index, report in enumerate(rows):
        user = ombud[report.organisation_id]
        used = report.received_sek - 20_000 - 1_000 * index
        reports.save_draft(user, report, {**ANSWERS, "used_sek": used})
        reports.submit_report(user, report)
    clock_at("2022-04-20T14:00")
    for report in rows:
        if report.organisation.name == "Mora kommun":
            review.reject_report(staff["handlaggare"], report, "Inte enligt ändamålet.")
        else:
            review.approve_report(staff["handlaggare"], report)
    clock_at("2022-06-15T10:00")
    return pool


def _states() -> dict:
    return {
        "proposed": RecoveryDecision.objects.filter(status=RecoveryStatus.PROPOSED).count(),
        "waived": RecoveryDecision.objects.filter(
            status=RecoveryStatus.DECIDED, outcome=RecoveryOutcome.WAIVE
        ).count(),
        "invoices": {
            status: n
            for status in InvoiceStatus.values
            if (n := Invoice.objects.filter(status=status).count())
        },
        "credit_notes": CreditNote.objects.count(),
        "reminders": InvoiceReminder.objects.count(),
        "imports": BgMaxImport.objects.count(),
        "to_resolve": IncomingPayment.objects.filter(
            status=IncomingPaymentStatus.TO_RESOLVE
        ).count(),
        "payments": IncomingPayment.objects.count(),
    }


def test_the_demo_puts_one_case_in_each_state_and_a_second_run_changes_nothing(
    demo_reports, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = seed_demo_recovery()
    assert first["decided"] == 7 and first["imported"] == 1
    states = _states()
    assert states["proposed"] == 2  # waiting for the beslutsfattare
    assert states["waived"] == 1
    assert states["invoices"] == {
        InvoiceStatus.ISSUED: 1,  # issued and reminded, not paid
        InvoiceStatus.PARTLY_PAID: 1,  # Ale kommun, from the BgMax file
        InvoiceStatus.PAID: 2,  # one from the file, one by hand
        InvoiceStatus.CREDITED: 1,
        InvoiceStatus.WRITTEN_OFF: 1,
    }
    assert states["credit_notes"] == 1 and states["imports"] == 1
    # The overpayment and the payment that matches nothing wait in the queue.
    assert states["to_resolve"] == 2
    waiting = IncomingPayment.objects.filter(status=IncomingPaymentStatus.TO_RESOLVE)
    assert sorted(p.excess_sek for p in waiting) == [OVERPAID_SEK, UNMATCHED_SEK]
    # Reminded: the unpaid one, Ale's partly paid one and the one written off later.
    assert states["reminders"] == 3
    reminded = Invoice.objects.get(status=InvoiceStatus.ISSUED)
    assert reminded.reminders.count() == 1
    ale = Invoice.objects.get(status=InvoiceStatus.PARTLY_PAID)
    assert ale.organisation.name == "Ale kommun"
    assert 0 < ale.paid_sek < ale.amount_sek
    assert Invoice.objects.get(status=InvoiceStatus.WRITTEN_OFF).reminders.exists()
    # The letters went out with the decisions, and the reminders.
    assert all(d.letter for d in RecoveryDecision.objects.filter(status=RecoveryStatus.DECIDED))
    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) >= 7 + 3
    ledger = pool_ledger(demo_reports)
    assert ledger.problems == []
    assert ledger.recovery.repaid_sek > 0 and ledger.recovery.outstanding_sek > 0

    events, sent = AuditEvent.objects.count(), len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_recovery", verbosity=0)
        again = seed_demo_recovery()
    assert again == {
        "proposed": 0,
        "decided": 0,
        "paid": 0,
        "credited": 0,
        "written_off": 0,
        "reminded": 0,
        "imported": 0,
    }
    assert (AuditEvent.objects.count(), len(mailoutbox)) == (events, sent)
    assert _states() == states
