"""Background work that survives the death of a worker.

Tasks run on django-tasks-db: each is a ``DBTaskResult`` row, and a worker
claims one under ``select_for_update(skip_locked=True)`` (status RUNNING, its
id appended to ``worker_ids``), so any number of workers can run side by side
and each task runs on one of them. django-tasks-db does not notice a worker
that dies: a task it was running stays RUNNING for ever. Two things make the
work survive that:

**The tasks of a dead worker run again.** ``manage.py task_worker`` is
django-tasks-db's worker plus a heartbeat: it records a ``WorkerHeartbeat``
row at start and then every quarter of ``FORDELA_TASK_STALE_SECONDS`` (a
thread, so a long task does not stop it), and with each beat calls
``requeue_stale_tasks``. A RUNNING task whose worker has not beaten for
``FORDELA_TASK_STALE_SECONDS`` and which started longer ago than that is set
back to READY, and the next free worker runs it. A heartbeat rather than a
time limit on the task: a live worker's long task (a bulk run of hundreds of
letters) is never taken from it, and a dead one's is taken within the limit.
A task whose workers died ``MAX_ATTEMPTS`` times (one that kills its worker,
say by memory) is FAILED with ``WorkerLost`` instead of being run for ever.

**Every effect is idempotent.** A task can therefore run twice: after a
requeue, or when a worker that was only slow (no beat for the whole limit)
finishes too. Every e-mail goes through ``send_once(key, message)``: its
``SentMessage`` row (unique key) is inserted and the message sent inside one
transaction, so a second run of the task waits for the first's row, fails to
insert its own and sends nothing, and a failed send rolls the row back so
that the next run sends. One window is left, because SMTP and the database
cannot commit together: if the worker dies after the mail server has
accepted the message and before the COMMIT, the row is gone and the next run
sends the message again. The window is kept to the COMMIT's round trip (the
SMTP session is opened before the transaction and closed after it).
Delivery is therefore *at least once*: a message is never lost once its task
is queued, and is sent twice only when a worker dies in that window.
"""

import datetime
import logging
from traceback import format_exception

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import SentMessage, WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class WorkerLost(Exception):
    """Recorded on a task whose worker died ``MAX_ATTEMPTS`` times."""


def send_once(key: str, message: EmailMessage) -> int:
    """Send ``message`` unless a message with ``key`` has been sent; returns
    the number sent (0 or 1). Call it outside other transactions, so the row
    commits as soon as the mail server has taken the message: the SMTP
    session is opened before and closed (QUIT) after the transaction."""
    if not message.recipients():
        return 0
    with mailers.default as mailer:
        try:
            with transaction.atomic():
                # A second run's INSERT waits here for the first's
                # transaction, then fails on the unique key if that one sent.
                SentMessage.objects.create(key=key)
                return mailer.send_messages([message])
        except IntegrityError:
            return 0


def sent_keys(keys: list[str]) -> set[str]:
    """Those of ``keys`` whose message has been sent."""
    return set(SentMessage.objects.filter(key__in=keys).values_list("key", flat=True))


def stale_seconds() -> float:
    return float(settings.FORDELA_TASK_STALE_SECONDS)


def heartbeat_seconds() -> float:
    return stale_seconds() / 4


def beat(worker_id: str) -> None:
    """Record that the worker ``worker_id`` is alive (machine time, as
    django-tasks-db's ``started_at``)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def requeue_stale_tasks() -> int:
    """Set the tasks of dead workers back to READY (see the module's
    docstring); returns how many. Safe to run in every worker at once: the
    rows are locked and skipped when another worker has them, and a task
    claimed again meanwhile started too recently to match."""
    limit = timezone.now() - datetime.timedelta(seconds=stale_seconds())
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=limit).values_list("worker_id", flat=True)
    )
    requeued = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=limit)
            .select_for_update(skip_locked=True)
        )
        for result in running:
            worker = result.worker_ids[-1] if result.worker_ids else ""
            if worker in alive:
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                _fail(result, WorkerLost(f"{len(result.worker_ids)} workers died running it"))
                logger.error("Task %s (%s) failed: its workers died", result.id, result.task_path)
                continue
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            requeued += 1
            logger.warning(
                "Task %s (%s) left running by worker %s is queued again",
                result.id,
                result.task_path,
                worker,
            )
        # A worker this quiet is dead either way; forget it.
        WorkerHeartbeat.objects.filter(seen_at__lt=limit).delete()
    return requeued


def _fail(result: DBTaskResult, error: Exception) -> None:
    result.status = TaskResultStatus.FAILED
    result.finished_at = timezone.now()
    result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    result.traceback = "".join(format_exception(error))
    result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
