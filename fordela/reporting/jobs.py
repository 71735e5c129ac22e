"""Which long jobs the reporting app runs, who may start and see them, and
the services that start them (issue 19 §7; ``fordela.core.jobs``).

A kind names its task, the staff action its pages need (``STAFF_MATRIX``:
the agency's readers of the ledger, as the report and the payments it is
built from) and how a page names what it is about. A job of a kind not
listed here is no page of this app (404)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.tasks import Task
from django.urls import reverse
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.core import jobs
from fordela.core.models import Job
from fordela.programmes.models import Programme, ProgrammeYear

from . import opendata, tasks

NATIONAL_REPORT = "reporting.national_report"
OPENDATA = "reporting.opendata"


@dataclass(frozen=True)
class Kind:
    task: Task
    action: StaffAction
    title: Callable[[Job], str]
    back: Callable[[Job], tuple[str, str]]  # (url, link text)


def _programme(job: Job) -> Programme:
    return Programme.objects.get(pk=tasks.subject_pk(job))


def _programme_year(job: Job) -> ProgrammeYear:
    return ProgrammeYear.objects.select_related("programme").get(pk=tasks.subject_pk(job))


def _national_title(job: Job) -> str:
    return _("The full national report for %(dnr)s") % {"dnr": _programme(job).reference_number}


def _national_back(job: Job) -> tuple[str, str]:
    programme = _programme(job)
    return reverse("reporting:national", args=[programme.slug]), _("Back to the national report")


def _opendata_title(job: Job) -> str:
    py = _programme_year(job)
    return _("The 360Giving package for %(dnr)s, %(year)s") % {
        "dnr": py.programme.reference_number,
        "year": py.year,
    }


def _opendata_back(job: Job) -> tuple[str, str]:
    return reverse("reporting:opendata"), _("Back to open data")


KINDS: dict[str, Kind] = {
    NATIONAL_REPORT: Kind(
        tasks.build_national_report, StaffAction.READ_REQUISITIONS, _national_title, _national_back
    ),
    OPENDATA: Kind(
        tasks.build_opendata, StaffAction.READ_REQUISITIONS, _opendata_title, _opendata_back
    ),
}


def national_subject(programme: Programme) -> str:
    return f"programme:{programme.pk}"


def opendata_subject(py: ProgrammeYear) -> str:
    return f"programme-year:{py.pk}"


def start_national_report(user, programme: Programme) -> Job:
    """Build the full report (every year, XLSX and PDF) in the background;
    the job already queued or running for the programme if there is one."""
    kind = KINDS[NATIONAL_REPORT]
    require_staff(user, kind.action)
    return jobs.start(user, NATIONAL_REPORT, national_subject(programme), kind.task)


def start_opendata(user, py: ProgrammeYear) -> Job:
    """Build the programme year's 360Giving package and CSV in the
    background; refused for a year with nothing paid (the schema needs a
    grant)."""
    kind = KINDS[OPENDATA]
    require_staff(user, kind.action)
    if not opendata.paid_payables(py).exists():
        raise ValidationError(
            _("Nothing has been paid in %(year)s yet, and a 360Giving package needs a grant.")
            % {"year": py.year}
        )
    return jobs.start(user, OPENDATA, opendata_subject(py), kind.task)


def kind_of(job: Job) -> Kind | None:
    return KINDS.get(job.kind)


def may_see(user, job: Job) -> bool:
    kind = kind_of(job)
    return kind is not None and can_staff(user, kind.action)


def retry(user, job: Job) -> Job:
    """Try the failed job again, from scratch (``core.jobs.retry``)."""
    kind = KINDS[job.kind]
    require_staff(user, kind.action)
    return jobs.retry(user, job, kind.task)


def latest(kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject).first()
