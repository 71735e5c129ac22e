"""A worker killed (SIGKILL) in the middle of its work loses nothing and
sends nothing twice: the real worker (manage.py task_worker) against
PostgreSQL and an SMTP sink; another worker notices the dead one's silence,
runs its task again and finishes it.

The bulk run is killed once its first chunk of letters has gone out, while
it renders the next: a kill in the one window that ``send_once`` leaves (the
mail server has the message, the COMMIT has not happened; see
fordela.core.tasks) would send that one letter twice, by design."""

import collections
import signal

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fordela.applications.models import BulkRunStatus, Decision
from fordela.applications.services import decisions
from fordela.applications.tasks import LETTER_CHUNK
from fordela.core.models import SentMessage
from tests.e2e.helpers import wait_until
from tests.worker import run_db_worker, start_worker

from .conftest import WORKER_TODAY, proposals

STALE = {"FORDELA_TASK_STALE_SECONDS": "2", "FORDELA_TODAY": WORKER_TODAY}
COUNT = LETTER_CHUNK + 6


def letters_sent() -> int:
    connection.close()  # a fresh snapshot of what the worker has committed
    return SentMessage.objects.filter(key__startswith="decision-letter:").count()


def by_kind(sink) -> tuple[collections.Counter, collections.Counter]:
    """How many times each case number got a letter, and a receipt."""
    letters, receipts = collections.Counter(), collections.Counter()
    for message in sink.parsed():
        case = message["Subject"].split()[-1]
        (letters if message.is_multipart() else receipts)[case] += 1
    return letters, receipts


def stop(worker) -> None:
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_bulk_run_whose_worker_is_killed_is_finished_by_the_next_with_each_mail_once(
    world, database_queue, media, smtp_sink, settings, tmp_path
):
    applications = proposals(world, COUNT)
    cases = {application.case_number for application in applications}
    run = decisions.start_bulk_decisions(world.users["beslutsfattare"], world.ngo_call)
    log = tmp_path / "workers.log"

    first = start_worker(settings, log, **STALE)
    try:
        wait_until(
            lambda: letters_sent() >= LETTER_CHUNK, seconds=60, what="the first chunk of letters"
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == BulkRunStatus.RUNNING, log.read_text()
    assert LETTER_CHUNK <= letters_sent() < COUNT
    # The progress the page shows is true, up to the one letter in flight: a
    # kill after the mail server took a letter (its sent-once row committed)
    # and before the run saved its count leaves the count one behind; the
    # next worker counts again from the sent-once rows.
    assert letters_sent() - 1 <= run.done <= letters_sent()

    second = start_worker(settings, log, **STALE)
    try:
        wait_until(
            lambda: (
                connection.close()
                or type(run).objects.get(pk=run.pk).status != BulkRunStatus.RUNNING
            ),
            seconds=60,
            what="the run to finish",
        )
    finally:
        stop(second)

    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.errors) == (
        BulkRunStatus.DONE,
        COUNT,
        COUNT,
        [],
    ), log.read_text()
    letters, receipts = by_kind(smtp_sink)
    assert letters == dict.fromkeys(cases, 1)
    assert receipts == dict.fromkeys(cases, 1)
    stored = sorted(p.name for p in (media / "decisions").rglob("*.pdf"))
    assert stored == sorted(f"beslut-{case}.pdf" for case in cases)
    assert all(d.letter for d in Decision.objects.all())
    bulk = DBTaskResult.objects.get(task_path__endswith="run_bulk_decisions")
    assert bulk.status == TaskResultStatus.SUCCESSFUL
    assert len(bulk.worker_ids) == 2  # the killed worker's, then the second's
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


@pytest.mark.django_db(transaction=True)
def test_a_receipt_left_running_by_a_dead_worker_is_sent_by_the_next(
    world, database_queue, smtp_sink, settings
):
    [application] = proposals(world, 1)
    abandoned(DBTaskResult.objects.get())
    run_db_worker(settings, **STALE)
    [receipt] = smtp_sink.parsed()
    assert application.case_number in receipt["Subject"]
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_receipt_sent_just_before_its_worker_died_is_not_sent_again(
    world, database_queue, smtp_sink, settings
):
    [application] = proposals(world, 1)
    abandoned(DBTaskResult.objects.get())
    SentMessage.objects.create(key=f"application-receipt:{application.pk}")
    run_db_worker(settings, **STALE)
    assert smtp_sink.messages == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def abandoned(result: DBTaskResult) -> None:
    """Make ``result`` the task of a worker that died a minute ago."""
    result.claim("dead-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timezone.timedelta(minutes=1)
    )
