"""The handläggare's review (issue 17 §4): submitted → completion requested
(a reason and a new deadline) ⇄ submitted → approved | rejected; every step
audited and e-mailed; each submission kept, the case page shows what changed
between them. Bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.reports import review, services
from fordela.reports.models import Report, ReportStatus, ReviewKind

from .conftest import client_for
from .test_form import ANSWERS

NEW_DUE = datetime.date(2022, 5, 15)


@pytest.fixture
def submitted(paid_round, mailoutbox):
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    ombud = paid_round.users["ombud"]
    services.save_draft(ombud, report, {**ANSWERS, "used_sek": 1000})
    services.submit_report(ombud, report)
    mailoutbox.clear()
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def handlaggare(paid_round):
    return paid_round.users["handlaggare"]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_completion_then_resubmission_then_approval(submitted, paid_round, handlaggare, mailoutbox):
    ombud = paid_round.users["ombud"]
    review.request_completion(handlaggare, submitted, "Beskriv resultaten närmare.", NEW_DUE)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.COMPLETION_REQUESTED
    assert submitted.due_on == NEW_DUE
    (mail,) = mailoutbox
    assert "komplettering" in mail.subject
    assert "Beskriv resultaten närmare." in mail.body and "15 maj 2022" in mail.body
    # The organisation sees what to complete on its form.
    html = client_for(ombud).get(reverse("reports:edit", args=[submitted.pk])).content.decode()
    assert "Beskriv resultaten närmare." in html and "15 maj 2022" in html
    # Sent again without the change asked for: refused, nothing changes.
    with pytest.raises(ValidationError, match="Inget har ändrats"):
        services.submit_report(ombud, submitted)
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.COMPLETION_REQUESTED
    services.save_draft(ombud, submitted, {"results": "Fler fick stöd; väntetiden halverades."})
    services.submit_report(ombud, submitted)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.submission_count) == (ReportStatus.SUBMITTED, 2)
    assert [s.answers["results"] for s in submitted.submissions.order_by("number")] == [
        ANSWERS["results"],
        "Fler fick stöd; väntetiden halverades.",
    ]
    # The case page shows what changed between the versions.
    html = (
        client_for(handlaggare)
        .get(reverse("reports:staff_case", args=[submitted.pk]))
        .content.decode()
    )
    assert 'id="changes"' in html
    assert "väntetiden halverades" in html and ANSWERS["results"] in html
    review.approve_report(handlaggare, submitted)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    actions = set(events_for(submitted).values_list("action", flat=True))
    assert {
        AuditAction.REPORT_SUBMITTED,
        AuditAction.REPORT_COMPLETION_REQUESTED,
        AuditAction.REPORT_APPROVED,
    } <= actions
    assert [r.kind for r in submitted.reviews.order_by("pk")] == [
        ReviewKind.COMPLETION,
        ReviewKind.APPROVAL,
    ]
    assert "godkänd" in mailoutbox[-1].subject


def test_rejection_needs_a_reason(submitted, handlaggare, mailoutbox):
    with pytest.raises(ValidationError, match="Skriv skälet"):
        review.reject_report(handlaggare, submitted, "  ")
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    review.reject_report(handlaggare, submitted, "Medlen användes inte för bidragets syfte.")
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.REJECTED
    assert "underkänd" in mailoutbox[-1].subject


@pytest.mark.parametrize(
    ("reason", "due", "message"),
    [
        ("", NEW_DUE, "Skriv skälet"),
        ("Komplettera.", None, "Ange det nya sista datumet"),
        ("Komplettera.", datetime.date(2022, 1, 10), "måste vara efter i dag"),
    ],
)
def test_a_completion_request_needs_a_reason_and_a_later_deadline(
    submitted, handlaggare, reason, due, message
):
    with pytest.raises(ValidationError, match=message):
        review.request_completion(handlaggare, submitted, reason, due)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    assert not submitted.reviews.exists()


def test_after_approval_nothing_more(submitted, paid_round, handlaggare):
    review.approve_report(handlaggare, submitted)
    for step in (
        lambda: review.request_completion(handlaggare, submitted, "Mer.", NEW_DUE),
        lambda: review.reject_report(handlaggare, submitted, "Nej."),
        lambda: review.approve_report(handlaggare, submitted),
    ):
        with pytest.raises(ValidationError):
            step()
    with pytest.raises(ValidationError, match="redan skickats in"):
        services.submit_report(paid_round.users["ombud"], submitted)
    with pytest.raises(ValidationError):
        services.save_draft(paid_round.users["ombud"], submitted, {"results": "Ändrat."})
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.reviews.count() == 1


def test_only_the_handlaggare_reviews(submitted, paid_round):
    for role in ("ombud", "ekonomi"):
        with pytest.raises(PermissionDenied):
            review.approve_report(paid_round.users[role], submitted)
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_the_review_page_asks_before_approving(submitted, handlaggare):
    client = client_for(handlaggare)
    url = reverse("reports:review", args=[submitted.pk])
    page = client.post(url, {"action": "approve"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    assert "Godkänna återrapporten?" in page.content.decode()
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    response = client.post(url, {"action": "approve", "confirmed": "1"})
    assert response.status_code == 302
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED


def test_a_bad_review_is_shown_beside_its_field(submitted, handlaggare):
    response = client_for(handlaggare).post(
        reverse("reports:review", args=[submitted.pk]),
        {"action": "completion", "reason": "Mer.", "new_due_on": "inte ett datum"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
