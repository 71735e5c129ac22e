"""Calls (*utlysningar*), applications (*ansökningar*), their assessment
(*bedömning*), consultation (*remiss*) and decisions (*beslut*) for the
application pools: NGO funds and the special stimulus funds."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fordela.core import clock
from fordela.organisations.models import Organisation
from fordela.programmes.models import Pool

# ------------------------------------------------------------------- calls


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    AMOUNT = "amount", _("Amount (kr)")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    FILE = "file", _("File (PDF)")


class QuestionSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


QUESTION_SET_TRANSITIONS: dict[str, frozenset[str]] = {
    QuestionSetStatus.DRAFT: frozenset({QuestionSetStatus.PUBLISHED}),
    QuestionSetStatus.PUBLISHED: frozenset(),
}


class PublishedVersion(models.Model):
    """A version of questions that is drafted, then published and never
    changed again: a call's question set here, the follow-up report's form
    (``reports.ReportForm``). Each subclass adds ``published_has_date`` to
    its constraints under a name of its own."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=QuestionSetStatus.choices,
        default=QuestionSetStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def published_has_date(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(status="draft", published_at__isnull=True)
            | Q(status="published", published_at__isnull=False),
            name=name,
        )

    @property
    def is_published(self) -> bool:
        return self.status == QuestionSetStatus.PUBLISHED


class Call(models.Model):
    """A call for applications (*utlysning*) from one application pool in
    one year. Its budget is the pool's amount."""

    pool = models.OneToOneField(Pool, on_delete=models.PROTECT, related_name="call")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("in short"), blank=True, default="")
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("last day to apply"))
    decision_expected = models.CharField(
        _("decision expected"), max_length=100, blank=True, default=""
    )
    report_due = models.DateField(_("follow-up report due"), null=True, blank=True)
    # OrganisationKind values that may apply.
    eligible_kinds = models.JSONField(_("who may apply"), default=list)
    conditions = models.TextField(_("conditions"), blank=True, default="")
    # [{"key": "statutes", "label": "..."}]: what to attach (PDF).
    attachment_checklist = models.JSONField(_("attachments"), default=list)
    # [{"key": "goals", "label": "...", "help": "..."}]: scored 1–5.
    criteria = models.JSONField(_("assessment criteria"), default=list)
    needs_consultation = models.BooleanField(
        _("views are obtained from Jämställdhetsmyndigheten"), default=False
    )
    question_set = models.ForeignKey(
        "QuestionSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question set in use"),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "pool__slug"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_sek(self) -> int:
        return self.pool.amount_sek


