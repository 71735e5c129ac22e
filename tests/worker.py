"""Run the real ``db_worker`` once, as production does, against the test
database, with mail to the test's SMTP sink (tests/access/worker_settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[1]


def run_db_worker(settings, **env: str) -> None:
    """Run every ready task once and return; ``env`` adds variables (e.g.
    FORDELA_TODAY for the worker's clock). ``settings`` is pytest-django's
    fixture, whose MAILERS point at the SMTP sink."""
    database = django_settings.DATABASES["default"]
    auth = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.access.worker_settings",
            "DATABASE_URL": (
                f"postgres://{auth}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
            ),
            "FORDELA_TEST_SMTP_PORT": str(settings.MAILERS["default"]["OPTIONS"]["port"]),
            **env,
        },
        check=True,
        capture_output=True,
        timeout=60,
    )
