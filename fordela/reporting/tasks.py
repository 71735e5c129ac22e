"""The reporting app's long jobs as background tasks (issue 19 §7): the
full national report (XLSX and PDF, every year of the programme) and a
programme year's 360Giving package (JSON and CSV). Each runs through
``fordela.core.jobs.run``: it builds its files from scratch from the stored
data, counts its steps as it goes, and a second run of the task changes
nothing once the first has finished."""

from django.core.exceptions import ValidationError
from django.tasks import task
from django.utils.translation import gettext as _

from fordela.core import jobs
from fordela.core.models import Job
from fordela.programmes.models import Programme, ProgrammeYear

from . import exports, opendata
from .national import year_report


def subject_pk(job: Job) -> int:
    """The primary key in the job's subject (``programme:3``)."""
    return int(job.subject.rsplit(":", 1)[1])


def national_report_files(job: Job) -> list[jobs.Result]:
    """Every year's report (one step each), then the XLSX and the PDF: the
    same files as the page's direct downloads without a year."""
    programme = Programme.objects.get(pk=subject_pk(job))
    years = list(range(programme.first_year, programme.last_year + 1))
    jobs.set_total(job, len(years) + 2)
    reports = []
    for year in years:
        reports.append(year_report(programme, year))
        jobs.progress(job)
    xlsx = exports.national_xlsx(programme, reports)
    jobs.progress(job)
    pdf = exports.national_pdf(programme, reports)
    jobs.progress(job)
    return [
        jobs.Result(exports.national_filename(programme), xlsx, exports.XLSX_TYPE),
        jobs.Result(exports.national_pdf_filename(programme), pdf, "application/pdf"),
    ]


def opendata_files(job: Job) -> list[jobs.Result]:
    """The paid grants, the 360Giving package (its codes checked), the CSV:
    the same files as the open-data page's downloads."""
    py = ProgrammeYear.objects.select_related("programme").get(pk=subject_pk(job))
    jobs.set_total(job, 3)
    rows = opendata.grant_rows(py)
    if not rows:
        raise ValidationError(
            _("Nothing has been paid in %(year)s yet, and a 360Giving package needs a grant.")
            % {"year": py.year}
        )
    jobs.progress(job)
    package = opendata.package(py, rows)
    problems = opendata.check_codes(package)
    if problems:
        raise ValidationError(" ".join(problems))
    content = opendata.package_json(package)
    jobs.progress(job)
    csv = opendata.csv_text(rows).encode("utf-8")
    jobs.progress(job)
    name = f"360giving-{py.programme.slug}-{py.year}"
    return [
        jobs.Result(f"{name}.json", content, "application/json"),
        jobs.Result(f"{name}.csv", csv, "text/csv; charset=utf-8"),
    ]


@task(takes_context=True)
def build_national_report(context, job_id: int) -> int:
    return jobs.run(job_id, national_report_files, result_id=context.task_result.id)


@task(takes_context=True)
def build_opendata(context, job_id: int) -> int:
    return jobs.run(job_id, opendata_files, result_id=context.task_result.id)
