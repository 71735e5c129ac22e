"""The applications' world (tests/applications/conftest.py), proposals to
decide, and the real database task backend for tests that need it."""

import pytest

from fordela.access.models import OrganisationRole
from fordela.applications.services import decisions
from tests.applications.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    member,
    organisation,
    smtp_sink,
    submitted_for,
    world,
)

WORKER_TODAY = "2021-11-15T10:00"  # the world's clock, for the worker's


@pytest.fixture
def database_queue(settings):
    """Tasks go to django-tasks-db's table, for a worker to run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def proposals(w, count: int) -> list:
    """``count`` applications to the world ``w``'s NGO call from as many
    organisations, each with a proposed grant of 100 000 kr."""
    applications = []
    for n in range(count):
        org = organisation(f"Jour {n}", "nonprofit")
        user = member(org, OrganisationRole.OMBUD, f"ombud-jour-{n}")
        application = submitted_for(w, org, user, w.ngo_call, requested=100_000)
        decisions.propose_decision(w.users["handlaggare"], application, "granted", "Bra")
        applications.append(application)
    return applications
