"""The follow-up reports are visible to the organisation and to the
handläggare (issue 17 §1), in Swedish."""

import pytest
from django.urls import reverse
from django.utils import translation

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