class QuestionSet(PublishedVersion):
    """One version of a call's questions. A published version never changes
    (the service refuses and a PostgreSQL trigger backs it up)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="question_sets")
    version = models.PositiveSmallIntegerField(_("version"))

    class Meta:
        ordering = ["call", "version"]
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="one_question_set_version"),
            PublishedVersion.published_has_date("question_set_published_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.call} v{self.version}"


class Question(models.Model):
    """A question is data: text, help, type, required and limits."""

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help"), blank=True, default="")
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    min_value = models.BigIntegerField(null=True, blank=True)
    max_value = models.BigIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "key"], name="one_question_key_per_set"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class AppealParagraph(models.Model):
    """The appeal paragraph (*överklagandehänvisning*) printed on decision
    letters, one per decision outcome (decisions.md 8)."""

    outcome = models.CharField(_("decision"), max_length=20, unique=True)
    text = models.TextField(_("appeal paragraph"))

    def __str__(self) -> str:
        return self.outcome


# ------------------------------------------------------------ applications


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, being assessed")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    PROPOSED = "proposed", _("Decision proposed")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.COMPLETION_REQUESTED, ApplicationStatus.PROPOSED}
    ),
    ApplicationStatus.COMPLETION_REQUESTED: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.PROPOSED: frozenset({ApplicationStatus.DECIDED, ApplicationStatus.SUBMITTED}),
    ApplicationStatus.DECIDED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}
SENT_IN = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.COMPLETION_REQUESTED,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.DECIDED,
)


class Application(models.Model):
    """An application (*ansökan*) from one organisation to one call."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_applications"
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    case_number = models.CharField(
        _("case number"), max_length=20, null=True, blank=True, unique=True
    )
    project_title = models.CharField(_("project title"), max_length=300, blank=True, default="")
    requested_sek = models.PositiveBigIntegerField(_("amount applied for (kr)"), default=0)
    budget_personnel_sek = models.PositiveBigIntegerField(_("personnel (kr)"), default=0)
    budget_activities_sek = models.PositiveBigIntegerField(_("activities (kr)"), default=0)
    budget_other_sek = models.PositiveBigIntegerField(_("other costs (kr)"), default=0)
    other_public_funding = models.TextField(
        _("other public funding for the same activity"), blank=True, default=""
    )
    answers = models.JSONField(default=dict, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="")
    bank_giro = models.CharField(_("bank giro"), max_length=8, blank=True, default="")
    truth_declared = models.BooleanField(_("the information is true"), default=False)
    created_at = clock.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = clock.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["call", "organisation__name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="one_application_per_call_organisation"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | (
                    Q(case_number__isnull=False)
                    & Q(submitted_at__isnull=False)
                    & Q(truth_declared=True)
                    & Q(requested_sek__gte=1)
                    & Q(
                        requested_sek=F("budget_personnel_sek")
                        + F("budget_activities_sek")
                        + F("budget_other_sek")
                    )
                ),
                name="application_submitted_is_complete",
            ),
        ]
        indexes = [
            # The queue of one call: its sent-in applications by case number.
            models.Index(
                fields=["call", "case_number"],
                condition=Q(status__in=[status.value for status in SENT_IN]),
                name="application_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number or _('Draft')} {self.organisation.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def applicant_status(self) -> str:
        """The status as the applicant sees it (its tag's colour): a proposal
        is internal."""
        if self.status == ApplicationStatus.PROPOSED:
            return ApplicationStatus.SUBMITTED
        return self.status

    @property
    def applicant_status_display(self) -> str:
        """The status as the applicant sees it: a proposal is internal."""
        if self.status == ApplicationStatus.PROPOSED:
            return ApplicationStatus.SUBMITTED.label
        return self.get_status_display()

    @property
    def budget_total_sek(self) -> int:
        return self.budget_personnel_sek + self.budget_activities_sek + self.budget_other_sek


class Attachment(models.Model):
    """A PDF attached to an application for one checklist item (or a file
    question)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    item = models.CharField(_("what"), max_length=60)
    file = models.FileField(upload_to="applications/%Y/")
    filename = models.CharField(_("file name"), max_length=200)
    pages = models.PositiveIntegerField(_("pages"))
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = clock.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["application", "item", "uploaded_at"]

    def __str__(self) -> str:
        return self.filename


# -------------------------------------------------------------- assessment


class Score(models.Model):
    """One handläggare's score (1–5) with motivation for one criterion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=60)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("motivation"), blank=True, default="")
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="one_score_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class RiskCheck(models.Model):
    """The risk checklist of an application (domain.md P11, P12)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="risk_check"
    )
    other_public_funding_checked = models.BooleanField(
        _("other public funding for the same activity checked"), default=False
    )
    other_agency_grants_checked = models.BooleanField(
        _("other grants from the agency to the organisation checked"), default=False
    )
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    register_checked = models.BooleanField(
        _("register data checked (organisation number, board, signatories)"), default=False
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = clock.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.application}"


class CompletionRequest(models.Model):
    """A request for completion (*begäran om komplettering*)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="completion_requests"
    )
    message = models.TextField(_("what is missing"))
    reply_by = models.DateField(_("reply by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="one_open_completion_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.message[:40]}"


# ------------------------------------------------------------ consultation


class Recommendation(models.TextChoices):
    GRANT = "grant", _("Grant")
    PARTIAL = "partial", _("Grant in part")
    REFUSE = "refuse", _("Refuse")
    NONE = "none", _("No recommendation")


class ConsultationRequest(models.Model):
    """A request for views (*remiss*) sent to Jämställdhetsmyndigheten."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    message = models.TextField(_("message"), blank=True, default="")
    reply_by = models.DateField(_("reply by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{_('Consultation')} {self.application}"


class Opinion(models.Model):
    """The consultee's opinion (*yttrande*): one per request."""

    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="opinion"
    )
    text = models.TextField(_("opinion"))
    recommendation = models.CharField(
        _("recommendation"),
        max_length=20,
        choices=Recommendation.choices,
        default=Recommendation.NONE,
    )
    amount_sek = models.PositiveBigIntegerField(_("suggested amount (kr)"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{_('Opinion')} {self.request.application}"


# ---------------------------------------------------------------- decisions


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTIAL = "partial", _("Granted in part")
    REFUSED = "refused", _("Refused")


class ConsultationOutcome(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No consultation")
    ANSWERED = "answered", _("Opinion received")
    EXPIRED = "expired", _("Reply date passed without an opinion")


class Decision(models.Model):
    """The proposal (*beslutsförslag*) of a handläggare and the decision
    (*beslut*) of a beslutsfattare, who is never the proposer."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    requested_sek = models.PositiveBigIntegerField(_("applied for (kr)"))
    amount_sek = models.PositiveBigIntegerField(_("granted (kr)"))
    reasons = models.TextField(_("reasons"))
    consultation = models.CharField(
        _("consultation"),
        max_length=20,
        choices=ConsultationOutcome.choices,
        default=ConsultationOutcome.NOT_NEEDED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    letter = models.FileField(upload_to="decisions/%Y/", blank=True, default="")

    class Meta:
        ordering = ["call", "application__organisation__name"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="granted", amount_sek=F("requested_sek"))
                | Q(outcome="partial", amount_sek__gte=1, amount_sek__lt=F("requested_sek"))
                | Q(outcome="refused", amount_sek=0),
                name="decision_amount_fits_outcome",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="decision_maker_is_not_proposer",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True, decided_at__isnull=True)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="decision_decided_has_maker_and_time",
            ),
        ]
        indexes = [
            # What a call has granted: the decided decisions' amounts per call,
            # read from the index alone.
            models.Index(
                fields=["call", "amount_sek"],
                condition=Q(decided_at__isnull=False),
                name="decision_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class BulkRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


BULK_RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    BulkRunStatus.QUEUED: frozenset({BulkRunStatus.RUNNING}),
    BulkRunStatus.RUNNING: frozenset({BulkRunStatus.DONE, BulkRunStatus.FAILED}),
    BulkRunStatus.DONE: frozenset(),
    BulkRunStatus.FAILED: frozenset(),
}


class BulkDecisionRun(models.Model):
    """Deciding every proposed application of a call in one go, in the
    background, with its progress. ``decision_ids`` are the proposals it
    decides, recorded when it starts, so that it can resume after a worker's
    death (``applications.tasks.run_bulk_decisions``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="bulk_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=BulkRunStatus.choices, default=BulkRunStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    decision_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.call}: {self.done}/{self.total}"
