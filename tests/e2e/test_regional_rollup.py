# ruff: noqa: F811 - the fixtures imported from the roll-up tests
"""The region's own follow-up report to the agency in the browser (issue 20
§5): its sub-grants' section (count, granted, invoiced and paid, unused) on
the handläggare's case page and on the page the region fills in, axe-clean
and without sideways scroll at 1280 and 390 px. Screenshots go to
/tmp/shots/regional-after/ (looked at by hand)."""

import pytest
from django.urls import reverse

from fordela.reports import services as report_services
from fordela.reports.models import Report
from tests.access.conftest import make_user  # noqa: F401 - fixture
from tests.e2e.helpers import login
from tests.e2e.test_regional_after import accessible
from tests.regional.test_rollup import region, subgrants  # noqa: F401 - fixtures
from tests.reports.conftest import paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, round_  # noqa: F401 - fixtures


@pytest.mark.parametrize("width", [1280, 390])
def test_the_regions_report_shows_its_sub_grants(
    live_server, browser, settings, subgrants, region, paid_round, width
):
    settings.FORDELA_PASSWORD_LOGIN = True
    report_services.open_report_period(2021)
    report = Report.objects.get(organisation=region, pool=paid_round.pool)
    for username, path, name in (
        ("handlaggare", reverse("reports:staff_case", args=[report.pk]), "region-report-case"),
        ("ombud", reverse("reports:edit", args=[report.pk]), "region-report-edit"),
    ):
        page = login(browser, live_server.url, username, width)
        page.goto(live_server.url + path)
        assert page.locator("#regional-rollup").count() == 1
        assert page.locator("#rollup-count").inner_text() == "2"
        accessible(page, f"{name}-{width}")
        page.context.close()
