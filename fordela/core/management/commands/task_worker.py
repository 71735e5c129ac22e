"""``manage.py task_worker``: django-tasks-db's ``db_worker`` (same options)
with a heartbeat, so that the tasks of a worker that dies run again on
another (``fordela.core.tasks``). Run this one, not ``db_worker``."""

import logging
import os
import threading
import time

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from fordela.core.tasks import beat, heartbeat_seconds, requeue_stale_tasks

logger = logging.getLogger(__name__)


def beat_and_requeue(worker_id: str) -> None:
    close_old_connections()
    try:
        beat(worker_id)
        requeue_stale_tasks()
    except Exception:  # a missed beat is retried at the next; the worker goes on
        logger.exception("Heartbeat of worker %s failed", worker_id)


def keep_beating(worker_id: str) -> None:
    while True:
        time.sleep(heartbeat_seconds())
        beat_and_requeue(worker_id)


class Command(db_worker.Command):
    help = "Run a background worker that keeps a heartbeat and runs the tasks of dead workers again"

    def handle(self, **options) -> None:
        # With --reload, the first process only watches the files; the one
        # it starts (DJANGO_AUTORELOAD_ENV set) runs the tasks and beats.
        runs_tasks = (
            options["batch"]
            or not options["reload"]
            or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        )
        if runs_tasks:
            worker_id = options["worker_id"]
            beat_and_requeue(worker_id)
            threading.Thread(
                target=keep_beating, args=(worker_id,), name="heartbeat", daemon=True
            ).start()
        super().handle(**options)
