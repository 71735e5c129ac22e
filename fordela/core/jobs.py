"""Long jobs: background work whose progress a page shows (issue 19 §7).

``django.tasks`` has no progress of its own (``TaskContext`` holds only the
result and the attempt; facts-second-half §10), so a job is a row of ours,
``core.models.Job``: its kind, what it is about (``subject``), its status,
``total``/``done``/``failed`` and the files it made. The app that owns a
kind checks the permission and calls ``start``; its task calls ``run`` with
a function that builds the files and reports progress with ``progress``.

* **Started once.** At most one job of a kind and subject is queued or
  running (a partial unique constraint): a second click on "build" gets the
  first job back, also when the two requests race.
* **Enqueued after commit** (``transaction.on_commit``): the worker never
  looks for a job that is not there yet.
* **Progress in the database**, as ``F()`` increments that commit at once,
  and only for the latest attempt.
* **Idempotent.** A task can run twice (``fordela.core.tasks``: a dead
  worker's task runs again). Each run builds the result from scratch; the
  files are written when the job finishes, under the job's row lock, to the
  job's own names (a file left by a run that died is overwritten, not kept
  beside the new one), and a job that has finished is never finished again:
  the second run changes nothing.
* **Never stuck.** A job whose task has ended without finishing it (its
  workers died too often, or the row is gone) is failed by ``settle`` when
  it is looked at, so it can be tried again.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.tasks import Task, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from fordela.audit.actions import AuditAction
from fordela.audit.services import record

from . import clock, states
from .models import ACTIVE_JOB_STATUSES, JOB_TRANSITIONS, Job, JobFile, JobStatus

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = Job._meta.get_field("message").max_length


@dataclass(frozen=True)
class Result:
    """One file a job makes."""

    name: str
    content: bytes
    content_type: str


def _move(job: Job, target: str) -> None:
    states.move(job, target, JOB_TRANSITIONS, _("A job that is %(status)s cannot do that."))


def _enqueue(job_id: int, task: Task) -> None:
    result = task.enqueue(job_id)
    # The task records its own id when it begins; this covers the time
    # before a worker takes it.
    Job.objects.filter(pk=job_id, task_result_id="").update(task_result_id=result.id)


def active(kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject, status__in=ACTIVE_JOB_STATUSES).first()


def start(user: AbstractBaseUser, kind: str, subject: str, task: Task) -> Job:
    """The queued or running job of ``kind`` about ``subject``, or else a new
    one whose ``task`` (called with the job's id) is enqueued on commit. The
    caller has checked that ``user`` may start it."""
    with transaction.atomic():
        current = (
            Job.objects.select_for_update()
            .filter(kind=kind, subject=subject, status__in=ACTIVE_JOB_STATUSES)
            .first()
        )
        if current is not None and settle(current, task).is_active:
            return current
        try:
            with transaction.atomic():
                job = Job.objects.create(kind=kind, subject=subject, created_by=user)
        except IntegrityError:
            # Another request started it meanwhile (and has committed).
            return Job.objects.get(kind=kind, subject=subject, status__in=ACTIVE_JOB_STATUSES)
        record(user, AuditAction.JOB_STARTED, job, after={"kind": kind, "subject": subject})
        transaction.on_commit(partial(_enqueue, job.pk, task))
    return job


def retry(user: AbstractBaseUser, job: Job, task: Task) -> Job:
    """Queue the failed ``job`` again (from scratch); returns the job to
    follow: this one, or the one of the same kind and subject that was
    started meanwhile. A job that is not failed is returned as it is, so a
    second click on "try again" changes nothing."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.FAILED:
            return locked
        try:
            with transaction.atomic():
                _move(locked, JobStatus.QUEUED)
                locked.done = locked.failed = 0
                locked.message = ""
                locked.task_result_id = ""
                locked.finished_at = None
                locked.save(
                    update_fields=[
                        "status",
                        "done",
                        "failed",
                        "message",
                        "task_result_id",
                        "finished_at",
                    ]
                )
        except IntegrityError:
            return active(locked.kind, locked.subject) or Job.objects.get(pk=job.pk)
        record(user, AuditAction.JOB_RETRIED, locked, before={"status": JobStatus.FAILED})
        transaction.on_commit(partial(_enqueue, locked.pk, task))
    return locked


def settle(job: Job, task: Task) -> Job:
    """``job``, failed if it is queued or running but its task has ended
    without finishing it: its workers died ``core.tasks.MAX_ATTEMPTS``
    times, or the task's row is gone. A backend that cannot look tasks up
    (the tests' immediate one) leaves the job as it is."""
    if not job.is_active or not job.task_result_id:
        return job
    if not task.get_backend().supports_get_result:
        return job
    try:
        ended = task.get_result(job.task_result_id).status in (
            TaskResultStatus.FAILED,
            TaskResultStatus.SUCCESSFUL,
        )
    except TaskResultDoesNotExist:
        ended = True
    if ended:
        with translation.override(settings.LANGUAGE_CODE):
            _fail(job.pk, _("The background work stopped before it was finished."))
        job.refresh_from_db()
    return job


def run(job_id: int, build: Callable[[Job], list[Result]], result_id: str = "") -> int:
    """Run the job ``job_id`` (in its task): begin it, ``build`` its files
    and finish it. Returns the number of files stored, 0 when the job had
    finished already (a second run of the task) or failed. ``build`` raises
    ``ValidationError`` for a refusal the page shows; any other error fails
    the job with a general message and is raised again for the task's log."""
    job = _begin(job_id, result_id)
    if job is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        try:
            results = build(job)
        except ValidationError as error:
            _fail(job.pk, " ".join(error.messages), attempt=job.attempts)
            return 0
        except Exception:
            logger.exception("Job %s (%s %s) failed", job.pk, job.kind, job.subject)
            _fail(job.pk, "", attempt=job.attempts)
            raise
    return _finish(job, results)


def _begin(job_id: int, result_id: str) -> Job | None:
    """The job moved to running, its progress set back to nothing; None if
    it has finished. A running job is begun again: its worker died."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if not job.is_active:
            return None
        _move(job, JobStatus.RUNNING)
        job.attempts += 1
        job.done = job.failed = 0
        job.started_at = clock.now()
        job.task_result_id = result_id or job.task_result_id
        job.save(
            update_fields=["status", "attempts", "done", "failed", "started_at", "task_result_id"]
        )
    return job


def _latest(job: Job):
    """The job's row while ``job``'s attempt is the latest and running."""
    return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def set_total(job: Job, total: int) -> None:
    """How many steps ``job`` has (call it before ``progress``)."""
    _latest(job).update(total=total)
    job.total = total


def progress(job: Job, done: int = 1, failed: int = 0) -> None:
    """Count ``done`` more steps done and ``failed`` more given up, at once
    (autocommit: the page sees it) and without reading the row: ``F()``
    increments, kept within the total."""
    new_failed = Least(F("failed") + failed, F("total"))
    _latest(job).update(
        failed=new_failed,
        done=Least(F("done") + done, F("total") - new_failed),
    )


def _finish(job: Job, results: list[Result]) -> int:
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.RUNNING:
            return 0  # finished by another run of the task: nothing changes
        for old in locked.files.all():
            old.file.delete(save=False)
            old.delete()
        for position, result in enumerate(results):
            stored = JobFile(
                job=locked,
                name=result.name,
                content_type=result.content_type,
                size=len(result.content),
                position=position,
            )
            storage = stored.file.storage
            path = stored.file.field.generate_filename(stored, result.name)
            if storage.exists(path):  # left by a run that died before its commit
                storage.delete(path)
            stored.file.save(result.name, ContentFile(result.content), save=False)
            stored.save()
        _move(locked, JobStatus.DONE)
        locked.done = locked.total - locked.failed
        locked.finished_at = clock.now()
        locked.save(update_fields=["status", "done", "finished_at"])
        record(
            None,
            AuditAction.JOB_FINISHED,
            locked,
            after={"files": [result.name for result in results], "attempts": locked.attempts},
        )
    return len(results)


def _fail(job_id: int, message: str, attempt: int | None = None) -> None:
    """Fail the job unless it has finished or (with ``attempt``) a later
    attempt runs it."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if not job.is_active or (attempt is not None and job.attempts != attempt):
            return
        _move(job, JobStatus.FAILED)
        job.message = message[:MESSAGE_LENGTH]
        job.finished_at = clock.now()
        job.save(update_fields=["status", "message", "finished_at"])
        record(None, AuditAction.JOB_FAILED, job, after={"message": job.message})
