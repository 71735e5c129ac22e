"""Settings for the task worker subprocess (tests/worker.py): the test
settings, plus the real database task backend, the test's SMTP sink and
MEDIA_ROOT."""

import os

from fordela.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ["FORDELA_TEST_SMTP_PORT"])},
    }
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
