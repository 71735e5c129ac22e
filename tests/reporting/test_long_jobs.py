# ruff: noqa: F811 - the fixtures imported from opendata_fixtures
"""The reporting app's long jobs (issue 19 §7): the full national report
and a year's 360Giving package built by a task from a POST button make the
same files as the direct downloads; the job page shows the progress (a
self-refreshing page without JS), the files once done and "try again" once
failed; who may start and see them; bad input (an unknown job, a job of
another app's kind, another job's file, a year with nothing paid)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fordela.access.models import StaffRole
from fordela.core.models import Job, JobStatus
from fordela.reporting import jobs
from fordela.reporting import tasks as reporting_tasks
from tests.reporting.opendata_fixtures import (  # noqa: F401 - fixtures
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)
from tests.reports.conftest import client_for
from tests.requisitions.conftest import make_user, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def downloaded(client, job: Job) -> dict[str, bytes]:
    files = {}
    for stored in job.files.all():
        response = client.get(reverse("reporting:job_file", args=[job.pk, stored.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        files[stored.name] = b"".join(response.streaming_content)
    return files


def test_the_full_report_job_makes_the_files_of_the_direct_downloads(
    programme, clock_at, django_capture_on_commit_callbacks
):
    clock_at("2021-10-20T10:00")
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    page = client.get(reverse("reporting:national", args=[programme.slug])).content.decode()
    build_url = reverse("reporting:national_build", args=[programme.slug])
    assert f'action="{build_url}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build_url)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:job", args=[job.pk])
    assert (job.kind, job.status) == (jobs.NATIONAL_REPORT, JobStatus.DONE)
    years = programme.last_year - programme.first_year + 1
    assert (job.total, job.done) == (years + 2, years + 2)

    files = downloaded(client, job)
    xlsx_name = f"redovisning-{programme.slug}-2021-10-20.xlsx"
    pdf_name = f"redovisning-{programme.slug}-2021-10-20.pdf"
    assert set(files) == {xlsx_name, pdf_name}
    direct_xlsx = client.get(reverse("reporting:national_xlsx", args=[programme.slug])).content
    assert sheets(files[xlsx_name]) == sheets(direct_xlsx)
    direct_pdf = client.get(reverse("reporting:national_pdf", args=[programme.slug])).content
    assert pdf_text(files[pdf_name]) == pdf_text(direct_pdf)
    assert "Diarienummer S2020/01591" in " ".join(pdf_text(files[pdf_name]).split())

    html = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    for stored in job.files.all():
        assert reverse("reporting:job_file", args=[job.pk, stored.pk]) in html
    # The report page links its latest build.
    page = client.get(reverse("reporting:national", args=[programme.slug])).content.decode()
    assert reverse("reporting:job", args=[job.pk]) in page


def test_the_360giving_job_makes_the_files_of_the_direct_downloads(
    paid_round, django_capture_on_commit_callbacks
):
    py = paid_round.pool.programme_year
    args = [py.programme.slug, py.year]
    client = client_for(paid_round.users["ekonomi"])
    page = client.get(reverse("reporting:opendata")).content.decode()
    build_url = reverse("reporting:opendata_build", args=args)
    assert f'action="{build_url}"' in page
    # The public does not get the button.
    assert (
        build_url
        not in client_for(make_user("someone")).get(reverse("reporting:opendata")).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build_url)
    job = Job.objects.get()
    assert response["Location"] == reverse("reporting:job", args=[job.pk])
    assert (job.kind, job.status, job.done, job.total) == (jobs.OPENDATA, "done", 3, 3)
    files = downloaded(client, job)
    name = f"360giving-{py.programme.slug}-{py.year}"
    assert (
        files[f"{name}.json"] == client.get(reverse("reporting:opendata_json", args=args)).content
    )
    assert files[f"{name}.csv"] == client.get(reverse("reporting:opendata_csv", args=args)).content


def test_two_clicks_follow_one_job(programme, django_capture_on_commit_callbacks):
    client = client_for(staff(StaffRole.BESLUTSFATTARE, "beslutsfattare"))
    url = reverse("reporting:national_build", args=[programme.slug])
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url)
        second = client.post(url)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1 and len(callbacks) == 1

    # Queued: the page refreshes itself without JS and the JS polls the status.
    job = Job.objects.get()
    html = client.get(first["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert 'id="job-bar"' in html and "<progress" in html
    assert reverse("reporting:job_status", args=[job.pk]) in html
    assert "js/job-progress.js" in html
    status = client.get(reverse("reporting:job_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["finished"] is False


def test_a_failed_job_says_so_and_is_tried_again(
    programme, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(job):
        raise RuntimeError("the PDF renderer died")

    monkeypatch.setattr(reporting_tasks, "national_report_files", broken)
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:national_build", args=[programme.slug]))
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "Jobbet kunde inte slutföras" in html  # the page is Swedish
    assert "the PDF renderer died" not in html  # no internals on the page
    retry_url = reverse("reporting:job_retry", args=[job.pk])
    assert f'action="{retry_url}"' in html
    # No file of a failed job.
    assert client.get(reverse("reporting:job_status", args=[job.pk])).json()["finished"]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response["Location"] == reverse("reporting:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.files.count() == 2


def test_the_job_pages_are_for_the_agencys_readers_of_the_ledger(
    programme, django_capture_on_commit_callbacks
):
    starter = staff(StaffRole.HANDLAGGARE, "handlaggare")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_national_report(starter, programme)
    stored = job.files.first()
    urls = [
        reverse("reporting:job", args=[job.pk]),
        reverse("reporting:job_status", args=[job.pk]),
        reverse("reporting:job_file", args=[job.pk, stored.pk]),
    ]
    # Another reader sees the same job (the report is the agency's).
    ekonomi = client_for(staff(StaffRole.EKONOMI, "ekonomi"))
    assert [ekonomi.get(url).status_code for url in urls] == [200, 200, 200]
    consultee = client_for(staff(StaffRole.CONSULTEE, "consultee"))
    assert [consultee.get(url).status_code for url in urls] == [403, 403, 403]
    assert (
        consultee.post(reverse("reporting:national_build", args=[programme.slug])).status_code
        == 403
    )
    assert consultee.post(reverse("reporting:job_retry", args=[job.pk])).status_code == 403
    assert Job.objects.count() == 1
    anonymous = client_for(make_user("nobody"))
    anonymous.logout()
    assert anonymous.get(urls[0]).status_code == 302


def test_bad_input_changes_nothing(programme, paid_round, django_capture_on_commit_callbacks):
    client = client_for(paid_round.users["handlaggare"])
    assert client.get(reverse("reporting:job", args=[999_999])).status_code == 404
    assert client.get(reverse("reporting:job_status", args=[2**62])).status_code == 404
    # A job of a kind that is not this app's (another app's, or gone).
    other = Job.objects.create(kind="other.kind", subject="x:1", created_by=make_user("x"))
    assert client.get(reverse("reporting:job", args=[other.pk])).status_code == 404
    assert client.post(reverse("reporting:job_retry", args=[other.pk])).status_code == 404
    # Another job's file, and the file of a job not done.
    with django_capture_on_commit_callbacks(execute=True):
        done = jobs.start_national_report(staff(StaffRole.EKONOMI, "e2"), programme)
    with django_capture_on_commit_callbacks():
        queued = jobs.start_opendata(staff(StaffRole.EKONOMI, "e3"), paid_round.pool.programme_year)
    stored = done.files.first()
    assert client.get(reverse("reporting:job_file", args=[queued.pk, stored.pk])).status_code == 404
    # Unknown programme and year.
    assert client.post(reverse("reporting:national_build", args=["finns-inte"])).status_code == 404
    assert (
        client.post(reverse("reporting:opendata_build", args=["finns-inte", 2021])).status_code
        == 404
    )
    slug = paid_round.pool.programme_year.programme.slug
    assert client.post(reverse("reporting:opendata_build", args=[slug, 10**12])).status_code == 404
    # A GET does not start anything.
    assert client.get(reverse("reporting:national_build", args=[programme.slug])).status_code == 405
    assert Job.objects.count() == 3


def test_a_year_with_nothing_paid_is_refused_with_a_clear_message(
    paid_round, django_capture_on_commit_callbacks
):
    from tests.factories import ProgrammeYearFactory

    py = paid_round.pool.programme_year
    empty = ProgrammeYearFactory(programme=py.programme, year=py.year + 5)
    client = client_for(paid_round.users["handlaggare"])
    response = client.post(
        reverse("reporting:opendata_build", args=[py.programme.slug, empty.year]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:opendata")
    assert "ett 360Giving-paket behöver minst ett bidrag" in response.content.decode()
    assert not Job.objects.exists()
