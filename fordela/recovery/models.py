"""Recovery (*återkrav*): money not used, or not used for the grant's purpose,
claimed back (domain.md §2.11, decisions.md 7–8, issue 18).

A ``RecoveryDecision`` (*återkravsbeslut*) is proposed by the handläggare
and decided by a beslutsfattare (four eyes), from one follow-up report: an
approved report with unused money, a rejected report, or a report still
missing after its deadline and one reminder. A decision either claims an
amount or waives the claim (*avstår från återkrav*). A claim becomes an
``Invoice`` with an OCR reference; ``IncomingPayment`` rows are what the bank
says was paid (by hand or from a BgMax file) and are matched to invoices on
that reference. Money in whole kronor.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.programmes.models import Pool, Programme
from fordela.reports.models import Report


class RecoverySettings(models.Model):
    """A programme's terms for recovery invoices (decisions.md 7, facts §5 and
    §11): payment terms, when the reminder goes, and interest, which is off
    until the agency's lawyers say otherwise."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="recovery_settings"
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days after the due date"), default=15
    )
    interest_enabled = models.BooleanField(_("late-payment interest is charged"), default=False)
    # Printed on the invoice's terms when interest is charged, e.g. "Ränta enligt
    # 6 § räntelagen (1975:635) debiteras från förfallodagen."
    interest_terms = models.CharField(_("interest terms"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("recovery settings")
        verbose_name_plural = _("recovery settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_terms_days__gte=1, payment_terms_days__lte=365),
                name="recovery_payment_terms_in_range",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=365),
                name="recovery_reminder_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(interest_enabled=False) | ~Q(interest_terms=""),
                name="recovery_interest_has_terms",
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class RecoveryOrigin(models.TextChoices):
    """Which of the report's outcomes the decision follows from."""

    APPROVED_REPORT = "approved_report", _("Approved report with unused money")
    REJECTED_REPORT = "rejected_report", _("Report not approved")
    MISSING_REPORT = "missing_report", _("No report after the deadline and a reminder")


class RecoveryGround(models.TextChoices):
    """The fixed list of grounds for a claim (issue 18 §1)."""

    UNUSED = "unused", _("Not used (ej förbrukat)")
    NOT_FOR_PURPOSE = "not_for_purpose", _("Not used for the grant's purpose")
    NO_REPORT = "no_report", _("No follow-up report")
    CONDITIONS_NOT_MET = "conditions_not_met", _("Conditions not met")


class RecoveryOutcome(models.TextChoices):
    CLAIM = "claim", _("Claim back")
    WAIVE = "waive", _("Waive the claim")


class RecoveryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Sent back to the case officer")
    DECIDED = "decided", _("Decided")


# proposed → decided | returned; returned → proposed (proposed again).
RECOVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    RecoveryStatus.PROPOSED: frozenset({RecoveryStatus.DECIDED, RecoveryStatus.RETURNED}),
    RecoveryStatus.RETURNED: frozenset({RecoveryStatus.PROPOSED}),
    RecoveryStatus.DECIDED: frozenset(),
}


class RecoveryDecision(models.Model):
    """A recovery decision (*återkravsbeslut*) on one follow-up report: one
    per report. ``paid_sek`` is what was paid for the grant the report covers
    (the report's received), and no claim exceeds it (a check constraint)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="recovery")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recovery_decisions"
    )
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="recovery_decisions")
    year = models.PositiveSmallIntegerField(_("grant year"))
    case_number = models.CharField(_("case number"), max_length=20)
    origin = models.CharField(_("origin"), max_length=20, choices=RecoveryOrigin.choices)
    ground = models.CharField(_("ground"), max_length=30, choices=RecoveryGround.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=RecoveryOutcome.choices)
    # Claimed, or (when the claim is waived) what would have been claimed.
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    paid_sek = models.PositiveBigIntegerField(_("paid for the grant (kr)"))
    motivation = models.TextField(_("motivation"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=RecoveryStatus.choices, default=RecoveryStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"))
    returned_reason = models.TextField(
        _("why it was sent back"), blank=True, default="", max_length=4000
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    letter = models.FileField(upload_to="recovery/%Y/", blank=True, default="")
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organisation__name", "pk"]
        verbose_name = _("recovery decision")
        verbose_name_plural = _("recovery decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecoveryStatus.values), name="recovery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ground__in=RecoveryGround.values), name="recovery_ground_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=RecoveryOutcome.values), name="recovery_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=RecoveryOrigin.values), name="recovery_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_sek__lte=F("paid_sek")), name="recovery_within_paid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="claim") | Q(amount_sek__gte=1),
                name="recovery_claim_is_positive",
            ),
            models.CheckConstraint(condition=~Q(motivation=""), name="recovery_has_motivation"),
            # Four eyes: the one who decides is not the one who proposed.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="recovery_four_eyes",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="decided", decided_at__isnull=False, decided_by__isnull=False)
                    | (~Q(status="decided") & Q(decided_at__isnull=True, decided_by__isnull=True))
                ),
                name="recovery_decided_has_decider",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="recovery_status_year")]

    def __str__(self) -> str:
        return f"{_('Recovery decision')} {self.case_number} {self.organisation.name}"

    @property
    def is_claim(self) -> bool:
        return self.outcome == RecoveryOutcome.CLAIM


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    # "Betald", not the payments' "Utbetald" (paid out): its own context.
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    CREDITED = "credited", _("Credited")
    WRITTEN_OFF = "written_off", _("Written off")


# utställd → delbetald → betald | krediterad | avskriven. A part credit
# keeps an invoice issued, a second part payment keeps it partly paid.
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.ISSUED: frozenset(
        {
            InvoiceStatus.ISSUED,
            InvoiceStatus.PARTLY_PAID,
            InvoiceStatus.PAID,
            InvoiceStatus.CREDITED,
            InvoiceStatus.WRITTEN_OFF,
        }
    ),
    InvoiceStatus.PARTLY_PAID: frozenset(
        {
            InvoiceStatus.PARTLY_PAID,
            InvoiceStatus.PAID,
            InvoiceStatus.CREDITED,
            InvoiceStatus.WRITTEN_OFF,
        }
    ),
    InvoiceStatus.PAID: frozenset(),
    InvoiceStatus.CREDITED: frozenset(),
    InvoiceStatus.WRITTEN_OFF: frozenset(),
}
OPEN_INVOICE = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)


class Invoice(models.Model):
    """The invoice (*faktura*) of a recovery claim. ``number`` is the year and
    a running number (``2022000001``), ``ocr`` the reference made from it
    (``recovery.ocr``). What has been paid, credited and written off is kept
    on the invoice and never exceeds its amount (a check constraint); the
    reconciliation recomputes each from its own rows."""

    decision = models.OneToOneField(
        RecoveryDecision, on_delete=models.PROTECT, related_name="invoice"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recovery_invoices"
    )
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    ocr = models.CharField(_("OCR reference"), max_length=25, unique=True)
    case_number = models.CharField(_("case number"), max_length=20)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    paid_sek = models.PositiveBigIntegerField(_("paid (kr)"), default=0)
    credited_sek = models.PositiveBigIntegerField(_("credited (kr)"), default=0)
    written_off_sek = models.PositiveBigIntegerField(_("written off (kr)"), default=0)
    written_off_reason = models.TextField(
        _("why it was written off"), blank=True, default="", max_length=2000
    )
    # The agency's bank giro and the terms as they were when it was issued.
    bankgiro = models.CharField(_("bank giro"), max_length=8)
    interest_terms = models.CharField(_("interest terms"), max_length=300, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    pdf = models.FileField(upload_to="invoices/%Y/", blank=True, default="")
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount_sek__gte=1), name="invoice_is_positive"),
            models.CheckConstraint(
                condition=Q(
                    amount_sek__gte=F("paid_sek") + F("credited_sek") + F("written_off_sek")
                ),
                name="invoice_settled_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("issued_on")), name="invoice_due_after_issue"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | Q(amount_sek=F("paid_sek") + F("credited_sek"), paid_sek__gte=1),
                name="invoice_paid_is_settled",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Invoice')} {self.number}"

    @property
    def outstanding_sek(self) -> int:
        return self.amount_sek - self.paid_sek - self.credited_sek - self.written_off_sek

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INVOICE

    @property
    def is_overdue(self) -> bool:
        return self.is_open and clock.is_past(self.due_on)


class CreditNote(models.Model):
    """A credit note (*kreditfaktura*) that takes back part or all of what an
    invoice still claims; it refers to its invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(_("credit note number"), max_length=20, unique=True)
    issued_on = models.DateField(_("date"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "issued_on", "pk"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(condition=Q(amount_sek__gte=1), name="credit_note_is_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="credit_note_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{_('Credit note')} {self.number}"


class InvoiceReminder(models.Model):
    """A payment reminder (*betalningspåminnelse*) about an open invoice: one
    per invoice and step ("after:15"), never twice (a unique constraint)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    step = models.CharField(_("step"), max_length=20)
    sent_on = models.DateField(_("reminded on"))
    recipients = models.TextField(_("recipients"), blank=True, default="")
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"], name="one_invoice_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.step} {self.sent_on}"


class BgMaxImport(models.Model):
    """One BgMax file (Bankgirot's file of incoming bank giro payments) as it
    was imported. The same file twice is refused by its checksum; a payment
    in two files is refused by its BGC serial number (``IncomingPayment``)."""

    sha256 = models.CharField(_("checksum"), max_length=64, unique=True)
    filename = models.CharField(_("file name"), max_length=200)
    bankgiro = models.CharField(_("bank giro"), max_length=10)
    written_at = models.DateTimeField(_("written by Bankgirot"), null=True, blank=True)
    payment_count = models.PositiveIntegerField(_("payments"), default=0)
    total_sek = models.PositiveBigIntegerField(_("total (kr)"), default=0)
    deposit_count = models.PositiveIntegerField(_("deposits"), default=0)
    # The file's payments that were not registered, and why: [{"bgc_serial",
    # "amount_ore", "reference", "reason"}] (already registered; under 1 kr).
    skipped = models.JSONField(_("not registered"), default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("BgMax import")
        verbose_name_plural = _("BgMax imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d})"


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Registered by hand")
    BGMAX = "bgmax", _("BgMax file")


class QueueReason(models.TextChoices):
    """Why a payment waits in the queue (``IncomingPaymentStatus.TO_RESOLVE``)."""

    NO_REFERENCE = "no_reference", _("No OCR number in the reference")
    BAD_REFERENCE = "bad_reference", _("Not a valid OCR reference")
    UNKNOWN_REFERENCE = "unknown_reference", _("No invoice has this reference")
    CLOSED_INVOICE = "closed_invoice", _("The invoice is no longer open")
    OVERPAID = "overpaid", _("More than the invoice claimed")
    ORE = "ore", _("Amount with öre")


class IncomingPaymentStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    # Unmatched, or more than the invoice still claimed: to be resolved.
    TO_RESOLVE = "to_resolve", _("To resolve")
    RESOLVED = "resolved", _("Resolved")


class IncomingPayment(models.Model):
    """One incoming payment (*inbetalning*). ``applied_sek`` of it settles
    ``invoice``; the rest (an unmatched payment, or an overpayment) waits in
    the queue until the ekonomi role resolves it (repaid to the payer, or
    applied to an invoice by hand)."""

    source = models.CharField(_("source"), max_length=10, choices=PaymentSource.choices)
    bgmax_import = models.ForeignKey(
        BgMaxImport, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    # Bankgirot's serial number of the payment (BGC-löpnummer): the same
    # payment is never registered twice.
    bgc_serial = models.CharField(
        _("BGC serial number"), max_length=12, null=True, blank=True, unique=True
    )
    reference = models.CharField(_("reference"), max_length=25, blank=True, default="")
    payer_name = models.CharField(_("payer"), max_length=200, blank=True, default="")
    payer_bankgiro = models.CharField(_("payer's bank giro"), max_length=10, blank=True, default="")
    paid_on = models.DateField(_("payment date"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    applied_sek = models.PositiveBigIntegerField(_("applied to the invoice (kr)"), default=0)
    # The öre of an amount that was not whole kronor (0–99): never applied to
    # an invoice; the payment waits in the queue until resolved.
    ore = models.PositiveSmallIntegerField(_("öre"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=IncomingPaymentStatus.choices)
    queue_reason = models.CharField(
        _("why it is to be resolved"),
        max_length=20,
        choices=QueueReason.choices,
        blank=True,
        default="",
    )
    # From the BgMax file: extra references (TK22/TK23) and information text (TK25).
    extra_references = models.JSONField(_("extra references"), default=list, blank=True)
    information = models.TextField(_("information"), blank=True, default="", max_length=2000)
    # A payment registered by hand carries its form's key: a second submit of
    # the same form registers nothing.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    resolution = models.TextField(_("resolution"), blank=True, default="", max_length=2000)
    # Of the excess, what was paid back to the payer when it was resolved.
    refunded_sek = models.PositiveBigIntegerField(_("paid back (kr)"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("incoming payment")
        verbose_name_plural = _("incoming payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IncomingPaymentStatus.values),
                name="incoming_payment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount_sek__gte=1), name="incoming_payment_is_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_sek__gte=F("applied_sek") + F("refunded_sek")),
                name="incoming_payment_applied_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(invoice__isnull=False) | Q(applied_sek=0),
                name="incoming_payment_applied_to_an_invoice",
            ),
            models.CheckConstraint(
                condition=~Q(status="matched")
                | Q(invoice__isnull=False, amount_sek=F("applied_sek")),
                name="incoming_payment_matched_in_full",
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | Q(bgmax_import__isnull=False),
                name="incoming_payment_file_has_import",
            ),
            models.CheckConstraint(
                condition=Q(ore__lte=99), name="incoming_payment_ore_below_1_kr"
            ),
            models.CheckConstraint(
                condition=Q(queue_reason="") | Q(queue_reason__in=QueueReason.values),
                name="incoming_payment_queue_reason_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="incoming_payment_status")]

    def __str__(self) -> str:
        return f"{_('Payment')} {self.reference or '–'} {self.amount_sek} kr {self.paid_on}"

    @property
    def excess_sek(self) -> int:
        """What of it is neither applied to an invoice nor paid back."""
        return self.amount_sek - self.applied_sek - self.refunded_sek
