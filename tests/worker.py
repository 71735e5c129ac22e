"""Run the real task worker (``manage.py task_worker``, django-tasks-db's
``db_worker`` with a heartbeat), as production does, against the test
database, with mail to the test's SMTP sink (tests/access/worker_settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[1]


def worker_env(settings, **env: str) -> dict[str, str]:
    """The worker's environment: the test database, the SMTP sink of
    ``settings`` (pytest-django's fixture, whose MAILERS point at it), the
    test's MEDIA_ROOT, and ``env`` (e.g. FORDELA_TODAY for the worker's clock)."""
    database = django_settings.DATABASES["default"]
    auth = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.access.worker_settings",
        "DATABASE_URL": (
            f"postgres://{auth}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "FORDELA_TEST_SMTP_PORT": str(settings.MAILERS["default"]["OPTIONS"]["port"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env,
    }


def run_db_worker(settings, **env: str) -> None:
    """Run every ready task once and return."""
    subprocess.run(
        [sys.executable, "manage.py", "task_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=worker_env(settings, **env),
        check=True,
        capture_output=True,
        timeout=60,
    )


def start_worker(settings, log: Path, **env: str) -> subprocess.Popen:
    """Start a worker that runs until it is stopped (or killed); its output
    goes to ``log``."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "task_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=worker_env(settings, **env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
