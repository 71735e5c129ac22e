"""Enqueueing a background task from the requisition submit."""

from django.tasks import Task
from django.utils.json import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from . import rows


def enqueue(task: Task, *args) -> None:
    """``task.enqueue(*args)`` inside the caller's transaction, without the
    ORM (docs/performance.md: the ORM's INSERT was a tenth of a submit's CPU).

    With the database backend (production) this writes the row
    ``DatabaseBackend.enqueue`` would write, with a plain INSERT
    (``fordela.core.rows``); it commits, or not, with the caller's changes.
    No signals are sent: the backend's ``pre_save`` handler (``run_after``)
    is done here, and ``task_enqueued`` only logs. Other backends (the tests'
    immediate one) enqueue as usual. tests/core/test_tasks.py runs a task
    enqueued here through the real worker, so an upgrade that changes the row
    fails there."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        task.enqueue(*args)
        return
    backend.validate_task(task)
    rows.insert(
        [
            DBTaskResult(
                args_kwargs=normalize_json({"args": list(args), "kwargs": {}}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after or get_date_max(),
                backend_name=backend.alias,
            )
        ]
    )
