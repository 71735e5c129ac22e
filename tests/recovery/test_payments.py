# ruff: noqa: F811 - the fixtures imported from payment_fixtures
"""Incoming payments (issue 18 §4): registered by hand or imported from a
BgMax file, matched on the OCR reference, the rest queued and resolved."""

import datetime
import uuid
from pathlib import Path

import hypothesis
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import strategies as st

from fordela.access.models import StaffRole
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.recovery.models import (
    BgMaxImport,
    IncomingPayment,
    IncomingPaymentStatus,
    InvoiceStatus,
    PaymentSource,
    QueueReason,
)
from fordela.recovery.services import payments
from tests.recovery.bgmax_files import bgmax_file, deposit, payment
from tests.recovery.payment_fixtures import (  # noqa: F401 - fixtures
    create_invoice,
    ekonomi,
    make_invoice,
    make_staff,
    today,
)

DATA = Path(__file__).parent / "data"
BG = "55555551"
PAID_ON = datetime.date(2022, 6, 14)
MATCHED, TO_RESOLVE, RESOLVED = (
    IncomingPaymentStatus.MATCHED,
    IncomingPaymentStatus.TO_RESOLVE,
    IncomingPaymentStatus.RESOLVED,
)


def _file(*pays, bankgiro=BG, **overrides) -> bytes:
    return bgmax_file([deposit(bankgiro, list(pays))], **overrides)


def _by_hand(user, invoice_or_reference, amount_sek, **fields):
    reference = getattr(invoice_or_reference, "ocr", invoice_or_reference)
    fields.setdefault("paid_on", PAID_ON)
    return payments.register_payment(user, reference=reference, amount_sek=amount_sek, **fields)


def _unchanged(invoice):
    before = (invoice.paid_sek, invoice.status)
    invoice.refresh_from_db()
    return (invoice.paid_sek, invoice.status) == before


# ------------------------------------------------------------------ by hand


