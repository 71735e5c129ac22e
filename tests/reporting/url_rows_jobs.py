"""The long jobs' rows of the URL × role table
(tests/access/url_access_table.py): the agency's readers of the ledger
(READ_REQUISITIONS: handläggare, beslutsfattare, ekonomi) start the full
report and a year's 360Giving build (a redirect to the job's page) and see
any job of the two kinds, with its status and files; no one else
(tests/reporting/test_long_jobs.py). The world gets one finished report job
with one file, started by the handläggare."""

from django.core.files.base import ContentFile

from fordela.core import clock
from fordela.core.models import Job, JobFile, JobStatus
from tests.access.url_access_table import Entry, expect, key
from tests.reporting.url_rows_opendata import _paid_year

READERS = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
READERS_ACT = expect(403, anonymous=302, handlaggare=302, beslutsfattare=302, ekonomi=302)


def _job(world) -> dict:
    if "jobs" not in world.extras:
        from fordela.programmes.models import Programme
        from fordela.reporting import jobs

        programme = Programme.objects.get(slug=key(world)["programme"])
        job = Job.objects.create(
            kind=jobs.NATIONAL_REPORT,
            subject=jobs.national_subject(programme),
            status=JobStatus.DONE,
            total=1,
            done=1,
            created_by=world.users["handlaggare"],
            finished_at=clock.now(),
        )
        stored = JobFile(job=job, name="redovisning.xlsx", content_type="text/plain", size=2)
        stored.file.save("redovisning.xlsx", ContentFile(b"ok"), save=False)
        stored.save()
        world.extras["jobs"] = {"job_id": job.pk, "file_id": stored.pk}
    return world.extras["jobs"]


def job_kwargs(world) -> dict:
    return {"job_id": _job(world)["job_id"]}


ROWS = {
    "reporting:national_build": Entry(
        READERS_ACT,
        kwargs=lambda w: {"slug": key(w)["programme"]},
        method="post",
        note="starts (or finds) the job, to its page",
    ),
    "reporting:opendata_build": Entry(
        READERS_ACT, kwargs=_paid_year, method="post", note="starts the job, to its page"
    ),
    "reporting:job": Entry(READERS, kwargs=job_kwargs),
    "reporting:job_status": Entry(READERS, kwargs=job_kwargs),
    "reporting:job_retry": Entry(
        READERS_ACT, kwargs=job_kwargs, method="post", note="a done job: back to its page"
    ),
    "reporting:job_file": Entry(READERS, kwargs=_job),
}
