"""Submitting a follow-up report (issue 17 §3): ombud and representant
submit (the matrix), after the check page and a confirmation; submitter and
time are stored, the submission is kept as a version, an audit event, a
receipt page and one receipt e-mail. Refused, nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.core.models import SentMessage
from fordela.reports import services
from fordela.reports.models import Report, ReportStatus

from .conftest import client_for
from .test_form import ANSWERS


@pytest.fixture
def report(paid_round, mailoutbox):
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    services.save_draft(
        paid_round.users["uppgiftssamordnare"], report, {**ANSWERS, "used_sek": 1000}
    )
    mailoutbox.clear()
    return Report.objects.get(pk=report.pk)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def check_url(report) -> str:
    return reverse("reports:check", args=[report.pk])


@pytest.mark.parametrize("role", ["ombud", "representant"])
def test_ombud_and_representant_submit_after_a_confirmation(report, paid_round, role, mailoutbox):
    user = paid_round.users[role]
    client = client_for(user)
    page = client.post(check_url(report), HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    assert "Skicka in återrapporten?" in page.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN  # nothing changed yet
    response = client.post(check_url(report), {"confirmed": "1"})
    assert response["Location"] == reverse("reports:receipt", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == user
    assert report.submitted_at is not None
    assert report.unused_sek == report.received_sek - 1000
    (submission,) = report.submissions.all()
    assert (submission.number, submission.used_sek, submission.answers) == (1, 1000, report.answers)
    event = events_for(report).get(action=AuditAction.REPORT_SUBMITTED)
    assert event.after["unused_sek"] == report.unused_sek
    (mail,) = mailoutbox
    assert mail.subject == f"Kvittens: återrapport {report.case_number}"
    assert "Ej använt:" in mail.body
    assert sorted(mail.to) == sorted({"anna@example.se", user.email})
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "govuk-panel--confirmation" in html
    assert "Er återrapport har skickats in." in html
    assert report.case_number in html


def test_the_uppgiftssamordnare_fills_in_but_may_not_submit(report, paid_round):
    client = client_for(paid_round.users["uppgiftssamordnare"])
    html = client.get(check_url(report), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Bara ombudet eller en representant kan skicka in återrapporten." in html
    assert 'id="submit-form"' not in html
    assert client.post(check_url(report), {"confirmed": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit_report(paid_round.users["uppgiftssamordnare"], report)
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN


def test_someone_elses_report_cannot_be_submitted(report, paid_round):
    client = client_for(paid_round.users["ombud_b"])
    assert client.post(check_url(report), {"confirmed": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit_report(paid_round.users["ombud_b"], report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.OPEN


def test_submitting_twice_changes_nothing(report, paid_round, mailoutbox):
    ombud = paid_round.users["ombud"]
    services.submit_report(ombud, report)
    with pytest.raises(ValidationError, match="redan skickats in"):
        services.submit_report(ombud, report)
    response = client_for(ombud).post(check_url(report), {"confirmed": "1"})
    assert response["Location"] == reverse("reports:receipt", args=[report.pk])
    report.refresh_from_db()
    assert report.submission_count == 1
    assert report.submissions.count() == 1
    assert len(mailoutbox) == 1
    # The receipt task run again sends nothing.
    from fordela.reports.tasks import send_receipt

    assert send_receipt.call(report.pk, 1) == 0
    assert SentMessage.objects.filter(key__startswith="report-receipt:").count() == 1
    # And the form is closed: the edit page shows the receipt.
    response = client_for(ombud).post(
        reverse("reports:edit", args=[report.pk]), {"results": "Ändrat", "action": "save"}
    )
    assert response["Location"] == reverse("reports:receipt", args=[report.pk])
    assert Report.objects.get(pk=report.pk).answers["results"] == ANSWERS["results"]


def test_an_incomplete_report_is_refused(paid_round):
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    ombud = paid_round.users["ombud"]
    with pytest.raises(ValidationError) as refused:
        services.submit_report(ombud, report)
    assert set(refused.value.message_dict) == {"results", "lessons", "activities", "used_sek"}
    response = client_for(ombud).post(check_url(report), {"confirmed": "1"})
    assert response.status_code == 400
    assert "Ange hur mycket av pengarna som har använts." in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.submission_count) == (ReportStatus.OPEN, 0)


def test_every_report_e_mail_ends_with_the_agencys_signature(report, paid_round, mailoutbox):
    from fordela.core.agency import email_signature

    services.submit_report(paid_round.users["ombud"], report)
    with translation.override("sv"):
        signature = email_signature()
    (mail,) = mailoutbox
    assert mail.body.rstrip().endswith(signature.rstrip())
