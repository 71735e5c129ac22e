"""Long jobs (fordela.core.jobs, issue 19 §7): two clicks on "build" make
one job (also when the two requests race), the task is enqueued on commit,
the progress is F() increments of the latest attempt only, a run after a
worker's death rebuilds the result from scratch and overwrites the file it
left, finishing twice changes nothing, a failed job is tried again, and a
job whose task ended without it is failed instead of blocking new ones."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core import jobs
from fordela.core.models import Job, JobFile, JobStatus

KIND = "test.echo"
# What the test task builds, changed by the tests (a module global, as the
# task is called by its module path).
BUILD = {"content": b"first", "fail": None}


def build(job: Job) -> list[jobs.Result]:
    jobs.set_total(job, 2)
    jobs.progress(job)
    if BUILD["fail"] is not None:
        raise BUILD["fail"]
    jobs.progress(job)
    return [jobs.Result("result.txt", BUILD["content"], "text/plain")]


@task(takes_context=True)
def echo(context, job_id: int) -> int:
    return jobs.run(job_id, build, result_id=context.task_result.id)


@pytest.fixture(autouse=True)
def fresh_build(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    BUILD.update(content=b"first", fail=None)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="starter", password="pw")


def events(action: AuditAction) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.django_db
def test_two_clicks_start_one_job_and_enqueue_it_once_on_commit(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = jobs.start(user, KIND, "thing:1", echo)
        second = jobs.start(user, KIND, "thing:1", echo)
    assert first.pk == second.pk
    assert first.status == JobStatus.QUEUED  # nothing runs before the commit
    assert len(callbacks) == 1
    assert Job.objects.count() == 1
    assert events(AuditAction.JOB_STARTED) == 1
    # Another subject is another job.
    with django_capture_on_commit_callbacks():
        other = jobs.start(user, KIND, "thing:2", echo)
    assert other.pk != first.pk


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_job_of_a_kind_and_subject(user):
    Job.objects.create(kind=KIND, subject="thing:1", created_by=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=KIND, subject="thing:1", created_by=user, status=JobStatus.RUNNING)
    # A finished one does not count.
    Job.objects.filter(subject="thing:1").update(
        status=JobStatus.DONE, finished_at="2026-01-01T10:00Z"
    )
    Job.objects.create(kind=KIND, subject="thing:1", created_by=user)


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_start_one_job(user):
    """Two transactions that both find no job: the second INSERT waits for
    the first's commit, fails on the unique index, and returns the first."""
    barrier = threading.Barrier(2)
    got: list[int] = []
    errors: list[BaseException] = []

    def click():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                got.append(jobs.start(user, KIND, "race:1", echo).pk)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(got) == 2 and got[0] == got[1]
    job = Job.objects.get()
    assert job.status == JobStatus.DONE  # committed, enqueued, run inline
    assert JobFile.objects.filter(job=job).count() == 1


@pytest.mark.django_db
def test_progress_is_counted_with_f_increments_for_the_latest_attempt(user):
    job = Job.objects.create(kind=KIND, subject="thing:1", created_by=user)
    job = jobs._begin(job.pk, "")
    jobs.set_total(job, 5)
    stale = Job.objects.get(pk=job.pk)  # read once, never refreshed
    jobs.progress(stale)
    jobs.progress(stale)
    jobs.progress(job, done=1, failed=1)
    job.refresh_from_db()
    assert (job.done, job.failed, job.total) == (3, 1, 5)
    jobs.progress(job, done=10)  # never beyond the total
    job.refresh_from_db()
    assert (job.done, job.failed) == (4, 1)
    assert job.percent == 100
    # A worker that was only slow, after another has begun the job again:
    # its steps no longer count.
    again = jobs._begin(job.pk, "")
    jobs.set_total(again, 5)
    jobs.progress(stale)
    again.refresh_from_db()
    assert (again.attempts, again.done) == (2, 0)


@pytest.mark.django_db
def test_a_run_after_a_dead_worker_rebuilds_and_overwrites_and_a_second_finish_changes_nothing(
    user, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks():
        job = jobs.start(user, KIND, "thing:1", echo)
    # The first worker began the job, wrote its file and died before the
    # job's transaction committed: the job is running, a stray file is there.
    jobs._begin(job.pk, "")
    stray = settings.MEDIA_ROOT / "jobs" / str(job.pk) / "result.txt"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"half")
    BUILD["content"] = b"rebuilt"

    # The next worker runs the task again.
    assert echo.enqueue(job.pk).return_value == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.attempts, job.done, job.total) == (2, 2, 2)
    stored = job.files.get()
    assert stored.file.name == f"jobs/{job.pk}/result.txt"
    assert stored.size == len(b"rebuilt")
    assert sorted(p.name for p in stray.parent.iterdir()) == ["result.txt"]
    assert stray.read_bytes() == b"rebuilt"

    # The slow first worker finishes too: nothing changes.
    finished_at = job.finished_at
    BUILD["content"] = b"late"
    assert echo.enqueue(job.pk).return_value == 0
    job.refresh_from_db()
    assert job.finished_at == finished_at and job.attempts == 2
    assert job.files.get().pk == stored.pk
    assert stray.read_bytes() == b"rebuilt"
    assert events(AuditAction.JOB_FINISHED) == 1


@pytest.mark.django_db
def test_a_failed_job_says_why_and_is_tried_again_from_scratch(
    user, django_capture_on_commit_callbacks
):
    BUILD["fail"] = RuntimeError("disk full")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(user, KIND, "thing:1", echo)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == ""  # the page says it in general words
    assert job.finished_at is not None and not job.files.exists()
    assert events(AuditAction.JOB_FAILED) == 1

    BUILD["fail"] = None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = jobs.retry(user, job, echo)
        twice = jobs.retry(user, job, echo)  # a second click: the same job
    assert again.pk == twice.pk == job.pk
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.files.count() == 1
    assert events(AuditAction.JOB_RETRIED) == 1
    # A done job is not tried again.
    assert jobs.retry(user, job, echo).status == JobStatus.DONE


@pytest.mark.django_db
def test_a_refusal_fails_the_job_with_its_message(user, django_capture_on_commit_callbacks):
    BUILD["fail"] = ValidationError("Inget att bygga.")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(user, KIND, "thing:1", echo)
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "Inget att bygga.")


@pytest.mark.django_db
def test_retry_finds_the_job_started_meanwhile(user, django_capture_on_commit_callbacks):
    failed = Job.objects.create(
        kind=KIND,
        subject="thing:1",
        created_by=user,
        status=JobStatus.FAILED,
        finished_at="2026-01-01T10:00Z",
    )
    with django_capture_on_commit_callbacks():
        newer = jobs.start(user, KIND, "thing:1", echo)
        assert jobs.retry(user, failed, echo).pk == newer.pk
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


@pytest.mark.django_db
def test_a_job_whose_task_ended_without_it_is_failed_and_a_new_one_can_start(
    user, settings, django_capture_on_commit_callbacks
):
    """Its workers died too often (core.tasks: FAILED with WorkerLost): the
    job would stay running for ever and block the next start."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LANGUAGE_CODE = "en"  # the message is stored in the product's language
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(user, KIND, "thing:1", echo)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_result_id
    assert jobs.settle(job, echo).status == JobStatus.QUEUED  # its task is waiting

    DBTaskResult.objects.filter(pk=job.task_result_id).update(status=TaskResultStatus.FAILED)
    with django_capture_on_commit_callbacks():
        newer = jobs.start(user, KIND, "thing:1", echo)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "The background work stopped before it was finished."
    assert newer.pk != job.pk and newer.status == JobStatus.QUEUED