def test_a_full_payment_by_hand_pays_the_invoice(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    paid = _by_hand(ekonomi, invoice, 10_000, payer_name="Ale kommun")
    invoice.refresh_from_db()
    assert (paid.status, paid.invoice, paid.applied_sek) == (MATCHED, invoice, 10_000)
    assert paid.source == PaymentSource.MANUAL and paid.payer_name == "Ale kommun"
    assert (invoice.paid_sek, invoice.status, invoice.outstanding_sek) == (
        10_000,
        InvoiceStatus.PAID,
        0,
    )
    assert AuditEvent.objects.filter(action=AuditAction.PAYMENT_REGISTERED).count() == 1
    applied = AuditEvent.objects.get(action=AuditAction.INVOICE_PAYMENT_APPLIED)
    assert applied.after["applied_sek"] == 10_000 and applied.object_id == str(invoice.pk)


def test_an_underpayment_leaves_the_invoice_partly_paid_with_the_remainder(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    _by_hand(ekonomi, invoice, 4_000)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTLY_PAID and invoice.outstanding_sek == 6_000
    _by_hand(ekonomi, invoice, 6_000)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.outstanding_sek == 0


def test_an_overpayment_settles_the_invoice_and_queues_the_excess(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    paid = _by_hand(ekonomi, invoice, 12_500)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert (paid.status, paid.queue_reason, paid.applied_sek, paid.excess_sek) == (
        TO_RESOLVE,
        QueueReason.OVERPAID,
        10_000,
        2_500,
    )


@pytest.mark.parametrize(
    "reference, reason",
    [
        ("", QueueReason.NO_REFERENCE),
        ("Återbetalning", QueueReason.NO_REFERENCE),
        ("202200000126", QueueReason.BAD_REFERENCE),  # the check digit is wrong
        ("202200000135", QueueReason.BAD_REFERENCE),  # the length digit is wrong
        ("999999999999999999999990", QueueReason.BAD_REFERENCE),
        ("100000000000000000000000000000000000", QueueReason.BAD_REFERENCE),
        ("202200009928", QueueReason.UNKNOWN_REFERENCE),  # valid, no such invoice
    ],
)
def test_a_payment_that_matches_no_invoice_goes_to_the_queue(
    ekonomi, make_invoice, reference, reason
):
    from fordela.recovery import ocr

    assert reason != QueueReason.UNKNOWN_REFERENCE or ocr.passes_variable_length_check(reference)
    invoice = make_invoice(10_000)
    paid = _by_hand(ekonomi, reference[:25], 10_000)
    assert (paid.status, paid.queue_reason, paid.invoice, paid.applied_sek) == (
        TO_RESOLVE,
        reason,
        None,
        0,
    )
    assert _unchanged(invoice)


def test_the_reference_matches_by_its_digits(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    spaced = f"{invoice.ocr[:4]} {invoice.ocr[4:8]} {invoice.ocr[8:]}"
    assert _by_hand(ekonomi, spaced, 10_000).status == MATCHED


def test_a_payment_on_a_closed_invoice_goes_to_the_queue(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    _by_hand(ekonomi, invoice, 10_000)
    second = _by_hand(ekonomi, invoice, 10_000)
    invoice.refresh_from_db()
    assert (second.status, second.queue_reason, second.applied_sek) == (
        TO_RESOLVE,
        QueueReason.CLOSED_INVOICE,
        0,
    )
    assert invoice.paid_sek == 10_000


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount_sek": 0}, "amount_sek", "at least 1 krona"),
        ({"amount_sek": -5}, "amount_sek", "at least 1 krona"),
        ({"amount_sek": 10**11}, "amount_sek", "at most"),
        ({"amount_sek": 10**30}, "amount_sek", "at most"),
        ({"amount_sek": "100"}, "amount_sek", "whole kronor"),
        ({"amount_sek": 1.5}, "amount_sek", "whole kronor"),
        ({"paid_on": datetime.date(2022, 6, 16)}, "paid_on", "after today"),
        ({"paid_on": datetime.date(9999, 12, 31)}, "paid_on", "after today"),
        ({"paid_on": datetime.date(1999, 12, 31)}, "paid_on", "before 2000"),
        ({"paid_on": None}, "paid_on", "payment date"),
        ({"reference": "1" * 26}, "reference", "at most 25"),
        ({"payer_name": "x" * 201}, "payer_name", "at most 200"),
    ],
)
def test_bad_input_by_hand_is_refused_and_changes_nothing(
    ekonomi, make_invoice, fields, field, message
):
    invoice = make_invoice(10_000)
    values = {"reference": invoice.ocr, "amount_sek": 100, "paid_on": PAID_ON, **fields}
    with pytest.raises(ValidationError) as raised:
        payments.register_payment(ekonomi, **values)
    assert message in " ".join(raised.value.message_dict[field])
    assert not IncomingPayment.objects.exists() and _unchanged(invoice)


def test_the_same_form_posted_twice_registers_once(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    key = uuid.uuid4()
    first = _by_hand(ekonomi, invoice, 4_000, submission_key=key)
    with pytest.raises(payments.AlreadyRegistered) as raised:
        _by_hand(ekonomi, invoice, 4_000, submission_key=str(key))
    assert raised.value.payment == first
    invoice.refresh_from_db()
    assert invoice.paid_sek == 4_000 and IncomingPayment.objects.count() == 1


@pytest.mark.parametrize(
    "role",
    [StaffRole.HANDLAGGARE, StaffRole.BESLUTSFATTARE, StaffRole.CONSULTEE],
)
def test_only_ekonomi_registers_imports_and_resolves(make_invoice, role):
    other = make_staff(role)
    invoice = make_invoice(10_000)
    with pytest.raises(PermissionDenied):
        _by_hand(other, invoice, 100)
    with pytest.raises(PermissionDenied):
        payments.import_bgmax(other, "bgmax.txt", _file(payment(invoice.ocr, 100_00, 1)))
    ekonomi = make_staff(StaffRole.EKONOMI)
    queued = _by_hand(ekonomi, "", 100)
    with pytest.raises(PermissionDenied):
        payments.resolve_payment(other, queued, action="close", note="Fel")
    assert IncomingPayment.objects.count() == 1 and _unchanged(invoice)


# -------------------------------------------------------------------- BgMax


def test_the_sample_file_one_full_one_partial_one_unmatched(ekonomi, make_invoice):
    full, partial, untouched = make_invoice(10_000), make_invoice(5_000), make_invoice(700)
    assert (full.ocr, partial.ocr) == ("202200000125", "202200000224")
    content = (DATA / "bgmax_three_payments.txt").read_bytes()
    imported = payments.import_bgmax(ekonomi, "BGMAX_20220615.txt", content)
    assert (imported.payment_count, imported.total_sek, imported.skipped) == (3, 13_734, [])
    assert imported.sha256 == payments.sha256(content) and imported.bankgiro == BG
    assert imported.written_at.isoformat() == "2022-06-15T06:12:44.512301+02:00"
    rows = {p.bgc_serial: p for p in imported.payments.all()}
    assert (
        rows["660000000101"].status == MATCHED and rows["660000000101"].payer_name == "Ale kommun"
    )
    assert rows["660000000102"].status == MATCHED and rows["660000000102"].applied_sek == 2_500
    unmatched = rows["660000000103"]
    assert (unmatched.status, unmatched.queue_reason) == (TO_RESOLVE, QueueReason.NO_REFERENCE)
    assert unmatched.information == "Avser återkrav 2021" and unmatched.paid_on == PAID_ON
    for invoice in (full, partial):
        invoice.refresh_from_db()
    assert (full.status, partial.status, partial.outstanding_sek) == (
        InvoiceStatus.PAID,
        InvoiceStatus.PARTLY_PAID,
        2_500,
    )
    assert _unchanged(untouched)
    event = AuditEvent.objects.get(action=AuditAction.BGMAX_IMPORTED)
    assert event.after["payments"] == 3 and event.after["matched"] == 2

    # The same file again: refused, nothing registered twice.
    with pytest.raises(ValidationError, match="already been imported") as raised:
        payments.import_bgmax(ekonomi, "kopia.txt", content)
    assert "15 June 2022" in raised.value.messages[0]
    assert IncomingPayment.objects.count() == 3 and BgMaxImport.objects.count() == 1
    partial.refresh_from_db()
    assert partial.paid_sek == 2_500


def test_an_overlapping_file_skips_what_is_registered_and_says_so(ekonomi, make_invoice):
    make_invoice(10_000), make_invoice(5_000)
    third = make_invoice(1_000)
    payments.import_bgmax(ekonomi, "a.txt", (DATA / "bgmax_three_payments.txt").read_bytes())
    imported = payments.import_bgmax(
        ekonomi, "b.txt", (DATA / "bgmax_overlapping.txt").read_bytes()
    )
    assert imported.payment_count == 1
    assert [s["bgc_serial"] for s in imported.skipped] == ["660000000103"]
    assert imported.skipped[0]["reason"] == payments.SKIPPED_REGISTERED
    assert IncomingPayment.objects.filter(bgc_serial="660000000103").count() == 1
    # 500,50 kr: the 500 kronor are applied, the 50 öre wait in the queue.
    [falun] = imported.payments.all()
    third.refresh_from_db()
    assert (falun.amount_sek, falun.ore, falun.applied_sek) == (500, 50, 500)
    assert (falun.status, falun.queue_reason) == (TO_RESOLVE, QueueReason.ORE)
    assert third.paid_sek == 500 and third.status == InvoiceStatus.PARTLY_PAID


def test_a_file_with_only_registered_payments_registers_nothing(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    payments.import_bgmax(ekonomi, "a.txt", _file(payment(invoice.ocr, 100_00, 1)))
    again = payments.import_bgmax(
        ekonomi,
        "b.txt",
        _file(payment(invoice.ocr, 100_00, 1), written_at=datetime.datetime(2022, 6, 15, 8)),
    )
    assert again.payment_count == 0 and len(again.skipped) == 1
    invoice.refresh_from_db()
    assert invoice.paid_sek == 100


def test_two_payments_to_one_invoice_in_one_file_add_up(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    imported = payments.import_bgmax(
        ekonomi,
        "a.txt",
        _file(payment(invoice.ocr, 6_000_00, 1), payment(invoice.ocr, 6_000_00, 2)),
    )
    invoice.refresh_from_db()
    first, second = imported.payments.order_by("bgc_serial")
    assert (first.applied_sek, first.status) == (6_000, MATCHED)
    assert (second.applied_sek, second.excess_sek, second.queue_reason) == (
        4_000,
        2_000,
        QueueReason.OVERPAID,
    )
    assert invoice.paid_sek == 10_000 and invoice.status == InvoiceStatus.PAID


def test_a_payment_under_one_krona_is_skipped_and_reported(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    imported = payments.import_bgmax(ekonomi, "a.txt", _file(payment(invoice.ocr, 99, 1)))
    assert imported.payment_count == 0
    assert imported.skipped[0]["reason"] == payments.SKIPPED_BELOW_ONE_KRONA


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "inte en BgMax-fil"),
        (b"PK\x03\x04" + b"\x00" * 40, "inte en BgMax-fil"),
        (b"Namn;Belopp\nAle;1000\n", "inte en BgMax-fil"),
        ((DATA / "bgmax_wrong_count.txt").read_bytes(), "Slutposten säger 4"),
        ((DATA / "bgmax_wrong_sum.txt").read_bytes(), "inte summan"),
        ((DATA / "bgmax_other_bankgiro.txt").read_bytes(), "bank giro 991-2346"),
        (_file(payment("1", 100, 1), test_marker="T"), "test file"),
        (_file(payment("1", 100, 1), payment("2", 100, 2, code="21")), "deduction"),
        (_file(payment("1", 10**13, 1)), "larger than any payment"),
        (_file(payment("1", 100, 1), payment("2", 100, 1)), "twice"),
        (
            bgmax_file([deposit(BG, [payment("1", 100, 1)], paid_on=datetime.date(2022, 6, 16))]),
            "after today",
        ),
        (
            bgmax_file([deposit(BG, [payment("1", 100, 1)], paid_on=datetime.date(2099, 1, 1))]),
            "after today",
        ),
        (b"x" * (payments.MAX_FILE_BYTES + 1), "at most 5 MB"),
        (bgmax_file([]), "no payments"),
        (bgmax_file([deposit(BG, [])]), "no payments"),
    ],
)
def test_a_wrong_file_is_refused_whole(ekonomi, make_invoice, content, message):
    invoice = make_invoice(10_000)
    with pytest.raises(ValidationError) as raised:
        payments.import_bgmax(ekonomi, "fil.txt", content)
    assert message in raised.value.message_dict["file"][0]
    assert not BgMaxImport.objects.exists() and not IncomingPayment.objects.exists()
    assert _unchanged(invoice)


def test_a_wrong_file_names_its_line(ekonomi):
    with pytest.raises(ValidationError) as raised:
        payments.import_bgmax(ekonomi, "fil.txt", (DATA / "bgmax_wrong_sum.txt").read_bytes())
    assert raised.value.message_dict["file"][0].startswith("Rad 13: ")


def test_the_filename_is_kept_without_its_path(ekonomi):
    imported = payments.import_bgmax(
        ekonomi, "C:\\Users\\ek\\" + "a" * 300 + ".txt", _file(payment("1", 100, 1))
    )
    assert imported.filename == "a" * 200


# --------------------------------------------------------------- the queue


def test_an_unmatched_payment_is_applied_by_hand(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    queued = _by_hand(ekonomi, "Återbetalning Ale", 4_000)
    resolved = payments.resolve_payment(
        ekonomi, queued, action="apply", invoice=invoice, note="Ale kommun, se mejl."
    )
    invoice.refresh_from_db()
    assert (resolved.status, resolved.invoice, resolved.applied_sek) == (RESOLVED, invoice, 4_000)
    assert resolved.resolved_by == ekonomi and resolved.resolution == "Ale kommun, se mejl."
    assert invoice.paid_sek == 4_000 and invoice.status == InvoiceStatus.PARTLY_PAID
    event = AuditEvent.objects.get(action=AuditAction.PAYMENT_RESOLVED)
    assert event.before["status"] == TO_RESOLVE and event.after["action"] == "apply"


def test_applying_more_than_the_invoice_claims_keeps_the_rest_in_the_queue(ekonomi, make_invoice):
    invoice = make_invoice(1_000)
    queued = _by_hand(ekonomi, "", 4_000)
    still = payments.resolve_payment(ekonomi, queued, action="apply", invoice=invoice.pk)
    assert (still.status, still.applied_sek, still.excess_sek, still.queue_reason) == (
        TO_RESOLVE,
        1_000,
        3_000,
        QueueReason.OVERPAID,
    )
    refunded = payments.resolve_payment(ekonomi, still, action="refund", note="Till bg 991-2346")
    assert (refunded.status, refunded.refunded_sek, refunded.excess_sek) == (RESOLVED, 3_000, 0)


def test_an_overpayment_is_refunded(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    over = _by_hand(ekonomi, invoice, 12_500)
    done = payments.resolve_payment(ekonomi, over, action="refund")
    assert (done.status, done.refunded_sek, done.applied_sek) == (RESOLVED, 2_500, 10_000)


def test_the_ore_of_a_payment_are_closed_with_a_note(ekonomi, make_invoice):
    invoice = make_invoice(500)
    imported = payments.import_bgmax(ekonomi, "a.txt", _file(payment(invoice.ocr, 500_50, 1)))
    [row] = imported.payments.all()
    with pytest.raises(ValidationError, match="close it with a note"):
        payments.resolve_payment(ekonomi, row, action="refund")
    with pytest.raises(ValidationError) as raised:
        payments.resolve_payment(ekonomi, row, action="close", note="  ")
    assert "Write why" in raised.value.message_dict["note"][0]
    done = payments.resolve_payment(ekonomi, row, action="close", note="Öresavrundning.")
    assert done.status == RESOLVED and done.ore == 50


def test_the_queue_refuses_what_cannot_be_done(ekonomi, make_invoice):
    invoice, other = make_invoice(10_000), make_invoice(2_000)
    over = _by_hand(ekonomi, invoice, 12_500)
    with pytest.raises(ValidationError, match="only to that invoice"):
        payments.resolve_payment(ekonomi, over, action="apply", invoice=other)
    with pytest.raises(ValidationError, match="an open invoice"):
        payments.resolve_payment(ekonomi, over, action="apply", invoice=invoice)
    with pytest.raises(ValidationError, match="Choose the invoice"):
        payments.resolve_payment(ekonomi, over, action="apply")
    with pytest.raises(ValidationError, match="no such invoice"):
        payments.resolve_payment(ekonomi, over, action="apply", invoice=10**9)
    with pytest.raises(ValidationError, match="Choose what to do"):
        payments.resolve_payment(ekonomi, over, action="delete")
    with pytest.raises(ValidationError, match="at most 2000"):
        payments.resolve_payment(ekonomi, over, action="close", note="x" * 2001)
    matched = _by_hand(ekonomi, other, 2_000)
    with pytest.raises(ValidationError, match="not in the queue"):
        payments.resolve_payment(ekonomi, matched, action="close", note="x")
    done = payments.resolve_payment(ekonomi, over, action="refund")
    with pytest.raises(ValidationError, match="not in the queue"):
        payments.resolve_payment(ekonomi, done, action="refund")
    other.refresh_from_db()
    assert other.paid_sek == 2_000
    assert not AuditEvent.objects.filter(
        action=AuditAction.PAYMENT_RESOLVED, after__action="apply"
    ).exists()


def test_a_payment_on_a_closed_invoice_may_go_to_another(ekonomi, make_invoice):
    invoice, other = make_invoice(1_000), make_invoice(1_000)
    _by_hand(ekonomi, invoice, 1_000)
    late = _by_hand(ekonomi, invoice, 1_000)
    done = payments.resolve_payment(ekonomi, late, action="apply", invoice=other)
    other.refresh_from_db()
    assert done.status == RESOLVED and done.invoice == other and other.status == InvoiceStatus.PAID


# ------------------------------------------------------------- properties


@hypothesis.settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    invoice_sek=st.integers(min_value=1, max_value=50_000),
    amounts=st.lists(st.integers(min_value=1, max_value=30_000), min_size=1, max_size=6),
)
def test_payments_to_one_invoice_settle_it_to_the_krona(ekonomi, today, invoice_sek, amounts):
    invoice = create_invoice(invoice_sek)
    made = [_by_hand(ekonomi, invoice, amount) for amount in amounts]
    invoice.refresh_from_db()
    total = sum(amounts)
    assert invoice.paid_sek == min(total, invoice_sek) == sum(p.applied_sek for p in made)
    assert sum(p.excess_sek for p in made) == total - invoice.paid_sek
    assert invoice.status == (
        InvoiceStatus.PAID if total >= invoice_sek else InvoiceStatus.PARTLY_PAID
    )
    for paid in made:
        assert (paid.status == MATCHED) == (paid.excess_sek == 0)


def test_extra_references_and_information_are_kept_on_the_payment(ekonomi, make_invoice):
    invoice = make_invoice(10_000)
    content = _file(
        payment(
            invoice.ocr,
            10_000_00,
            1,
            information=["Avser två fakturor"],
            extra_references=[("22", "202200009928", 0), ("23", "202200009928", 5_00)],
        )
    )
    [row] = payments.import_bgmax(ekonomi, "a.txt", content).payments.all()
    assert row.extra_references == [
        {"reference": "202200009928", "amount_ore": 0},
        {"reference": "202200009928", "amount_ore": -500},
    ]
    assert row.information == "Avser två fakturor" and row.status == MATCHED


def test_no_uploaded_file_is_kept():
    from django.db.models import FileField

    for model in (BgMaxImport, IncomingPayment):
        assert not [f for f in model._meta.get_fields() if isinstance(f, FileField)]
