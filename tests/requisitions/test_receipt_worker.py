"""The submit writes its receipt task without the ORM (fordela.core.tasks):
the row must be the one django-tasks-db writes, and the real worker must run
it and send the receipt over SMTP."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from fordela.requisitions import services
from fordela.requisitions.tasks import send_receipt
from tests.worker import run_db_worker

from .conftest import filled

COMPARED = ("status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_receipt_task_row_is_the_one_the_backend_writes(round_, database_queue):
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    services.submit_requisition(round_.users["ombud"], draft, filled())
    ours = DBTaskResult.objects.get()
    with transaction.atomic():
        theirs = DBTaskResult.objects.get(id=send_receipt.enqueue(draft.pk).id)
        transaction.set_rollback(True)
    assert [getattr(ours, name) for name in COMPARED] == [
        getattr(theirs, name) for name in COMPARED
    ]
    assert ours.run_after == theirs.run_after  # "at once"
    assert ours.task_result.task.func is send_receipt.func
    assert list(DBTaskResult.objects.ready()) == [ours]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_receipt(round_, database_queue, smtp_sink, settings):
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    assert smtp_sink.messages == []  # queued, not sent
    run_db_worker(settings, FORDELA_TODAY="2021-09-15T10:00")
    [message] = smtp_sink.parsed()
    assert submitted.case_number in message["Subject"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
