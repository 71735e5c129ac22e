"""Change of contact person (issue 17 §7): by the matrix's "Ändra
kontaktperson" (ombud, representant, uppgiftssamordnare), audited with before
and after, the new person gets the open report's link, the agency sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.reports import services
from fordela.reports.models import Report

from .conftest import client_for
from .links import emailed_link


@pytest.fixture
def report(paid_round, mailoutbox):
    services.open_report_period(2021)
    mailoutbox.clear()
    return Report.objects.get(organisation=paid_round.ale)


def test_the_ombud_changes_the_contact_person(report, paid_round, mailoutbox):
    client = client_for(paid_round.users["representant"])
    url = reverse("reports:contact", args=[report.pk])
    with translation.override("sv"):
        assert "Ändra kontaktperson" in client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    response = client.post(
        url,
        {"contact_name": "Berit Berg", "contact_email": "berit@ale.se", "contact_phone": "0303-1"},
    )
    assert response["Location"] == reverse("reports:edit", args=[report.pk])
    report.refresh_from_db()
    assert (report.contact_name, report.contact_email) == ("Berit Berg", "berit@ale.se")
    event = events_for(report).get(action=AuditAction.REPORT_CONTACT_CHANGED)
    assert event.before["contact_email"] == "anna@example.se"
    assert event.after["contact_email"] == "berit@ale.se"
    (mail,) = mailoutbox
    assert mail.to == ["berit@ale.se"]
    # The signed link for the new person, leading to the report page.
    link = emailed_link(mail.body)
    assert client.get(link)["Location"] == reverse("reports:edit", args=[report.pk])
    html = (
        client_for(paid_round.users["handlaggare"])
        .get(reverse("reports:staff_case", args=[report.pk]))
        .content.decode()
    )
    assert "berit@ale.se" in html


def test_bad_contact_details_change_nothing(report, paid_round, mailoutbox):
    client = client_for(paid_round.users["ombud"])
    response = client.post(
        reverse("reports:contact", args=[report.pk]),
        {"contact_name": "", "contact_email": "inte-en-adress"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    report.refresh_from_db()
    assert report.contact_email == "anna@example.se"
    assert not mailoutbox
    with pytest.raises(ValidationError):
        services.change_contact(paid_round.users["ombud"], report, "Berit", "fel")


def test_someone_else_cannot_change_it(report, paid_round):
    client = client_for(paid_round.users["ombud_b"])
    url = reverse("reports:contact", args=[report.pk])
    assert client.post(url, {"contact_name": "X", "contact_email": "x@x.se"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.change_contact(paid_round.users["ombud_b"], report, "X", "x@x.se")
    assert Report.objects.get(pk=report.pk).contact_name == "Anna Andersson"
