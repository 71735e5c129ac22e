"""The handläggare acts on a submitted requisition: returns it for correction
(*återsänder för komplettering*), rejects it (*avslår*) or adds a note; the
organisation is told by e-mail, sees the message and can correct and submit
again until the pool's last day. The pool's ledger balances throughout."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fordela.access.models import StaffRole
from fordela.audit.services import events_for
from fordela.core.models import SentMessage
from fordela.payments import services as payments
from fordela.payments.models import Payable, PayableStatus
from fordela.requisitions import officer, services
from fordela.requisitions.ledger import pool_ledger
from fordela.requisitions.models import MessageKind, Requisition, RequisitionStatus

from .conftest import filled, staff

ACTIONS = {
    "return": officer.return_requisition,
    "reject": officer.reject_requisition,
    "note": officer.add_note,
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


@pytest.fixture
def submitted(round_, draft):
    return services.submit_requisition(round_.users["ombud"], draft, filled())


@pytest.fixture
def handlaggare(round_):
    return round_.users["handlaggare"]


def live_payables(requisition):
    return Payable.objects.filter(requisition=requisition).exclude(status=PayableStatus.CANCELLED)


# ------------------------------------------------------------------ return


def test_handlaggare_returns_a_submitted_requisition_for_correction(submitted, handlaggare):
    returned = officer.return_requisition(handlaggare, submitted, "Bifoga rätt bankgiro.")
    assert returned.status == RequisitionStatus.RETURNED
    assert returned.case_number == submitted.case_number
    assert Payable.objects.get(requisition=submitted).status == PayableStatus.CANCELLED
    [message] = returned.officer_messages.all()
    assert (message.kind, message.text, message.created_by) == (
        MessageKind.RETURN,
        "Bifoga rätt bankgiro.",
        handlaggare,
    )
    actions = set(events_for(returned).values_list("action", flat=True))
    assert "requisition.returned" in actions


def test_returning_audits_the_cancelled_payable(submitted, handlaggare):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    payable = Payable.objects.get(requisition=submitted)
    assert events_for(payable).filter(action="payable.cancelled").exists()


def test_the_return_is_emailed_to_the_organisation_once(
    round_, submitted, handlaggare, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()  # the receipt
    with django_capture_on_commit_callbacks(execute=True):
        officer.return_requisition(handlaggare, submitted, "Bifoga rätt bankgiro.")
    [mail] = mailoutbox
    assert submitted.case_number in mail.subject
    assert "Bifoga rätt bankgiro." in mail.body
    assert "anna@example.se" in mail.to
    assert SentMessage.objects.filter(key__startswith="task:").count() == 1


def test_the_ledger_balances_after_return_and_resubmission(round_, submitted, handlaggare):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    assert pool_ledger(round_.pool).problems == []
    assert pool_ledger(round_.pool).requisitioned_sek == 0
    corrected = services.submit_requisition(
        round_.users["ombud"], submitted.pk, filled(amount_sek=1000)
    )
    ledger = pool_ledger(round_.pool)
    assert ledger.problems == []
    assert ledger.requisitioned_sek == ledger.payable_sek == 1000
    assert corrected.case_number == submitted.case_number
    assert corrected.submission_count == 2
    [payable] = live_payables(corrected)
    assert payable.reference == f"requisition:{corrected.pk}:2"
    assert payable.amount_sek == 1000


def test_the_resubmission_gets_its_own_receipt(
    round_, submitted, handlaggare, mailoutbox, django_capture_on_commit_callbacks
):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    mailoutbox.clear()
    services.submit_requisition(round_.users["ombud"], submitted.pk, filled())
    [receipt] = mailoutbox
    assert submitted.case_number in receipt.subject
    assert SentMessage.objects.filter(key=f"requisition-receipt:{submitted.pk}:2").exists()


def test_a_returned_requisition_can_be_saved_as_a_draft_by_the_uppgiftssamordnare(
    round_, submitted, handlaggare
):
    officer.return_requisition(handlaggare, submitted, "Fel kontaktperson.")
    services.save_draft(round_.users["uppgiftssamordnare"], submitted, {"contact_name": "Bo"})
    assert Requisition.objects.get().contact_name == "Bo"


def test_a_returned_requisition_cannot_be_resubmitted_after_the_last_day(
    round_, submitted, handlaggare, clock_at
):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    clock_at("2021-10-02T08:00")
    with pytest.raises(ValidationError, match="last day"):
        services.submit_requisition(round_.users["ombud"], submitted.pk, filled())
    assert Requisition.objects.get().status == RequisitionStatus.RETURNED
    assert not live_payables(submitted).exists()


def test_a_requisition_cannot_be_returned_after_the_last_day(submitted, handlaggare, clock_at):
    clock_at("2021-10-02T08:00")
    with pytest.raises(ValidationError, match="could not be submitted again"):
        officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED
    assert live_payables(submitted).get().status == PayableStatus.OPEN


# ------------------------------------------------------------------ reject


def test_handlaggare_rejects_a_submitted_requisition_with_a_reason(
    round_, submitted, handlaggare, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rejected = officer.reject_requisition(handlaggare, submitted, "Inte behörig mottagare.")
    assert rejected.status == RequisitionStatus.REJECTED
    assert not live_payables(rejected).exists()
    assert rejected.officer_messages.get().kind == MessageKind.REJECTION
    assert events_for(rejected).filter(action="requisition.rejected").exists()
    [mail] = mailoutbox
    assert "Inte behörig mottagare." in mail.body
    assert pool_ledger(round_.pool).problems == []


def test_a_returned_requisition_can_be_rejected(round_, submitted, handlaggare, clock_at):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    clock_at("2021-10-02T08:00")
    officer.reject_requisition(handlaggare, submitted, "Ingen rättelse kom in.")
    assert Requisition.objects.get().status == RequisitionStatus.REJECTED
    assert pool_ledger(round_.pool).problems == []


def test_a_rejected_requisition_cannot_be_resubmitted(round_, submitted, handlaggare):
    officer.reject_requisition(handlaggare, submitted, "Inte behörig.")
    with pytest.raises(ValidationError):
        services.submit_requisition(round_.users["ombud"], submitted.pk, filled())


def test_rejecting_after_the_redistribution_is_refused(round_, submitted, handlaggare, clock_at):
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(handlaggare, round_.pool)
    with pytest.raises(ValidationError, match="redistribution"):
        officer.reject_requisition(handlaggare, submitted, "Inte behörig.")
    assert pool_ledger(round_.pool).problems == []


def test_a_returned_requisition_can_be_rejected_after_the_redistribution(
    round_, submitted, handlaggare, clock_at
):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(handlaggare, round_.pool)
    officer.reject_requisition(handlaggare, submitted, "Ingen rättelse kom in.")
    assert pool_ledger(round_.pool).problems == []


# -------------------------------------------------------------------- note


def test_handlaggare_adds_a_note_without_changing_the_status(
    submitted, handlaggare, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note = officer.add_note(handlaggare, submitted, "Utbetalning sker i oktober.")
    assert note.kind == MessageKind.NOTE
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED
    assert live_payables(submitted).get().status == PayableStatus.OPEN
    assert events_for(submitted).filter(action="requisition.note_added").exists()
    [mail] = mailoutbox
    assert "Utbetalning sker i oktober." in mail.body
    # Named and signed by the agency from its settings, as every case e-mail is.
    assert f"{settings.FORDELA_AGENCY_NAME} har lagt till en anteckning" in mail.body
    assert mail.body.rstrip().endswith(settings.FORDELA_AGENCY_EMAIL)


def test_a_note_cannot_be_added_to_a_draft(draft, handlaggare):
    with pytest.raises(ValidationError, match="submitted"):
        officer.add_note(handlaggare, draft, "Hej.")


# -------------------------------------------------------------- refusals


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["ombud", "representant", "uppgiftssamordnare", "ekonomi"])
def test_only_the_handlaggare_may_act_on_a_requisition(round_, submitted, action, role):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](round_.users[role], submitted, "Meddelande.")
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED
    assert not submitted.officer_messages.exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_beslutsfattare_may_not_act_on_a_requisition(round_, submitted, action):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](staff(StaffRole.BESLUTSFATTARE, "beslut"), submitted, "Meddelande.")


@pytest.mark.parametrize("action", ["return", "reject"])
def test_a_draft_cannot_be_returned_or_rejected(draft, handlaggare, action):
    with pytest.raises(ValidationError, match="Only a submitted requisition"):
        ACTIONS[action](handlaggare, draft, "Meddelande.")


@pytest.mark.parametrize("action", ["return", "reject"])
def test_a_rejected_requisition_cannot_be_returned_or_rejected_again(
    submitted, handlaggare, action
):
    officer.reject_requisition(handlaggare, submitted, "Inte behörig.")
    with pytest.raises(ValidationError, match="Only a submitted requisition"):
        ACTIONS[action](handlaggare, submitted, "Meddelande.")


def test_returning_twice_is_refused(submitted, handlaggare):
    officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    with pytest.raises(ValidationError, match="Only a submitted requisition"):
        officer.return_requisition(handlaggare, submitted, "Fel belopp igen.")


@pytest.mark.parametrize("action", ACTIONS)
def test_an_empty_message_is_refused(submitted, handlaggare, action):
    with pytest.raises(ValidationError, match="Write the message"):
        ACTIONS[action](handlaggare, submitted, "   ")


@pytest.mark.parametrize("action", ["return", "reject"])
def test_a_batched_requisition_cannot_be_returned_or_rejected(
    round_, submitted, handlaggare, action
):
    payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 10))
    with pytest.raises(ValidationError, match="payment batch"):
        ACTIONS[action](handlaggare, submitted, "Fel belopp.")
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED
    assert Payable.objects.get().status == PayableStatus.BATCHED
    assert not submitted.officer_messages.exists()
    assert pool_ledger(round_.pool).problems == []


def test_a_paid_requisition_cannot_be_returned(round_, submitted, handlaggare, clock_at):
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 9, 20)).batch
    payments.approve_batch(round_.users["ekonomi2"], batch)
    clock_at("2021-09-20T15:00")
    payments.confirm_batch_paid(round_.users["ekonomi"], batch)
    with pytest.raises(ValidationError, match="Only a submitted requisition"):
        officer.return_requisition(handlaggare, submitted, "Fel belopp.")
    assert Payable.objects.get().status == PayableStatus.PAID
    assert pool_ledger(round_.pool).problems == []


# ------------------------------------------------------------------- pages


def test_handlaggare_returns_from_the_case_page(round_, submitted, handlaggare):
    client = client_for(handlaggare)
    case_url = reverse("requisitions:case", args=[submitted.pk])
    assert 'id="case-action-form"' in client.get(case_url).content.decode()
    response = client.post(
        reverse("requisitions:case_action", args=[submitted.pk]),
        {"action": "return", "message": "Bifoga rätt bankgiro."},
    )
    assert response.status_code == 302
    assert response.url == case_url
    assert Requisition.objects.get().status == RequisitionStatus.RETURNED
    assert "Bifoga rätt bankgiro." in client.get(case_url).content.decode()


def test_the_case_page_shows_a_refusal_beside_the_form(round_, submitted, handlaggare):
    payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 10))
    response = client_for(handlaggare).post(
        reverse("requisitions:case_action", args=[submitted.pk]),
        {"action": "reject", "message": "Inte behörig.", "confirmed": "1"},
    )
    assert response.status_code == 400
    # Swedish, as the handläggare sees it: the payment is in a batch.
    assert "utbetalningsomgången" in response.content.decode()


def test_ekonomi_sees_the_case_without_the_action_form(round_, submitted):
    client = client_for(round_.users["ekonomi"])
    page = client.get(reverse("requisitions:case", args=[submitted.pk])).content.decode()
    assert 'id="case-action-form"' not in page
    response = client.post(
        reverse("requisitions:case_action", args=[submitted.pk]),
        {"action": "note", "message": "Hej."},
    )
    assert response.status_code == 403


def test_ombud_sees_the_message_corrects_and_resubmits(round_, submitted, handlaggare):
    officer.return_requisition(handlaggare, submitted, "Beloppet ska vara 1 000 kr.")
    client = client_for(round_.users["ombud"])
    receipt = client.get(reverse("requisitions:receipt", args=[submitted.pk]))
    assert receipt.url == reverse("requisitions:edit", args=[submitted.pk])
    page = client.get(receipt.url).content.decode()
    assert "Beloppet ska vara 1 000 kr." in page
    assert submitted.case_number in page
    data = {**filled(), "amount_sek": "1 000", "conditions_confirmed": "on", "action": "submit"}
    confirm = client.post(receipt.url, data)
    assert confirm.status_code == 200
    assert "Skicka in rekvisitionen igen?" in confirm.content.decode()
    assert submitted.case_number in confirm.content.decode()
    response = client.post(receipt.url, {**data, "confirmed": "1"})
    assert response.url == reverse("requisitions:receipt", args=[submitted.pk])
    requisition = Requisition.objects.get()
    assert (requisition.status, requisition.amount_sek) == (RequisitionStatus.SUBMITTED, 1000)
    assert requisition.case_number == submitted.case_number
    assert pool_ledger(round_.pool).problems == []


def test_ombud_sees_the_reason_of_a_rejection(round_, submitted, handlaggare):
    officer.reject_requisition(handlaggare, submitted, "Inte behörig mottagare.")
    response = client_for(round_.users["ombud"]).get(
        reverse("requisitions:receipt", args=[submitted.pk])
    )
    assert response.status_code == 200
    assert "Inte behörig mottagare." in response.content.decode()
