"""Payment batches: created by ekonomi, approved by someone else, exported as
pain.001, marked paid once. Never pay twice, even after a crash and a retry."""

import datetime
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.payments import exports, services
from fordela.payments.models import (
    BatchStatus,
    Payable,
    PayableStatus,
    PaymentBatch,
    PaymentBatchItem,
)
from fordela.requisitions import services as requisitions
from fordela.requisitions.models import RequisitionStatus
from tests.requisitions.conftest import filled

D = datetime.date
NS = {"p": exports.NAMESPACE}


@pytest.fixture
def submitted(round_):
    cases = []
    for name, org in zip(("ombud", "ombud_b"), round_.organisations[:2], strict=True):
        draft = requisitions.start_requisition(round_.users[name], org, round_.pool)
        cases.append(requisitions.submit_requisition(round_.users[name], draft, filled()))
    return cases


def test_ekonomi_creates_a_batch_of_open_payables(round_, submitted):
    result = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20))
    batch = result.batch
    assert batch.item_count == 2
    assert batch.total_sek == sum(r.amount_sek for r in submitted)
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.BATCHED}
    assert result.late == []


def test_batch_warns_about_payables_due_before_the_payment_date(round_, submitted):
    result = services.create_batch(round_.users["ekonomi"], D(2021, 11, 1))
    assert len(result.late) == 2  # due 27 October
    assert "27 oktober 2021" in result.warnings[0] or "27 October 2021" in result.warnings[0]


def test_payment_date_cannot_be_in_the_past(round_, submitted):
    with pytest.raises(ValidationError, match="cannot be in the past"):
        services.create_batch(round_.users["ekonomi"], D(2021, 9, 14))
    assert not PaymentBatch.objects.exists()


def test_payment_date_can_be_today(round_, submitted):
    assert services.create_batch(round_.users["ekonomi"], D(2021, 9, 15)).batch.item_count == 2


def test_payment_date_can_be_one_year_ahead(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2022, 9, 15)).batch
    assert batch.payment_date == D(2022, 9, 15)


@pytest.mark.parametrize("payment_date", [D(2022, 9, 16), D(9999, 12, 31)])
def test_payment_date_more_than_one_year_ahead_is_refused(round_, submitted, payment_date):
    with pytest.raises(
        ValidationError, match="at most one year ahead, at the latest 15 September 2022"
    ):
        services.create_batch(round_.users["ekonomi"], payment_date)
    assert not PaymentBatch.objects.exists()
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.OPEN}


def test_one_year_after_a_leap_day_is_28_february():
    assert services.latest_payment_date(D(2024, 2, 29)) == D(2025, 2, 28)


def test_handlaggare_cannot_create_a_batch(round_, submitted):
    with pytest.raises(PermissionDenied):
        services.create_batch(round_.users["handlaggare"], D(2021, 10, 20))


