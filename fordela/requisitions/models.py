"""Requisitions (*rekvisitioner*) of an allocation, and the redistribution
(*omfördelning*) of what was not requisitioned by the deadline."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fordela.allocation.models import Allocation
from fordela.core import clock
from fordela.organisations.models import CODE_LENGTH, Organisation
from fordela.programmes.models import Pool


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


# The state machine: from → allowed targets. "paid" is set by payments only.
REQUISITION_TRANSITIONS: dict[str, frozenset[str]] = {
    RequisitionStatus.DRAFT: frozenset({RequisitionStatus.SUBMITTED, RequisitionStatus.WITHDRAWN}),
    RequisitionStatus.SUBMITTED: frozenset(
        {RequisitionStatus.PAID, RequisitionStatus.REJECTED, RequisitionStatus.RETURNED}
    ),
    # Returned for correction (*återsänd för komplettering*): the organisation
    # edits and submits again (same case number), or the officer rejects it.
    RequisitionStatus.RETURNED: frozenset(
        {RequisitionStatus.SUBMITTED, RequisitionStatus.REJECTED}
    ),
    RequisitionStatus.PAID: frozenset(),
    RequisitionStatus.WITHDRAWN: frozenset(),
    RequisitionStatus.REJECTED: frozenset(),
}
# Statuses in which the requisition counts as requisitioned money.
REQUISITIONED = (RequisitionStatus.SUBMITTED, RequisitionStatus.PAID)
# Statuses in which the organisation may edit the requisition.
EDITABLE = (RequisitionStatus.DRAFT, RequisitionStatus.RETURNED)


class Requisition(models.Model):
    """A requisition (*rekvisition*): an organisation asks for (part of) its
    allocation from a requisition pool. One per organisation and pool."""

    # No index of its own: the unique (organisation, pool) constraint's index
    # begins with it. Every index is written again by each submission (the
    # status and case number change), so none is kept that no query needs.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requisitions", db_index=False
    )
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="requisitions")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="+")
    # The allocation's amount when the case was started (the key is frozen, so it
    # never differs; kept so the check constraint can compare within the row).
    allocation_sek = models.PositiveBigIntegerField(_("allocation (kr)"))
    amount_sek = models.PositiveBigIntegerField(_("requisitioned amount (kr)"))
    wants_redistribution = models.BooleanField(
        _("we want a share of unrequisitioned funds"), default=False
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    bank_giro = models.CharField(_("bank giro"), max_length=8, blank=True, default="")
    conditions_confirmed = models.BooleanField(_("conditions confirmed"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RequisitionStatus.choices, default="draft"
    )
    # Unique by a constraint (below), not unique=True: that would add a second
    # index for LIKE searches, which no query makes.
    case_number = models.CharField(_("case number"), max_length=20, null=True, blank=True)
    created_at = clock.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = clock.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # How many times it has been submitted: a resubmission after a return for
    # correction owes through a new payable, whose reference counts it.
    submission_count = models.PositiveSmallIntegerField(_("submissions"), default=0)

    class Meta:
        ordering = ["pool", "organisation__name"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pool"], name="one_requisition_per_organisation_pool"
            ),
            models.UniqueConstraint(fields=["case_number"], name="one_requisition_per_case_number"),
            # Exactly one submitted case per organisation and pool, even under races.
            models.UniqueConstraint(
                fields=["organisation", "pool"],
                condition=Q(status__in=["submitted", "paid"]),
                name="one_submitted_requisition_per_organisation_pool",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequisitionStatus.values), name="requisition_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_sek__gte=1) & Q(amount_sek__lte=F("allocation_sek")),
                name="requisition_amount_within_allocation",
            ),
            models.CheckConstraint(
                condition=Q(wants_redistribution=False) | Q(amount_sek=F("allocation_sek")),
                name="requisition_opt_in_only_with_full_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "paid"])
                | (
                    Q(case_number__isnull=False)
                    & Q(submitted_at__isnull=False)
                    & Q(submitted_by__isnull=False)
                    & Q(conditions_confirmed=True)
                ),
                name="requisition_submitted_has_case_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number or _('Draft')} {self.organisation.name} – {self.pool}"

    @property
    def is_draft(self) -> bool:
        return self.status == RequisitionStatus.DRAFT

    @property
    def is_requisitioned(self) -> bool:
        return self.status in REQUISITIONED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def payable_reference(self) -> str:
        """The payable's idempotency key for the current submission:
        ``requisition:<id>`` the first time, ``requisition:<id>:<n>`` for the
        n:th submission after returns for correction."""
        if self.submission_count <= 1:
            return f"requisition:{self.pk}"
        return f"requisition:{self.pk}:{self.submission_count}"


class MessageKind(models.TextChoices):
    RETURN = "return", _("Returned for correction")
    REJECTION = "rejection", _("Rejected")
    NOTE = "note", _("Note")


class RequisitionMessage(models.Model):
    """What the handläggare wrote to the organisation about a submitted
    requisition (*meddelande*): why it was returned or rejected, or a note."""

    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="officer_messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    text = models.TextField(_("message"), max_length=4000)
    created_at = clock.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message about a requisition")
        verbose_name_plural = _("messages from Socialstyrelsen")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="requisition_message_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="requisition_message_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.requisition} {self.kind}"


class Redistribution(models.Model):
    """The confirmed redistribution (*omfördelning*) of a pool's
    unrequisitioned amount (decisions.md 4). Frozen once created."""

    pool = models.OneToOneField(Pool, on_delete=models.PROTECT, related_name="redistribution")
    allocated_sek = models.PositiveBigIntegerField(_("allocated (kr)"))
    requisitioned_sek = models.PositiveBigIntegerField(_("requisitioned (kr)"))
    unrequisitioned_sek = models.PositiveBigIntegerField(_("not requisitioned (kr)"))
    redistributed_sek = models.PositiveBigIntegerField(_("redistributed (kr)"))
    unallocated_sek = models.PositiveBigIntegerField(_("unallocated (kr)"))
    population_date = models.DateField(_("population date"))
    confirmed_at = models.DateTimeField(_("confirmed"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("redistribution")
        verbose_name_plural = _("redistributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    unrequisitioned_sek=F("redistributed_sek") + F("unallocated_sek"),
                    allocated_sek=F("requisitioned_sek") + F("unrequisitioned_sek"),
                ),
                name="redistribution_balances",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Redistribution')} {self.pool}"


class RedistributionShare(models.Model):
    """One opted-in organisation's share of a redistribution."""

    redistribution = models.ForeignKey(
        Redistribution, on_delete=models.PROTECT, related_name="shares"
    )
    requisition = models.OneToOneField(
        Requisition, on_delete=models.PROTECT, related_name="redistribution_share"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=CODE_LENGTH)  # as Allocation.code
    population = models.PositiveIntegerField(_("population"))
    amount_sek = models.PositiveBigIntegerField(_("redistributed (kr)"))

    class Meta:
        ordering = ["redistribution", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["redistribution", "organisation"], name="one_share_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount_sek} kr"


class ReminderKind(models.TextChoices):
    DEADLINE = "deadline", _("Deadline approaching")


class Reminder(models.Model):
    """A reminder e-mail sent to an organisation about a pool; never twice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pool", "kind"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.pool} {self.kind}"
