from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock


class CaseNumberCounter(models.Model):
    """The running number of case numbers (*diarienummer*) ``YYYY-SS-NNNN``
    per year and series (``fordela.core.case_numbers``). Incremented under a
    row lock."""

    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=2)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "series"], name="one_case_number_counter_per_year_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.series}: {self.last_number}"


class SentMessage(models.Model):
    """An e-mail that a background task has sent, by its key (e.g.
    ``decision-letter:42``): a task that runs again finds the row and sends
    nothing (``fordela.core.tasks.send_once``)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = clock.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class WorkerHeartbeat(models.Model):
    """The last sign of life of a task worker (``manage.py task_worker``),
    by the id django-tasks-db records on the tasks it claims. Machine time,
    like django-tasks-db's own ``started_at``, not the product's clock."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.seen_at:%Y-%m-%d %H:%M:%S}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A job that is running may be started again: its worker died and the task
# runs once more (``fordela.core.jobs``). A failed job may be tried again.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),
}
ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED)


class Job(models.Model):
    """A long piece of background work (the full national report, a
    360Giving package) with its progress, for a page to show
    (``fordela.core.jobs``; ``django.tasks`` has no progress of its own).

    ``subject`` names what the job is about, as the app that owns ``kind``
    spells it (``programme:3``). At most one job of a kind and subject is
    queued or running (a unique constraint): a second click on "build" finds
    the first job."""

    kind = models.CharField(max_length=50)
    subject = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # What went wrong, for the page (already in the product's language).
    message = models.CharField(max_length=500, blank=True, default="")
    task_result_id = models.CharField(max_length=64, blank=True, default="")
    # Runs begun: a run that a dead worker left is begun again by the next,
    # and only the latest attempt's progress counts.
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    started_at = clock.DateTimeField(null=True, blank=True)
    finished_at = clock.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "subject", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(status__in=ACTIVE_JOB_STATUSES),
                name="one_active_job_per_kind_and_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total") - models.F("failed")),
                name="job_progress_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=FINISHED_JOB_STATUSES, finished_at__isnull=False)
                | models.Q(status__in=ACTIVE_JOB_STATUSES, finished_at__isnull=True),
                name="job_finished_when_done_or_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}: {self.status} {self.done}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, 100 * (self.done + self.failed) // self.total) if self.total else 0


def job_file_path(instance: "JobFile", filename: str) -> str:
    # One folder per job and one name per file: a rebuild overwrites.
    return f"jobs/{instance.job_id}/{filename}"


class JobFile(models.Model):
    """A file a job made, served as a download (``core.downloads``)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to=job_file_path, max_length=300)
    size = models.PositiveBigIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["job", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="one_job_file_per_name")
        ]

    def __str__(self) -> str:
        return self.name
