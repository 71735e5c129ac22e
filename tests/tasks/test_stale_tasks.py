"""A task left running by a dead worker runs again (fordela.core.tasks): it
is queued again once its worker has not beaten for FORDELA_TASK_STALE_SECONDS;
a live worker's task, and one just started, are left alone."""

import datetime

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fordela.core.models import WorkerHeartbeat
from fordela.core.tasks import MAX_ATTEMPTS, beat, requeue_stale_tasks
from fordela.requisitions.tasks import send_receipt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


@pytest.fixture(autouse=True)
def one_minute(settings):
    settings.FORDELA_TASK_STALE_SECONDS = 60


def running(seconds_ago: float, *workers: str) -> DBTaskResult:
    """A task claimed by each of ``workers`` in turn, the last ``seconds_ago``."""
    result = DBTaskResult.objects.get(id=send_receipt.enqueue(1).id)
    for worker in workers:
        result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    return result


def status(result: DBTaskResult) -> str:
    result.refresh_from_db()
    return result.status


def test_a_task_left_running_by_a_dead_worker_is_queued_again():
    result = running(61, "dead")
    assert requeue_stale_tasks() == 1
    assert status(result) == TaskResultStatus.READY
    assert list(DBTaskResult.objects.ready()) == [result]


def test_a_task_whose_worker_stopped_beating_is_queued_again():
    result = running(300, "dead")
    WorkerHeartbeat.objects.create(
        worker_id="dead", seen_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert requeue_stale_tasks() == 1
    assert status(result) == TaskResultStatus.READY


def test_a_long_task_of_a_worker_that_beats_is_left_running():
    result = running(3600, "alive")
    beat("alive")
    assert requeue_stale_tasks() == 0
    assert status(result) == TaskResultStatus.RUNNING


def test_a_task_started_within_the_limit_is_left_running():
    result = running(30, "not-beaten-yet")
    assert requeue_stale_tasks() == 0
    assert status(result) == TaskResultStatus.RUNNING


def test_the_worker_that_claimed_it_last_is_the_one_that_counts():
    result = running(61, "alive", "dead")
    beat("alive")
    assert requeue_stale_tasks() == 1
    assert status(result) == TaskResultStatus.READY


def test_a_task_whose_workers_died_again_and_again_fails_instead():
    result = running(61, *(f"dead-{n}" for n in range(MAX_ATTEMPTS)))
    assert requeue_stale_tasks() == 0
    assert status(result) == TaskResultStatus.FAILED
    assert result.exception_class_path == "fordela.core.tasks.WorkerLost"


def test_finished_tasks_are_left_alone():
    result = running(3600, "dead")
    result.set_successful(1)
    assert requeue_stale_tasks() == 0
    assert status(result) == TaskResultStatus.SUCCESSFUL


def test_a_dead_workers_heartbeat_is_forgotten_and_a_live_ones_kept():
    WorkerHeartbeat.objects.create(
        worker_id="dead", seen_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    beat("alive")
    requeue_stale_tasks()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
