"""Recovery decisions (issue 18 §1): the candidates a report makes, the
handläggare's proposal, the beslutsfattare's decision or return (four eyes),
an invoice for a claim and none for a waiver, every step audited; bad input
changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.recovery.models import (
    Invoice,
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoveryStatus,
)
from fordela.recovery.services import decisions
from fordela.reports.models import ReportReminder

from .conftest import APPROVED_USED_SEK, decided_claim, propose_claim


def test_the_three_origins_are_candidates_with_their_suggestion(recovery_world):
    w = recovery_world
    found = {r.pk: r for r in decisions.recovery_candidates()}
    assert set(found) == {w.approved.pk, w.rejected.pk, w.missing.pk}
    approved, rejected, missing = found[w.approved.pk], found[w.rejected.pk], found[w.missing.pk]
    assert (approved.recovery_origin, approved.recovery_ground, approved.suggested_sek) == (
        RecoveryOrigin.APPROVED_REPORT,
        RecoveryGround.UNUSED,
        w.approved.received_sek - APPROVED_USED_SEK,
    )
    assert approved.suggested_sek == w.approved.unused_sek > 0
    assert (rejected.recovery_origin, rejected.recovery_ground, rejected.suggested_sek) == (
        RecoveryOrigin.REJECTED_REPORT,
        RecoveryGround.NOT_FOR_PURPOSE,
        w.rejected.received_sek,
    )
    assert (missing.recovery_origin, missing.recovery_ground, missing.suggested_sek) == (
        RecoveryOrigin.MISSING_REPORT,
        RecoveryGround.NO_REPORT,
        w.missing.received_sek,
    )


def test_a_report_is_no_candidate_before_both_the_overdue_event_and_the_late_reminder(
    recovery_world,
):
    w = recovery_world
    ReportReminder.objects.filter(report=w.missing).delete()
    assert w.missing.pk not in {r.pk for r in decisions.recovery_candidates()}
    assert decisions.candidate_for(w.missing) is None


def test_a_report_with_a_decision_is_no_longer_a_candidate(recovery_world):
    w = recovery_world
    propose_claim(w)
    assert w.approved.pk not in {r.pk for r in decisions.recovery_candidates()}


def test_the_candidates_are_one_query(recovery_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(decisions.recovery_candidates())
    with django_assert_num_queries(0):
        assert all(r.organisation.name and r.pool.programme_year.year for r in rows)


def test_propose_then_decide_a_claim_issues_one_invoice(
    recovery_world, mailoutbox, django_capture_on_commit_callbacks
):
    w = recovery_world
    proposal = propose_claim(w)
    assert proposal.status == RecoveryStatus.PROPOSED
    assert (proposal.origin, proposal.ground, proposal.outcome) == (
        RecoveryOrigin.APPROVED_REPORT,
        RecoveryGround.UNUSED,
        RecoveryOutcome.CLAIM,
    )
    assert proposal.amount_sek == w.approved.unused_sek
    assert proposal.paid_sek == w.approved.received_sek
    assert (proposal.case_number, proposal.year) == (w.approved.case_number, 2021)
    assert not Invoice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        decided = decisions.decide_recovery(w.beslutsfattare, proposal)
    assert decided.status == RecoveryStatus.DECIDED
    assert decided.decided_by == w.beslutsfattare
    invoice = Invoice.objects.get()
    assert (invoice.decision, invoice.amount_sek) == (decided, proposal.amount_sek)
    actions = list(events_for(decided).values_list("action", flat=True))
    assert {
        AuditAction.RECOVERY_PROPOSED,
        AuditAction.RECOVERY_DECIDED,
        AuditAction.RECOVERY_LETTER_SENT,
    } <= set(actions)
    (letter,) = [m for m in mailoutbox if m.subject.startswith("Beslut om återkrav")]
    assert letter.attachments[0][0] == f"beslut-aterkrav-{decided.case_number}.pdf"


def test_a_waiver_issues_no_invoice(recovery_world):
    w = recovery_world
    proposal = propose_claim(
        w, w.rejected, outcome=RecoveryOutcome.WAIVE, motivation="Beloppet är för litet."
    )
    decided = decisions.decide_recovery(w.beslutsfattare, proposal)
    assert decided.status == RecoveryStatus.DECIDED and not decided.is_claim
    assert not Invoice.objects.exists()
    assert events_for(decided).filter(action=AuditAction.RECOVERY_WAIVED).exists()
    assert not events_for(decided).filter(action=AuditAction.RECOVERY_DECIDED).exists()


def test_the_missing_report_claims_the_whole_amount_paid(recovery_world):
    w = recovery_world
    proposal = propose_claim(w, w.missing, motivation="Ingen återrapport trots påminnelse.")
    assert proposal.origin == RecoveryOrigin.MISSING_REPORT
    assert proposal.ground == RecoveryGround.NO_REPORT
    assert proposal.amount_sek == proposal.paid_sek == w.missing.received_sek


def test_a_rejected_report_takes_the_amount_the_handlaggare_enters(recovery_world):
    w = recovery_world
    proposal = propose_claim(w, w.rejected, amount_sek="50 000")
    assert proposal.amount_sek == 50_000


def test_the_proposer_cannot_decide(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    # A handläggare who is also a beslutsfattare proposed it.
    from fordela.access.models import StaffAssignment, StaffRole

    StaffAssignment.objects.create(user=w.handlaggare, role=StaffRole.BESLUTSFATTARE)
    with pytest.raises(ValidationError, match="someone other than the person who proposed"):
        decisions.decide_recovery(w.handlaggare, proposal)
    proposal.refresh_from_db()
    assert proposal.status == RecoveryStatus.PROPOSED and not Invoice.objects.exists()


def test_deciding_twice_is_refused(recovery_world):
    w = recovery_world
    decided = decided_claim(w)
    with pytest.raises(ValidationError, match="already been decided"):
        decisions.decide_recovery(w.users["beslutsfattare2"], decided)
    assert Invoice.objects.count() == 1
    assert events_for(decided).filter(action=AuditAction.RECOVERY_DECIDED).count() == 1


def test_a_returned_proposal_is_proposed_again_with_new_values(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    returned = decisions.return_recovery_proposal(
        w.beslutsfattare, proposal, "Motivera beloppet närmare."
    )
    assert (returned.status, returned.returned_reason) == (
        RecoveryStatus.RETURNED,
        "Motivera beloppet närmare.",
    )
    with pytest.raises(ValidationError, match="Only a proposal can be decided"):
        decisions.decide_recovery(w.beslutsfattare, returned)
    again = propose_claim(w, amount_sek=1000, motivation="Endast 1 000 kr var oanvänt.")
    assert again.pk == proposal.pk
    assert (again.status, again.amount_sek) == (RecoveryStatus.PROPOSED, 1000)
    assert RecoveryDecision.objects.count() == 1
    assert events_for(again).filter(action=AuditAction.RECOVERY_PROPOSED).count() == 2
    assert events_for(again).filter(action=AuditAction.RECOVERY_RETURNED).count() == 1


def test_sending_back_needs_a_reason_and_a_proposal(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    for reason, message in (("  ", "Say why"), ("x" * 4001, "at most 4000")):
        with pytest.raises(ValidationError, match=message):
            decisions.return_recovery_proposal(w.beslutsfattare, proposal, reason)
    assert RecoveryDecision.objects.get().status == RecoveryStatus.PROPOSED
    decided = decisions.decide_recovery(w.beslutsfattare, proposal)
    with pytest.raises(ValidationError, match="Only a proposal can be sent back"):
        decisions.return_recovery_proposal(w.beslutsfattare, decided, "För sent.")


def test_proposing_twice_is_refused(recovery_world):
    w = recovery_world
    propose_claim(w)
    with pytest.raises(ValidationError, match="already has a recovery decision"):
        propose_claim(w, amount_sek=1)
    assert RecoveryDecision.objects.get().amount_sek == w.approved.unused_sek


def test_a_report_that_is_no_candidate_gets_no_proposal(recovery_world):
    w = recovery_world
    open_report = w.missing
    ReportReminder.objects.filter(report=open_report).delete()
    with pytest.raises(ValidationError, match="needs no recovery decision"):
        propose_claim(w, open_report, ground=RecoveryGround.NO_REPORT, amount_sek=1000)
    assert not RecoveryDecision.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("PAID+1", "cannot be more than"),
        (0, "at least 1 kr"),
        ("0", "at least 1 kr"),
        (-5, "cannot be negative"),
        ("-5", "digits only"),
        ("tusen", "digits only"),
        ("1,5", "digits only"),
        ("99999999999999999999999999", "Enter at most"),
        (None, "Enter the amount"),
        ("", "Enter the amount"),
    ],
)
def test_a_bad_amount_is_refused_and_changes_nothing(recovery_world, amount, message):
    w = recovery_world
    if amount == "PAID+1":
        amount = w.approved.received_sek + 1
    with pytest.raises(ValidationError, match=message) as caught:
        propose_claim(w, amount_sek=amount)
    assert "amount_sek" in caught.value.message_dict
    assert not RecoveryDecision.objects.exists()


def test_a_claim_of_all_that_was_paid_is_allowed(recovery_world):
    w = recovery_world
    proposal = propose_claim(w, amount_sek=w.approved.received_sek)
    assert proposal.amount_sek == proposal.paid_sek


def test_a_waiver_may_name_zero(recovery_world):
    w = recovery_world
    proposal = propose_claim(w, outcome=RecoveryOutcome.WAIVE, amount_sek=0)
    assert proposal.amount_sek == 0


@pytest.mark.parametrize(
    ("motivation", "message"),
    [("", "Write the motivation"), ("   \n ", "Write the motivation"), ("x" * 4001, "at most")],
)
def test_the_motivation_is_required_and_limited(recovery_world, motivation, message):
    w = recovery_world
    with pytest.raises(ValidationError, match=message):
        propose_claim(w, motivation=motivation)
    assert not RecoveryDecision.objects.exists()


def test_a_motivation_of_4000_characters_is_kept(recovery_world):
    proposal = propose_claim(recovery_world, motivation="å" * 4000)
    assert len(proposal.motivation) == 4000


@pytest.mark.parametrize(
    ("field", "value"), [("outcome", "maybe"), ("ground", "because"), ("outcome", "")]
)
def test_an_unknown_outcome_or_ground_is_refused(recovery_world, field, value):
    with pytest.raises(ValidationError) as caught:
        propose_claim(recovery_world, **{field: value})
    assert field in caught.value.message_dict
    assert not RecoveryDecision.objects.exists()


@pytest.mark.parametrize("role", ["ombud", "ekonomi", "beslutsfattare"])
def test_only_the_handlaggare_proposes(recovery_world, role):
    w = recovery_world
    with pytest.raises(PermissionDenied):
        decisions.propose_recovery(
            w.users[role],
            w.approved,
            outcome="claim",
            ground="unused",
            amount_sek=1,
            motivation="Nej.",
        )
    assert not RecoveryDecision.objects.exists()


@pytest.mark.parametrize("role", ["ombud", "ekonomi", "handlaggare"])
def test_only_a_beslutsfattare_decides_or_sends_back(recovery_world, role):
    w = recovery_world
    proposal = propose_claim(w)
    with pytest.raises(PermissionDenied):
        decisions.decide_recovery(w.users[role], proposal)
    with pytest.raises(PermissionDenied):
        decisions.return_recovery_proposal(w.users[role], proposal, "Nej.")
    assert RecoveryDecision.objects.get().status == RecoveryStatus.PROPOSED


def test_the_database_refuses_a_claim_above_what_was_paid(recovery_world):
    from django.db import IntegrityError, transaction

    proposal = propose_claim(recovery_world)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryDecision.objects.filter(pk=proposal.pk).update(amount_sek=proposal.paid_sek + 1)
