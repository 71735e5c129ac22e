"""Test profile: always PostgreSQL (the same engine as production)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "test-only-not-secret")
DATABASES = {"default": database_from_env("postgres://postgres@127.0.0.1:5432/fordela")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Each test run creates a database of its own (test_fordela_<pid>), so runs
# side by side on one server (two checkouts, a developer beside CI) do not
# drop each other's database. pytest-django removes it at the end.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Serve static files from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run inline in tests; one test drives the real database backend + worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"

# The benchmarks are tested too (fordela.bench; never in production).
INSTALLED_APPS = [*INSTALLED_APPS, "fordela.bench"]  # noqa: F405
