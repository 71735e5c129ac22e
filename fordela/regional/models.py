"""Regional sub-grants (issue 20): a region passes its state grant on in a
round of its own (the VKV model, decisions.md 12).

The chain: the agency's paid requisition to the region (plus its
redistributed share) backs a ``SubGrantRound``; local actors and the region's
own units apply; the region's staff decide (four eyes); the grantee reports
(``SubGrantReport``, the follow-up report form's questions); after an
approved report the grantee invoices the region (``SubGrantInvoice``) and the
region pays it. None of this is the agency's money a second time: the
national ledger counts the region's requisition once (docs/regional.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fordela.applications.models import PublishedVersion
from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.programmes.models import ProgrammeYear
from fordela.reports.models import COMMENT_LIMIT, ReportStatus

# ------------------------------------------------------------------- rounds


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed, being decided")
    FINISHED = "finished", _("Decided")


ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundStatus.DRAFT: frozenset({RoundStatus.OPEN}),
    RoundStatus.OPEN: frozenset({RoundStatus.CLOSED}),
    RoundStatus.CLOSED: frozenset({RoundStatus.FINISHED}),
    RoundStatus.FINISHED: frozenset(),
}


class SubGrantRound(models.Model):
    """One region's own round in one grant year, backed by its state grant.

    ``state_funding_sek`` is what the agency paid the region for the year
    (requisitioned + redistributed, from the ledger when the round was set
    up or its funding refreshed); ``own_funding_sek`` is money the region
    adds itself, shown apart. ``decided_sek`` is the sum granted so far: the
    database refuses a row where it exceeds the two together."""

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rounds_run")
    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="regional_rounds"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("in short"), blank=True, default="", max_length=4000)
    purposes = models.TextField(_("what the money may be used for"), blank=True, default="")
    contact = models.CharField(_("contact"), max_length=300, blank=True, default="")
    apply_by = models.DateField(_("last day to apply"))
    decide_by = models.DateField(_("decision by"))
    use_from = models.DateField(_("money may be used from"))
    use_to = models.DateField(_("money may be used until"))
    report_by = models.DateField(_("report due"))
    state_funding_sek = models.PositiveBigIntegerField(_("state grant (kr)"), default=0)
    own_funding_sek = models.PositiveBigIntegerField(_("region's own money (kr)"), default=0)
    decided_sek = models.PositiveBigIntegerField(_("granted so far (kr)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    question_set = models.ForeignKey(
        "RoundQuestionSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question set in use"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-programme_year__year", "region__name", "title"]
        verbose_name = _("regional round")
        verbose_name_plural = _("regional rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(decided_sek__lte=F("state_funding_sek") + F("own_funding_sek")),
                name="round_decides_within_its_funding",
            ),
            models.CheckConstraint(
                condition=Q(use_to__gte=F("use_from"))
                & Q(decide_by__gte=F("apply_by"))
                & Q(report_by__gt=F("use_to")),
                name="round_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["region", "programme_year", "title"], name="one_round_title_per_region_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_sek(self) -> int:
        return self.state_funding_sek + self.own_funding_sek

    @property
    def remaining_sek(self) -> int:
        return self.budget_sek - self.decided_sek


class RoundQuestionSet(PublishedVersion):
    """One version of a round's questions (published: never changed).
    ``questions`` is a list of ``{"key", "text", "help", "max_length",
    "required"}`` in order, as the follow-up report form's."""

    round = models.ForeignKey(SubGrantRound, on_delete=models.CASCADE, related_name="question_sets")
    version = models.PositiveSmallIntegerField(_("version"))
    questions = models.JSONField(_("questions"), default=list)

    class Meta:
        ordering = ["round", "version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="one_round_question_version"),
            PublishedVersion.published_has_date("round_question_set_published_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.round} v{self.version}"


# ------------------------------------------------------------ applications


class ApplicantKind(models.TextChoices):
    OWN_UNIT = "own_unit", _("The region's own unit")
    EXTERNAL = "external", _("Local actor with an organisation number")


class SubGrantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, being assessed")
    PROPOSED = "proposed", _("Decision proposed")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SUBGRANT_TRANSITIONS: dict[str, frozenset[str]] = {
    SubGrantStatus.DRAFT: frozenset({SubGrantStatus.SUBMITTED, SubGrantStatus.WITHDRAWN}),
    SubGrantStatus.SUBMITTED: frozenset({SubGrantStatus.PROPOSED}),
    SubGrantStatus.PROPOSED: frozenset({SubGrantStatus.DECIDED, SubGrantStatus.SUBMITTED}),
    SubGrantStatus.DECIDED: frozenset(),
    SubGrantStatus.WITHDRAWN: frozenset(),
}


class SubGrantApplication(models.Model):
    """An application in a regional round. ``organisation`` is whoever
    applies through the e-service: the region itself for one of its own
    units (then ``unit_code``, the kostnadsställe, names the unit; no
    organisation number of its own) or an external local actor (kommun,
    association) with its organisation number."""

    round = models.ForeignKey(SubGrantRound, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("applicant"), max_length=20, choices=ApplicantKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sub_grant_applications"
    )
    unit_code = models.CharField(
        _("unit code (kostnadsställe)"), max_length=20, blank=True, default=""
    )
    unit_name = models.CharField(_("unit"), max_length=200, blank=True, default="")
    question_set = models.ForeignKey(RoundQuestionSet, on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("case number"), max_length=30, blank=True, default="")
    project_title = models.CharField(_("project title"), max_length=200, blank=True, default="")
    requested_sek = models.PositiveBigIntegerField(
        _("amount applied for (kr)"), null=True, blank=True
    )
    answers = models.JSONField(default=dict, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=SubGrantStatus.choices, default=SubGrantStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "-submitted_at", "pk"]
        verbose_name = _("regional application")
        verbose_name_plural = _("regional applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubGrantStatus.values), name="subgrant_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="own_unit") & ~Q(unit_code="") | Q(kind="external", unit_code=""),
                name="subgrant_unit_code_only_for_own_units",
            ),
            models.CheckConstraint(
                condition=Q(requested_sek__isnull=True) | Q(requested_sek__gte=1),
                name="subgrant_requested_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | Q(submitted_at__isnull=False, submitted_by__isnull=False, requested_sek__gte=1),
                name="subgrant_submitted_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number or _('Draft')} {self.applicant_name}"

    @property
    def applicant_name(self) -> str:
        if self.kind == ApplicantKind.OWN_UNIT:
            return f"{self.unit_name} ({self.unit_code})"
        return self.organisation.name


class SubGrantOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class SubGrantDecision(models.Model):
    """The region's decision on one application: proposed by its
    administrator, decided by its decision maker (never the same person)."""

    application = models.OneToOneField(
        SubGrantApplication, on_delete=models.PROTECT, related_name="decision"
    )
    round = models.ForeignKey(SubGrantRound, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=SubGrantOutcome.choices)
    amount_sek = models.PositiveBigIntegerField(_("granted (kr)"), default=0)
    motivation = models.TextField(_("motivation"), max_length=4000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["round", "application"]
        verbose_name = _("regional decision")
        verbose_name_plural = _("regional decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="granted", amount_sek__gte=1)
                | Q(outcome="rejected", amount_sek=0),
                name="subgrant_decision_amount_fits_outcome",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="subgrant_decision_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True, decided_at__isnull=True)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="subgrant_decision_decided_has_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_outcome_display()}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


# ------------------------------------------------ report, invoice, payment


class SubGrantReport(models.Model):
    """The grantee's follow-up report to the region, on the follow-up report
    form's questions (``reports.ReportForm``; statuses and transitions as
    ``reports.REPORT_TRANSITIONS``). The region's administrator reviews it."""

    decision = models.OneToOneField(
        SubGrantDecision, on_delete=models.PROTECT, related_name="report"
    )
    form = models.ForeignKey("reports.ReportForm", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("report due"))
    granted_sek = models.PositiveBigIntegerField(_("granted (kr)"))
    used_sek = models.PositiveBigIntegerField(_("used (kr)"), null=True, blank=True)
    unused_sek = models.PositiveBigIntegerField(_("unused (kr)"), null=True, blank=True)
    economy_comment = models.TextField(
        _("comment on the economic statement"), blank=True, default="", max_length=COMMENT_LIMIT
    )
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("reviewer's note"), blank=True, default="", max_length=4000)
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "decision"]
        verbose_name = _("regional follow-up report")
        verbose_name_plural = _("regional follow-up reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="subgrant_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(used_sek__isnull=True) | Q(used_sek__lte=F("granted_sek")),
                name="subgrant_report_used_within_granted",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "completion_requested"])
                | (
                    Q(submitted_at__isnull=False)
                    & Q(submitted_by__isnull=False)
                    & Q(used_sek__isnull=False)
                    & Q(unused_sek=F("granted_sek") - F("used_sek"))
                ),
                name="subgrant_report_sent_in_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Follow-up report')} {self.decision.application}"


