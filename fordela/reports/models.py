"""Follow-up reports (*återrapportering*): what each recipient reports, once
a grant year is over, on how the money was used (domain.md §2.10, issue 17).

A ``Report`` is the obligation and, once filled in, its answers: one per paid
requisition (with its redistributed share) and one per paid grant. Its
questions are a published ``ReportForm`` version, which never changes once
published (the service refuses and a PostgreSQL trigger backs it up, as for
the calls' question sets); a report keeps the version it was opened on. Each
submission is kept as a ``ReportSubmission``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fordela.applications.models import QUESTION_SET_TRANSITIONS, PublishedVersion
from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.programmes.models import Pool

# A report form version is drafted and published like a call's question set:
# the same statuses and the same transitions table.
FORM_TRANSITIONS = QUESTION_SET_TRANSITIONS


# The economic statement's free-text comment, here and on a regional report.
COMMENT_LIMIT = 2000


class ReportSection(models.TextChoices):
    ACTIVITIES = "activities", _("Activities carried out")
    RESULTS = "results", _("Results")
    LESSONS = "lessons", _("What was learned")


class ReportForm(PublishedVersion):
    """One version of the report form's questions. ``questions`` is a list of
    ``{"key", "section", "text", "help", "max_length", "required"}``, in
    order; the economic statement is the same in every version (fields on
    ``Report``)."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    questions = models.JSONField(_("questions"), default=list)

    class Meta:
        ordering = ["version"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        constraints = [PublishedVersion.published_has_date("report_form_published_has_date")]

    def __str__(self) -> str:
        return f"{_('Report form')} v{self.version}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("To be reported")
    SUBMITTED = "submitted", _("Submitted")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


# inskickad → (komplettering begärd ⇄ inskickad) → godkänd | underkänd
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.OPEN: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset(
        {ReportStatus.COMPLETION_REQUESTED, ReportStatus.APPROVED, ReportStatus.REJECTED}
    ),
    ReportStatus.COMPLETION_REQUESTED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.APPROVED: frozenset(),
    ReportStatus.REJECTED: frozenset(),
}
# The organisation fills in the report in these statuses.
EDITABLE = (ReportStatus.OPEN, ReportStatus.COMPLETION_REQUESTED)
SENT_IN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.REJECTED)


class ReportSource(models.TextChoices):
    REQUISITION = "requisition", _("Requisition")
    GRANT = "grant", _("Grant decision")


class Report(models.Model):
    """One organisation's follow-up report on the money one case brought it
    in one grant year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_up_reports"
    )
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="follow_up_reports")
    year = models.PositiveSmallIntegerField(_("grant year"))
    source = models.CharField(_("source"), max_length=20, choices=ReportSource.choices)
    requisition = models.OneToOneField(
        "requisitions.Requisition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_report",
    )
    decision = models.OneToOneField(
        "applications.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_report",
    )
    case_number = models.CharField(_("case number"), max_length=20)
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("report due"))
    # From the ledger when the report period opened (requisitions.ledger).
    requisitioned_sek = models.PositiveBigIntegerField(_("requisitioned (kr)"), default=0)
    redistributed_sek = models.PositiveBigIntegerField(_("redistributed (kr)"), default=0)
    granted_sek = models.PositiveBigIntegerField(_("granted (kr)"), default=0)
    received_sek = models.PositiveBigIntegerField(_("received (kr)"))
    used_sek = models.PositiveBigIntegerField(_("used (kr)"), null=True, blank=True)
    unused_sek = models.PositiveBigIntegerField(_("unused (kr)"), null=True, blank=True)
    economy_comment = models.TextField(
        _("comment on the economic statement"), blank=True, default="", max_length=COMMENT_LIMIT
    )
    answers = models.JSONField(default=dict, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=30, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_count = models.PositiveSmallIntegerField(_("submissions"), default=0)

    class Meta:
        ordering = ["-year", "pool", "organisation__name"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source="requisition", requisition__isnull=False, decision__isnull=True)
                | Q(source="grant", decision__isnull=False, requisition__isnull=True),
                name="report_has_one_source",
            ),
            models.CheckConstraint(
                condition=Q(
                    received_sek=F("requisitioned_sek") + F("redistributed_sek") + F("granted_sek")
                ),
                name="report_received_is_the_sum",
            ),
            models.CheckConstraint(
                condition=Q(used_sek__isnull=True) | Q(used_sek__lte=F("received_sek")),
                name="report_used_within_received",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "completion_requested"])
                | (
                    Q(submitted_at__isnull=False)
                    & Q(submitted_by__isnull=False)
                    & Q(used_sek__isnull=False)
                    & Q(unused_sek=F("received_sek") - F("used_sek"))
                ),
                name="report_sent_in_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Follow-up report')} {self.year} {self.organisation.name} – {self.case_number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_overdue(self) -> bool:
        return self.is_editable and clock.is_past(self.due_on)


class ReportSubmission(models.Model):
    """Each submission of a report, kept as it was sent (the review compares
    them)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission"))
    answers = models.JSONField(default=dict)
    used_sek = models.PositiveBigIntegerField(_("used (kr)"))
    unused_sek = models.PositiveBigIntegerField(_("unused (kr)"))
    economy_comment = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class ReviewKind(models.TextChoices):
    COMPLETION = "completion", _("Completion requested")
    APPROVAL = "approval", _("Approved")
    REJECTION = "rejection", _("Not approved")


class ReportReview(models.Model):
    """The handläggare's review of a submission: a completion request (with
    its reason and the new deadline), the approval or the rejection."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reviews")
    submission = models.ForeignKey(
        ReportSubmission, on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("review"), max_length=20, choices=ReviewKind.choices)
    reason = models.TextField(_("reason"), blank=True, default="", max_length=4000)
    new_due_on = models.DateField(_("new deadline"), null=True, blank=True)
    created_at = clock.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReviewKind.values), name="report_review_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="completion") | (~Q(reason="") & Q(new_due_on__isnull=False)),
                name="report_completion_has_reason_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rejection") | ~Q(reason=""),
                name="report_rejection_has_reason",
            ),
            # One review per submission: a submission is answered once.
            models.UniqueConstraint(fields=["submission"], name="one_review_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class ReportOverdue(models.Model):
    """A report missing after its deadline and the grace (issue 17 §6): stored
    once per report and deadline; what recovery (the next issue) acts on."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="overdue_events")
    due_on = models.DateField(_("report due"))
    noticed_on = models.DateField(_("overdue from"))
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noticed_on", "report"]
        verbose_name = _("overdue report")
        verbose_name_plural = _("overdue reports")
        constraints = [
            # Once per deadline: a new deadline (a completion request) can be
            # missed again.
            models.UniqueConstraint(fields=["report", "due_on"], name="one_overdue_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.due_on}"


class ReportReminder(models.Model):
    """A reminder about a report still to be submitted (issue 17 §5): one per
    report, deadline and step ("before:30", "before:7", "after:1"), never
    twice (a unique constraint)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reminders")
    due_on = models.DateField(_("report due"))
    step = models.CharField(_("step"), max_length=20)
    sent_on = models.DateField(_("reminded on"))
    recipients = models.TextField(_("recipients"), blank=True, default="")
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "due_on", "step"], name="one_report_reminder_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.step} {self.sent_on}"

    @property
    def recipient_list(self) -> list[str]:
        return [a.strip() for a in self.recipients.split(",") if a.strip()]

    @property
    def is_after(self) -> bool:
        return self.step.startswith("after:")

    @property
    def days(self) -> int:
        return int(self.step.split(":", 1)[1])
