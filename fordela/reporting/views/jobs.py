"""Starting the reporting app's long jobs and following them (issue 19 §7):
a POST button on the national report page and on the open-data page, then
the job's page with its progress bar (refreshing itself without JS, polled
by ``static/js/job-progress.js`` with it), its files once done, and "try
again" once failed. Every page needs the kind's staff action."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import require_staff
from fordela.core import jobs as core_jobs
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.core.models import Job
from fordela.programmes.models import Programme, ProgrammeYear

from .. import jobs

# Seconds between two looks at a running job (the no-JS refresh and the poll).
REFRESH_SECONDS = 2


def _job(request, job_id: int) -> tuple[Job, jobs.Kind]:
    """The job, 404 unless it is one of this app's kinds, 403 unless the user
    has its kind's staff action; failed if its task ended without it."""
    job = get_object_or_404(Job, pk=job_id)
    kind = jobs.kind_of(job)
    if kind is None:
        raise Http404
    require_staff(request.user, kind.action)
    return core_jobs.settle(job, kind.task), kind


@login_required
@require_POST
def national_build(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    job = jobs.start_national_report(request.user, programme)
    return redirect("reporting:job", job.pk)


@login_required
@require_POST
def opendata_build(request, slug: str, year: int):
    py = get_object_or_404(ProgrammeYear, programme__slug=slug, year=min(year, 9999))
    try:
        job = jobs.start_opendata(request.user, py)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("reporting:opendata")
    return redirect("reporting:job", job.pk)


def _files(job: Job) -> list[dict]:
    if job.status != "done":
        return []
    return [
        {
            "name": f.name,
            "size": f.size,
            "url": reverse("reporting:job_file", args=[job.pk, f.pk]),
        }
        for f in job.files.all()
    ]


@login_required
@require_GET
def job_page(request, job_id: int):
    job, kind = _job(request, job_id)
    back_url, back_text = kind.back(job)
    return render(
        request,
        "core/job.html",
        {
            "job": job,
            "title": kind.title(job),
            "back_url": back_url,
            "back_text": back_text,
            "files": _files(job),
            "refresh": REFRESH_SECONDS,
        },
    )


@login_required
@require_GET
def job_status(request, job_id: int):
    job, _kind = _job(request, job_id)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "failed": job.failed,
            "total": job.total,
            "percent": job.percent,
            "finished": not job.is_active,
            "message": job.message,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def job_retry(request, job_id: int):
    job, _kind = _job(request, job_id)
    job = jobs.retry(request.user, job)
    return redirect("reporting:job", job.pk)


@login_required
@require_GET
def job_file(request, job_id: int, file_id: int):
    job, _kind = _job(request, job_id)
    if job.status != "done":
        raise Http404
    stored = get_object_or_404(job.files, pk=file_id)
    return file_download(stored.file, stored.name, stored.content_type)