class InvoiceKind(models.TextChoices):
    INTERNAL = "internal", _("Internal invoice (own unit)")
    EXTERNAL = "external", _("Invoice from a local actor")


class SubGrantInvoiceStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, to be paid")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")


SUBGRANT_INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    SubGrantInvoiceStatus.RECORDED: frozenset({SubGrantInvoiceStatus.PAID}),
    SubGrantInvoiceStatus.PAID: frozenset(),
}


class SubGrantInvoice(models.Model):
    """The grantee's invoice to the region, after an approved report: for an
    own unit an internal reference (no OCR), for an external actor its
    invoice number and bank giro. At most the amount granted (database
    check); the region's payment of it is recorded on the same row."""

    report = models.OneToOneField(SubGrantReport, on_delete=models.PROTECT, related_name="invoice")
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    reference = models.CharField(_("invoice number or internal reference"), max_length=40)
    bank_giro = models.CharField(_("bank giro"), max_length=12, blank=True, default="")
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    granted_sek = models.PositiveBigIntegerField(_("granted (kr)"))
    invoice_date = models.DateField(_("invoice date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubGrantInvoiceStatus.choices,
        default=SubGrantInvoiceStatus.RECORDED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_reference = models.CharField(
        _("payment reference"), max_length=60, blank=True, default=""
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("regional invoice")
        verbose_name_plural = _("regional invoices")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_sek__gte=1) & Q(amount_sek__lte=F("granted_sek")),
                name="subgrant_invoice_within_granted",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubGrantInvoiceStatus.values),
                name="subgrant_invoice_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="recorded", paid_on__isnull=True)
                | Q(status="paid", paid_on__isnull=False, paid_by__isnull=False),
                name="subgrant_invoice_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="internal", bank_giro="") | Q(kind="external") & ~Q(bank_giro=""),
                name="subgrant_invoice_bank_giro_for_external",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.amount_sek} kr"
