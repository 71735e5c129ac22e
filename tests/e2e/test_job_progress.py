"""A long job in the browser (issue 19 §7): the handläggare builds the full
national report from its page and lands on the job's page with its files;
a running job's page shows its progress bar. Both pages pass axe at 1280 and
390 px and neither scrolls sideways. Screenshots go to
``FORDELA_SCREENSHOTS`` when set."""

import os
from pathlib import Path

import pytest

from fordela.access.models import StaffRole
from fordela.core.models import Job, JobStatus
from fordela.reporting import jobs
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import login
from tests.requisitions.conftest import staff

SHOTS = os.environ.get("FORDELA_SCREENSHOTS", "")


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return live_server.url


def check(page, name: str, width: int) -> None:
    found = axe_violations(page)
    assert not found, "axe found problems:\n" + format_violations({page.url: found})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_build_the_full_report_and_follow_a_running_job(browser, site, programme, width):
    officer = staff(StaffRole.HANDLAGGARE, "handlaggare")
    page = login(browser, site, "handlaggare", width)

    # Tests run tasks at once: the build is done when its page opens.
    page.goto(f"{site}/handlaggning/redovisning/{programme.slug}/")
    page.get_by_role("button", name="Bygg hela redovisningen").click()
    page.wait_for_url(f"{site}/handlaggning/jobb/*/")
    job = Job.objects.get(kind=jobs.NATIONAL_REPORT)
    assert job.status == JobStatus.DONE
    assert page.locator("h1").count() == 1
    assert page.locator("a[href*='/filer/']").count() == 2  # the XLSX and the PDF
    check(page, "job-done", width)

    # A running job: the bar says how far it has come, in words too.
    running = Job.objects.create(
        kind=jobs.OPENDATA,
        subject=jobs.opendata_subject(programme.years.get(year=2021)),
        status=JobStatus.RUNNING,
        total=4,
        done=1,
        created_by=officer,
    )
    page.goto(f"{site}/handlaggning/jobb/{running.pk}/")
    bar = page.locator("progress")
    assert bar.get_attribute("value") == "1" and bar.get_attribute("max") == "4"
    check(page, "job-running", width)
