"""The grantee's follow-up report to the region (issue 20 §4): one report per
decided grant (opened twice, still one), due on the round's report date, on
the current report form; the grantee's members fill in (FILL_IN) and submit
(SUBMIT_CASE) with a receipt e-mailed; the region's administrator reviews
(completion ⇄ resubmission → approved | rejected), each step audited and
e-mailed. Bad input changes nothing; another region's staff get 403."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fordela.access.models import OrganisationRole
from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.core.formatting import kronor
from fordela.regional.models import SubGrantOutcome, SubGrantReport
from fordela.regional.services import reports
from fordela.reports.models import ReportForm, ReportStatus
from tests.mail_sink import smtp_sink  # noqa: F401 - fixture
from tests.reports.conftest import restore_report_form

from .after_fixtures import ANSWERS, decided_grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish_and_clock(settings):
    settings.FORDELA_TODAY = "2023-01-10T10:00"
    restore_report_form()
    with translation.override("sv"):
        yield


@pytest.fixture
def round_(make_round):
    return make_round(status="finished")


@pytest.fixture
def decision(round_, actor, regional_admin, regional_decider):
    return decided_grant(
        round_, actor, proposer=regional_admin, decider=regional_decider, amount_sek=200_000
    )


@pytest.fixture
def report(decision, round_, regional_admin):
    reports.open_reports(regional_admin, round_)
    return SubGrantReport.objects.get(decision=decision)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filled(report, user, used=150_000):
    return reports.save_draft(user, report, {**ANSWERS, "used_sek": str(used)})


# ------------------------------------------------------------------ opening


def test_every_decided_grant_gets_one_report_due_on_the_rounds_date(
    round_, actor, region, regional_admin, regional_decider, mailoutbox
):
    granted = decided_grant(round_, actor, proposer=regional_admin, decider=regional_decider)
    own = decided_grant(
        round_, region, proposer=regional_admin, decider=regional_decider, own_unit=True
    )
    decided_grant(
        round_,
        actor,
        proposer=regional_admin,
        decider=regional_decider,
        outcome=SubGrantOutcome.REJECTED,
    )
    decided_grant(round_, actor, proposer=regional_admin, decider=regional_decider, decided=False)

    opened = reports.open_reports(regional_admin, round_)

    assert (opened.created, opened.existing) == (2, 0)
    rows = SubGrantReport.objects.order_by("pk")
    assert [r.decision_id for r in rows] == [granted.pk, own.pk]
    form = ReportForm.objects.filter(status="published").order_by("-version").first()
    for row in rows:
        assert row.due_on == datetime.date(2023, 1, 15)
        assert row.form == form
        assert row.granted_sek == row.decision.amount_sek
        assert row.status == ReportStatus.OPEN
        assert events_for(row).filter(action=AuditAction.SUBGRANT_REPORT_OPENED).count() == 1
    assert len(mailoutbox) == 2
    assert "rapport/" in mailoutbox[0].body and "15 januari 2023" in mailoutbox[0].body


def test_opening_twice_makes_no_second_report(report, round_, regional_admin, mailoutbox):
    mailoutbox.clear()
    again = reports.open_reports(regional_admin, round_)
    assert (again.created, again.existing) == (0, 1)
    assert SubGrantReport.objects.count() == 1
    assert not mailoutbox


def test_another_regions_administrator_cannot_open_the_reports(
    round_, decision, other_region, make_user
):
    from fordela.access.models import RegionalRole
    from tests.access.conftest import regional

    other = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    with pytest.raises(PermissionDenied):
        reports.open_reports(other, round_)
    assert not SubGrantReport.objects.exists()


# ------------------------------------------------------------------ filling in


def test_the_grantee_fills_in_and_unused_is_the_servers(report, actor_ombud):
    saved = filled(report, actor_ombud, used=150_000)
    assert not saved.problems
    report.refresh_from_db()
    assert report.used_sek == 150_000 and report.unused_sek == 50_000
    assert report.answers["results"] == "Fler utsatta fick stöd."


def test_used_above_granted_is_refused_beside_the_field(report, actor_ombud):
    saved = reports.save_draft(actor_ombud, report, {"used_sek": "200 001"})
    assert kronor(200_000) in saved.problems["used_sek"][0]
    report.refresh_from_db()
    assert report.used_sek is None


@pytest.mark.parametrize("value", ["-1", "1,5", "12e3", "99999999999999"])
def test_a_used_amount_that_is_not_whole_kronor_is_refused(report, actor_ombud, value):
    saved = reports.save_draft(actor_ombud, report, {"used_sek": value})
    assert saved.problems["used_sek"]
    report.refresh_from_db()
    assert report.used_sek is None


def test_an_answer_over_its_limit_is_refused_and_the_rest_saved(report, actor_ombud):
    saved = reports.save_draft(actor_ombud, report, {"results": "x" * 4001, "lessons": "Mycket."})
    assert "4000" in saved.problems["results"][0]
    report.refresh_from_db()
    assert "results" not in report.answers and report.answers["lessons"] == "Mycket."


def test_someone_outside_the_grantee_cannot_fill_in(report, region_ombud, regional_admin):
    for user in (region_ombud, regional_admin):
        with pytest.raises(PermissionDenied):
            reports.save_draft(user, report, {"results": "Inte min."})


def test_for_an_own_unit_the_regions_members_report(
    round_, region, region_ombud, regional_admin, regional_decider
):
    decision = decided_grant(
        round_, region, proposer=regional_admin, decider=regional_decider, own_unit=True
    )
    reports.open_reports(regional_admin, round_)
    report = SubGrantReport.objects.get(decision=decision)
    filled(report, region_ombud, used=100_000)
    reports.submit(region_ombud, report)
    assert SubGrantReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# ------------------------------------------------------------------ submitting


def test_submission_needs_everything_and_nothing_changes_otherwise(report, actor_ombud):
    reports.save_draft(actor_ombud, report, {"results": "Bra."})
    with pytest.raises(ValidationError) as error:
        reports.submit(actor_ombud, report)
    assert set(error.value.message_dict) >= {"lessons", "activities", "used_sek"}
    assert SubGrantReport.objects.get(pk=report.pk).status == ReportStatus.OPEN


def test_an_uppgiftssamordnare_fills_in_but_cannot_submit(report, actor, member):
    samordnare = member(actor, OrganisationRole.UPPGIFTSSAMORDNARE, "samordnare-boras")
    filled(report, samordnare)
    with pytest.raises(PermissionDenied):
        reports.submit(samordnare, report)
    assert SubGrantReport.objects.get(pk=report.pk).status == ReportStatus.OPEN


def test_submission_stores_unused_audits_and_mails_the_receipt(
    report,
    actor_ombud,
    smtp_sink,  # noqa: F811 settings
):
    filled(report, actor_ombud, used=150_000)
    reports.submit(actor_ombud, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.unused_sek == 50_000 and report.submitted_by == actor_ombud
    assert events_for(report).filter(action=AuditAction.SUBGRANT_REPORT_SUBMITTED).exists()
    receipts = [m for m in smtp_sink.parsed() if m["Subject"].startswith("Kvittens")]
    (receipt,) = receipts
    assert sorted(receipt["To"].addresses[i].addr_spec for i in range(2)) == [
        "kontakt@example.se",
        "ombud-boras@example.se",
    ]
    body = receipt.get_content()
    assert "Västra Götalandsregionen" in body and kronor(150_000) in body and kronor(50_000) in body
    with pytest.raises(ValidationError, match="redan skickats in"):
        reports.submit(actor_ombud, report)


# ------------------------------------------------------------------ review


@pytest.fixture
def submitted(report, actor_ombud, mailoutbox):
    filled(report, actor_ombud)
    reports.submit(actor_ombud, report)
    mailoutbox.clear()
    return SubGrantReport.objects.get(pk=report.pk)


def test_completion_resubmission_and_approval(submitted, actor_ombud, regional_admin, mailoutbox):
    new_due = datetime.date(2023, 2, 15)
    reports.request_completion(regional_admin, submitted, "Beskriv resultaten.", new_due)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.COMPLETION_REQUESTED
    assert submitted.due_on == new_due and submitted.review_note == "Beskriv resultaten."
    (mail,) = mailoutbox
    assert "komplettering" in mail.subject and "15 februari 2023" in mail.body
    page = client_for(actor_ombud).get(reverse("regional:grantee_report", args=[submitted.pk]))
    assert "Beskriv resultaten." in page.content.decode()

    reports.save_draft(actor_ombud, submitted, {"results": "Fler fick stöd, 40 personer."})
    reports.submit(actor_ombud, submitted)
    reports.approve(regional_admin, submitted, "Tack.")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.reviewed_by == regional_admin
    actions = list(events_for(submitted).values_list("action", flat=True))
    for action in (
        AuditAction.SUBGRANT_REPORT_COMPLETION_REQUESTED,
        AuditAction.SUBGRANT_REPORT_APPROVED,
    ):
        assert action in actions
    assert "godkänt" in mailoutbox[-1].body and "fakturera" in mailoutbox[-1].body


def test_rejection_needs_a_reason(submitted, regional_admin):
    with pytest.raises(ValidationError):
        reports.reject(regional_admin, submitted, "  ")
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    reports.reject(regional_admin, submitted, "Pengarna användes till annat.")
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.REJECTED


@pytest.mark.parametrize(
    "due", [None, datetime.date(2023, 1, 10), datetime.date(2030, 1, 1)], ids=str
)
def test_a_completion_without_a_sensible_deadline_is_refused(submitted, regional_admin, due):
    with pytest.raises(ValidationError) as error:
        reports.request_completion(regional_admin, submitted, "Komplettera.", due)
    assert "new_due_on" in error.value.message_dict
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_an_open_report_cannot_be_approved(report, regional_admin):
    with pytest.raises(ValidationError, match="Bara en inskickad"):
        reports.approve(regional_admin, report)


def test_the_decision_maker_and_other_regions_cannot_review(
    submitted, regional_decider, other_region, make_user
):
    from fordela.access.models import RegionalRole
    from tests.access.conftest import regional

    other = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    for user in (regional_decider, other):
        with pytest.raises(PermissionDenied):
            reports.approve(user, submitted)
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


# ------------------------------------------------------------------ pages


def test_the_form_check_and_receipt_pages(report, actor_ombud):
    client = client_for(actor_ombud)
    url = reverse("regional:grantee_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert kronor(200_000) in page and "15 januari 2023" in page
    response = client.post(url, {**ANSWERS, "used_sek": "250 000", "action": "check"})
    assert response.status_code == 400
    assert kronor(200_000) in response.content.decode()
    response = client.post(url, {**ANSWERS, "used_sek": "150 000", "action": "check"})
    assert response.status_code == 302
    check = reverse("regional:grantee_report_check", args=[report.pk])
    assert response["Location"] == check
    asked = client.post(check)
    assert "Skicka in återrapporten?" in asked.content.decode()
    done = client.post(check, {"confirmed": "1"})
    assert done["Location"] == reverse("regional:grantee_report_receipt", args=[report.pk])
    receipt = client.get(done["Location"]).content.decode()
    assert "Er återrapport har skickats in." in receipt and kronor(50_000) in receipt


def test_the_form_autosaves_what_keeps_its_rules(report, actor_ombud):
    client = client_for(actor_ombud)
    url = reverse("regional:grantee_report_autosave", args=[report.pk])
    response = client.post(url, {**ANSWERS, "used_sek": "120 000"})
    assert response.status_code == 200 and response.json()["saved"] is True
    report.refresh_from_db()
    assert (report.used_sek, report.unused_sek) == (120_000, 80_000)
    assert report.answers["results"] == ANSWERS["results"]
    # Too much used: that field is named beside it, the rest is saved.
    response = client.post(url, {**ANSWERS, "results": "Nya resultat.", "used_sek": "250 000"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False and list(answer["fields"]) == ["used_sek"]
    report.refresh_from_db()
    assert report.answers["results"] == "Nya resultat." and report.used_sek == 120_000
    page = client.get(reverse("regional:grantee_report", args=[report.pk])).content.decode()
    assert f'data-autosave-url="{url}"' in page


def test_a_submitted_report_is_not_autosaved(submitted, actor_ombud):
    url = reverse("regional:grantee_report_autosave", args=[submitted.pk])
    response = client_for(actor_ombud).post(url, {**ANSWERS, "results": "Ändrat i efterhand."})
    assert response.status_code == 400 and response.json()["saved"] is False
    submitted.refresh_from_db()
    assert submitted.answers["results"] == ANSWERS["results"]


def test_another_organisations_member_gets_403(report, region_ombud):
    client = client_for(region_ombud)
    for name in ("grantee_report", "grantee_report_check", "grantee_report_receipt"):
        assert client.get(reverse(f"regional:{name}", args=[report.pk])).status_code == 403
    autosave = reverse("regional:grantee_report_autosave", args=[report.pk])
    assert client.post(autosave, {**ANSWERS}).status_code == 403
    assert SubGrantReport.objects.get(pk=report.pk).answers == {}


def test_another_regions_administrator_gets_403_on_the_review_page(
    submitted, other_region, make_user
):
    from fordela.access.models import RegionalRole
    from tests.access.conftest import regional

    other = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    client = client_for(other)
    assert client.get(reverse("regional:report_review", args=[submitted.pk])).status_code == 403
    response = client.post(
        reverse("regional:report_review_send", args=[submitted.pk]),
        {"action": "approve", "confirmed": "1"},
    )
    assert response.status_code == 403
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_the_review_page_approves_after_a_confirmation(submitted, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:report_review_send", args=[submitted.pk])
    asked = client.post(url, {"action": "approve"})
    assert asked.status_code == 200 and "Godkänna återrapporten?" in asked.content.decode()
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    done = client.post(url, {"action": "approve", "confirmed": "1"})
    assert done.status_code == 302
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED


def test_a_completion_without_a_reason_is_a_field_error_on_the_page(submitted, regional_admin):
    response = client_for(regional_admin).post(
        reverse("regional:report_review_send", args=[submitted.pk]),
        {"action": "completion", "reason": "", "new_due_on": "2023-02-01"},
    )
    assert response.status_code == 400
    assert 'id="id_reason-error"' in response.content.decode() or "govuk-error-message" in (
        response.content.decode()
    )
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_the_round_list_opens_the_reports(round_, decision, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:round_reports", args=[round_.pk])
    assert "har ingen återrapport" in client.get(url).content.decode()
    client.post(reverse("regional:open_round_reports", args=[round_.pk]))
    page = client.get(url).content.decode()
    assert decision.application.case_number in page
    assert SubGrantReport.objects.count() == 1
