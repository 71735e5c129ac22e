"""The start pages show follow-up reports (issue 16 section 2, issue 17): the
organisation sees each report it must send in with its due date and a link to
the form; the handläggare sees how many wait for review and how many are late."""

from django.conf import settings
from django.urls import reverse

from fordela.reports import services
from fordela.reports.models import Report
from tests.access.test_start_pages import work_items
from tests.reports.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    filled,
    paid_round,
    report_form,
    round_,
)


def start_page(client, user) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.get(reverse("access:my_pages"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_organisation_sees_its_report_to_send_in_and_the_handlaggare_the_reviews(
    client,
    paid_round,  # noqa: F811 - the fixtures
    clock_at,  # noqa: F811
):
    services.open_report_period(2021)
    ale = paid_round.organisations[0]
    report = Report.objects.get(organisation=ale)
    page = start_page(client, paid_round.users["ombud"])
    href, status = work_items(page)["Fyll i återrapporten"]
    assert href == reverse("reports:edit", args=[report.pk])
    assert status == report.get_status_display()
    assert "skicka in senast den 31 mars 2022" in page

    page = start_page(client, paid_round.users["handlaggare"])
    href, count = work_items(page)["Återrapporter att granska"]
    assert href == reverse("reports:staff_list") + "?status=submitted"
    assert count == "0"
    assert "0 återrapporter har inte skickats in i tid" in page

    clock_at("2022-04-01T09:00")  # the day after the due date: every report is late
    page = start_page(client, paid_round.users["handlaggare"])
    late = Report.objects.count()
    assert late >= 2
    assert f"{late} återrapporter har inte skickats in i tid" in page
