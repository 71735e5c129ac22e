"""What the agency owes organisations (*utbetalningar*) and the batches that
pay them. A payable is paid at most once: it is in at most one live batch
item (a partial unique constraint) and its status is checked by the database."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.programmes.models import Pool


class PayableSource(models.TextChoices):
    REQUISITION = "requisition", _("Requisition")
    REDISTRIBUTION = "redistribution", _("Redistribution")
    GRANT = "grant", _("Grant decision")


class PayableStatus(models.TextChoices):
    OPEN = "open", _("To be paid")
    BATCHED = "batched", _("In a payment batch")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


PAYABLE_TRANSITIONS: dict[str, frozenset[str]] = {
    PayableStatus.OPEN: frozenset({PayableStatus.BATCHED, PayableStatus.CANCELLED}),
    PayableStatus.BATCHED: frozenset({PayableStatus.PAID, PayableStatus.OPEN}),
    PayableStatus.PAID: frozenset(),
    PayableStatus.CANCELLED: frozenset(),
}


class Payable(models.Model):
    """An amount the agency owes one organisation, from one source (a
    requisition, a redistribution share, later a grant decision)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="payables")
    source = models.CharField(_("source"), max_length=20, choices=PayableSource.choices)
    # Idempotency key, e.g. "requisition:12": the same source never owes twice
    # (a unique constraint below; unique=True would add an index for LIKE).
    reference = models.CharField(_("reference"), max_length=60)
    case_number = models.CharField(_("case number"), max_length=20)
    requisition = models.ForeignKey(
        "requisitions.Requisition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payables",
    )
    redistribution_share = models.OneToOneField(
        "requisitions.RedistributionShare",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payable",
    )
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    bank_giro = models.CharField(_("bank giro"), max_length=8)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=PayableStatus.choices, default=PayableStatus.OPEN
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    paid_batch = models.ForeignKey(
        "PaymentBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("payable")
        verbose_name_plural = _("payables")
        # The payments page lists the open payables in this order and sums
        # them; paid ones (nearly all, in time) are never in it.
        indexes = [
            models.Index(
                fields=["due_on", "id"], condition=Q(status="open"), name="payable_open_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="one_payable_per_reference"),
            models.CheckConstraint(
                condition=Q(status__in=PayableStatus.values), name="payable_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount_sek__gte=1), name="payable_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(status="paid", paid_on__isnull=False, paid_batch__isnull=False)
                    | (~Q(status="paid") & Q(paid_on__isnull=True, paid_batch__isnull=True))
                ),
                name="payable_paid_has_batch_and_date",
            ),
            models.CheckConstraint(
                condition=Q(source="requisition", requisition__isnull=False)
                | Q(source="redistribution", redistribution_share__isnull=False)
                | Q(source="grant"),
                name="payable_source_has_object",
            ),
            # One live payable per requisition: a requisition returned for
            # correction has its payable cancelled and owes again through a
            # new one when it is resubmitted.
            models.UniqueConstraint(
                fields=["requisition"],
                condition=Q(source="requisition") & ~Q(status="cancelled"),
                name="one_live_payable_per_requisition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.organisation.name}: {self.amount_sek} kr"


class BatchStatus(models.TextChoices):
    CREATED = "created", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    BatchStatus.CREATED: frozenset({BatchStatus.APPROVED, BatchStatus.CANCELLED}),
    BatchStatus.APPROVED: frozenset({BatchStatus.PAID, BatchStatus.CANCELLED}),
    BatchStatus.PAID: frozenset(),
    BatchStatus.CANCELLED: frozenset(),
}


class PaymentBatch(models.Model):
    """A payment batch (*utbetalningsomgång*): created by one ekonomi user,
    approved by another, exported as pain.001 and marked paid when the bank
    confirms."""

    reference = models.CharField(_("reference"), max_length=35, unique=True)
    payment_date = models.DateField(_("payment date"))
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.CREATED
    )
    total_sek = models.PositiveBigIntegerField(_("total (kr)"))
    item_count = models.PositiveIntegerField(_("payments"))
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("payment confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="payment_batch_status_valid"
            ),
            # Four eyes: the approver is never the creator.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="payment_batch_approver_not_creator",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_by__isnull=False),
                name="payment_batch_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(confirmed_at__isnull=False),
                name="payment_batch_paid_has_confirmation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class PaymentBatchItem(models.Model):
    """One payable in one batch. A payable is in at most one live batch."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    payable = models.ForeignKey(Payable, on_delete=models.PROTECT, related_name="batch_items")
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    # Set when the batch is cancelled, which frees the payable for another batch.
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["batch", "payable__case_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["payable"],
                condition=Q(released=False),
                name="payable_in_one_live_batch",
            ),
            models.UniqueConstraint(fields=["batch", "payable"], name="payable_once_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.batch}: {self.payable}"
