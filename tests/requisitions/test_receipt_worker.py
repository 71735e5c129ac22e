"""The submit writes its receipt task without the ORM (fordela.core.tasks):
the row must be the one django-tasks-db writes, and the real worker must run
it and send the receipt over SMTP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from fordela.requisitions import services
from fordela.requisitions.tasks import send_receipt

from .conftest import filled

ROOT = Path(__file__).resolve().parents[2]
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
    database = django_settings.DATABASES["default"]
    auth = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.access.worker_settings",
        "DATABASE_URL": (
            f"postgres://{auth}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "FORDELA_TEST_SMTP_PORT": str(settings.MAILERS["default"]["OPTIONS"]["port"]),
        "FORDELA_TODAY": "2021-09-15T10:00",
    }
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    [message] = smtp_sink.parsed()
    assert submitted.case_number in message["Subject"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