def test_creator_cannot_approve_own_batch(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    with pytest.raises(ValidationError, match="someone other"):
        services.approve_batch(round_.users["ekonomi"], batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CREATED


def test_database_refuses_creator_as_approver(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(
            approved_by=round_.users["ekonomi"], status="approved"
        )


def test_a_payable_is_never_in_two_live_batches(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    with pytest.raises(ValidationError, match="nothing to pay"):
        services.create_batch(round_.users["ekonomi"], D(2021, 10, 21))
    other = PaymentBatch.objects.create(
        reference="X",
        payment_date=D(2021, 10, 22),
        total_sek=1,
        item_count=1,
        created_at=batch.created_at,
        created_by=round_.users["ekonomi"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatchItem.objects.create(batch=other, payable=Payable.objects.first(), amount_sek=1)


def _approved_batch(round_, payment_date=D(2021, 10, 20)):
    batch = services.create_batch(round_.users["ekonomi"], payment_date).batch
    return services.approve_batch(round_.users["ekonomi2"], batch)


def _paid_batch(round_, clock_at):
    batch = _approved_batch(round_)
    clock_at("2021-10-20T15:00")  # the payment date
    return services.confirm_batch_paid(round_.users["ekonomi"], batch)


def test_confirmed_batch_marks_payables_and_requisitions_paid(round_, submitted, clock_at):
    batch = _paid_batch(round_, clock_at)
    assert batch.status == BatchStatus.PAID
    for payable in Payable.objects.all():
        assert payable.status == PayableStatus.PAID
        assert payable.paid_batch == batch
        assert payable.requisition.status == RequisitionStatus.PAID


def test_each_paid_requisition_is_audited_with_who_confirmed(round_, submitted, clock_at):
    batch = _paid_batch(round_, clock_at)
    events = AuditEvent.objects.filter(action=AuditAction.REQUISITION_PAID)
    assert {int(e.object_id) for e in events} == {r.pk for r in submitted}
    for event in events:
        assert event.actor == round_.users["ekonomi"]
        assert event.before == {"status": "submitted"}
        assert event.after == {"status": "paid", "batch": batch.reference}


def test_a_batch_cannot_be_marked_paid_before_its_payment_date(round_, submitted, clock_at):
    batch = _approved_batch(round_)
    clock_at("2021-10-19T23:59")
    with pytest.raises(ValidationError, match="before its payment date, 20 October 2021"):
        services.confirm_batch_paid(round_.users["ekonomi"], batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and batch.confirmed_at is None
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.BATCHED}
    assert not round_.pool.requisitions.filter(status=RequisitionStatus.PAID).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PAYMENT_BATCH_PAID).exists()


def test_a_batch_can_be_marked_paid_on_its_payment_date(round_, submitted, clock_at):
    batch = _approved_batch(round_)
    clock_at("2021-10-20T00:00")
    assert services.confirm_batch_paid(round_.users["ekonomi"], batch).status == BatchStatus.PAID


def test_confirming_twice_is_refused_and_pays_nothing_more(round_, submitted, clock_at):
    batch = _paid_batch(round_, clock_at)
    with pytest.raises(ValidationError):
        services.confirm_batch_paid(round_.users["ekonomi"], batch)
    assert Payable.objects.filter(status=PayableStatus.PAID).count() == 2


def test_unapproved_batch_cannot_be_confirmed(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    with pytest.raises(ValidationError):
        services.confirm_batch_paid(round_.users["ekonomi2"], batch)


def test_cancelled_batch_frees_its_payables(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    services.cancel_batch(round_.users["ekonomi2"], batch)
    again = services.create_batch(round_.users["ekonomi"], D(2021, 10, 21)).batch
    assert again.item_count == 2


class Crash(Exception):
    pass


def test_crash_while_creating_a_batch_then_retry(round_, submitted, monkeypatch):
    # The crash comes after the items are inserted and the payables moved,
    # at the audit event: the whole batch is rolled back.
    original = services.record

    def crash_at_the_audit_event(actor, action, obj, **values):
        if action == AuditAction.PAYMENT_BATCH_CREATED:
            raise Crash
        return original(actor, action, obj, **values)

    monkeypatch.setattr(services, "record", crash_at_the_audit_event)
    with pytest.raises(Crash):
        services.create_batch(round_.users["ekonomi"], D(2021, 10, 20))
    assert not PaymentBatch.objects.exists()
    assert not PaymentBatchItem.objects.exists()
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.OPEN}

    monkeypatch.setattr(services, "record", original)
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    assert batch.item_count == 2


def test_a_batch_is_refused_when_fewer_payables_move_than_were_locked(
    round_, submitted, monkeypatch
):
    # Cannot happen while the rows are locked; should it, nothing is kept.
    original = services._next_batch_reference

    def cancel_one_after_the_lock(payment_date):
        Payable.objects.filter(pk=Payable.objects.order_by("id").first().pk).update(
            status=PayableStatus.CANCELLED
        )
        return original(payment_date)

    monkeypatch.setattr(services, "_next_batch_reference", cancel_one_after_the_lock)
    with pytest.raises(ValidationError, match="changed while the batch was being created"):
        services.create_batch(round_.users["ekonomi"], D(2021, 10, 20))
    assert not PaymentBatch.objects.exists()
    assert not PaymentBatchItem.objects.exists()
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.OPEN}


def test_crash_while_confirming_then_retry_pays_each_once(round_, submitted, monkeypatch, clock_at):
    batch = _approved_batch(round_)
    clock_at("2021-10-20T15:00")
    original = services._mark_paid
    calls = []

    def crash_on_second(user, payable, batch):
        calls.append(payable.pk)
        if len(calls) == 2:
            raise Crash
        original(user, payable, batch)

    monkeypatch.setattr(services, "_mark_paid", crash_on_second)
    with pytest.raises(Crash):
        services.confirm_batch_paid(round_.users["ekonomi"], batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    assert not Payable.objects.filter(status=PayableStatus.PAID).exists()
    assert not round_.pool.requisitions.filter(status=RequisitionStatus.PAID).exists()

    monkeypatch.setattr(services, "_mark_paid", original)
    services.confirm_batch_paid(round_.users["ekonomi"], batch)
    with pytest.raises(ValidationError):
        services.confirm_batch_paid(round_.users["ekonomi"], batch)
    assert Payable.objects.filter(status=PayableStatus.PAID).count() == 2
    assert services.paid_total(round_.pool) == sum(r.amount_sek for r in submitted)


def test_pain001_lists_every_payment_in_sek_to_bank_giro(round_, submitted):
    batch = _approved_batch(round_)
    xml = exports.pain001_bytes(batch)
    assert xml == exports.pain001_bytes(batch)  # exporting again gives the same file
    root = ET.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.find("p:NbOfTxs", NS).text == "2"
    assert header.find("p:CtrlSum", NS).text == f"{batch.total_sek}.00"
    transfers = root.findall(".//p:CdtTrfTxInf", NS)
    assert len(transfers) == 2
    amount = transfers[0].find("p:Amt/p:InstdAmt", NS)
    assert amount.get("Ccy") == "SEK"
    assert transfers[0].find("p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry", NS).text == "BGNR"
    assert transfers[0].find("p:CdtrAcct/p:Id/p:Othr/p:Id", NS).text == "50501055"
    assert root.find(".//p:ReqdExctnDt", NS).text == "2021-10-20"


def test_csv_export_has_one_row_per_payment(round_, submitted):
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    lines = exports.csv_text(batch).splitlines()
    assert lines[0].startswith("\ufeffUtbetalningsomgång;Betalningsreferens;")
    assert len(lines) == 3
