"""The follow-up reports are visible to the organisation and to the
handläggare (issue 17 §1), in Swedish."""

import pytest
from django.urls import reverse
from django.utils import translation

from fordela.core.formatting import kronor
from fordela.reports import services
from fordela.reports.models import Report

from .conftest import client_for


@pytest.fixture
def opened(paid_round):
    services.open_report_period(2021)
    return paid_round


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_the_organisation_sees_its_reports_and_due_dates(opened):
    report = Report.objects.get(organisation=opened.ale)
    response = client_for(opened.users["uppgiftssamordnare"]).get(
        reverse("reports:organisation", args=[opened.ale.pk]), HTTP_ACCEPT_LANGUAGE="sv"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Återrapporter" in html
    assert report.case_number in html
    assert "2022-03-31" in html
    assert "Ska återrapporteras" in html
    assert reverse("reports:edit", args=[report.pk]) in html
    # Money received by redistribution is shown, not only what was requisitioned.
    assert report.redistributed_sek > 0
    assert report.received_sek == report.requisitioned_sek + report.redistributed_sek
    assert f"varav {kronor(report.redistributed_sek)} omfördelat" in html
    assert kronor(report.received_sek) in html
    # Only its own: Bjurholm's report is not on Ale's page.
    other = Report.objects.get(organisation=opened.organisations[1])
    assert other.case_number not in html


def test_another_organisations_ombud_is_refused(opened):
    response = client_for(opened.users["ombud_b"]).get(
        reverse("reports:organisation", args=[opened.ale.pk])
    )
    assert response.status_code == 403


def test_the_handlaggare_lists_and_filters_the_reports(opened):
    client = client_for(opened.users["handlaggare"])
    response = client.get(reverse("reports:staff_list"), HTTP_ACCEPT_LANGUAGE="sv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 återrapporter" in html
    for report in Report.objects.all():
        assert report.case_number in html
    response = client.get(reverse("reports:staff_list"), {"status": "approved"})
    assert "0 återrapporter" in response.content.decode()
    report = Report.objects.get(organisation=opened.ale)
    response = client.get(reverse("reports:staff_case", args=[report.pk]))
    assert response.status_code == 200
    assert "Återrapporten öppnades" in response.content.decode()


def test_the_queue_filters_overdue_and_unused_and_downloads(opened, clock_at):
    from fordela.reports import services as report_services

    ale = Report.objects.get(organisation=opened.ale)
    ombud = opened.users["ombud"]
    report_services.save_draft(
        ombud,
        ale,
        {"results": "Bra.", "lessons": "Mycket.", "activities_barn": "Stöd.", "used_sek": 1000},
    )
    report_services.submit_report(ombud, ale)
    ale.refresh_from_db()
    client = client_for(opened.users["handlaggare"])
    url = reverse("reports:staff_list")
    html = client.get(url, {"unused": "on"}).content.decode()
    assert "1 återrapport" in html and ale.case_number in html
    clock_at("2022-04-01T09:00")  # after 31 March: Bjurholm's report is overdue
    html = client.get(url, {"overdue": "on"}).content.decode()
    bjurholm = Report.objects.get(organisation=opened.organisations[1])
    assert "1 återrapport" in html and bjurholm.case_number in html
    assert ale.case_number not in html
    response = client.get(reverse("reports:staff_csv"), {"unused": "on"})
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Diarienummer;Organisation")
    assert ale.case_number in body and bjurholm.case_number not in body
    assert f";{ale.unused_sek};" in body
    response = client.get(reverse("reports:staff_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
