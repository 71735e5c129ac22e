"""Recovery decisions (*återkravsbeslut*), four eyes as the grant decisions:
the handläggare proposes a claim or a waiver from one follow-up report, a
beslutsfattare (never the proposer) decides it or sends it back.

    proposed → decided | returned;  returned → proposed (proposed again)

A report is a candidate (``recovery_candidates``) when it has no decision yet
and (a) it is approved with unused money, (b) it is rejected, or (c) it is
still not sent in after its deadline: a stored ``ReportOverdue`` and an
after-deadline ``ReportReminder`` for the same deadline (decisions.md 7: the
whole amount is then claimed). A decided claim issues its invoice in the
deciding transaction (``invoices.issue_invoice``); the letter is sent after
commit (``recovery.letters.send_recovery_letter``).

Lock order: the report, then its decision (proposing); the decision alone
(deciding, sending back). Never the report after the decision.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.cleaning import parse_kronor
from fordela.core.formatting import kronor
from fordela.reports.models import (
    EDITABLE,
    Report,
    ReportOverdue,
    ReportReminder,
    ReportStatus,
)

from ..models import (
    RECOVERY_TRANSITIONS,
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoveryStatus,
)
from . import invoices

TEXT_LIMIT = 4000

# What each origin suggests: the ground, and whether the amount is the
# unused money or the whole amount received.
SUGGESTED_GROUND = {
    RecoveryOrigin.APPROVED_REPORT: RecoveryGround.UNUSED,
    RecoveryOrigin.REJECTED_REPORT: RecoveryGround.NOT_FOR_PURPOSE,
    RecoveryOrigin.MISSING_REPORT: RecoveryGround.NO_REPORT,
}


def _missing_condition():
    """A report still to be sent in whose current deadline has both a stored
    overdue event and an after-deadline reminder."""
    overdue = Exists(ReportOverdue.objects.filter(report=OuterRef("pk"), due_on=OuterRef("due_on")))
    reminded = Exists(
        ReportReminder.objects.filter(
            report=OuterRef("pk"), due_on=OuterRef("due_on"), step__startswith="after:"
        )
    )
    return Q(status__in=EDITABLE) & Q(overdue) & Q(reminded)


def _origin_conditions() -> list[tuple[str, Q]]:
    return [
        (RecoveryOrigin.APPROVED_REPORT, Q(status=ReportStatus.APPROVED, unused_sek__gt=0)),
        (RecoveryOrigin.REJECTED_REPORT, Q(status=ReportStatus.REJECTED)),
        (RecoveryOrigin.MISSING_REPORT, _missing_condition()),
    ]


def recovery_candidates() -> QuerySet[Report]:
    """The reports that need a recovery decision and have none, each with
    ``recovery_origin``, ``recovery_ground`` and ``suggested_sek`` (the
    amount to propose: the unused money of an approved report, otherwise all
    that was received), in one query however many there are."""
    conditions = _origin_conditions()
    any_origin = Q()
    for _origin, condition in conditions:
        any_origin |= condition
    return (
        Report.objects.filter(any_origin, recovery__isnull=True)
        .annotate(
            recovery_origin=Case(
                *[When(condition, then=Value(str(origin))) for origin, condition in conditions],
                output_field=CharField(),
            ),
            recovery_ground=Case(
                *[
                    When(condition, then=Value(str(SUGGESTED_GROUND[origin])))
                    for origin, condition in conditions
                ],
                output_field=CharField(),
            ),
            suggested_sek=Case(
                When(conditions[0][1], then=F("unused_sek")),
                default=F("received_sek"),
                output_field=BigIntegerField(),
            ),
        )
        .select_related("organisation", "pool__programme_year")
        .order_by("-year", "organisation__name", "pk")
    )


@dataclass(frozen=True)
class Candidate:
    """What a report suggests for its recovery decision."""

    report: Report
    origin: RecoveryOrigin
    ground: RecoveryGround
    suggested_sek: int


def origin_of(report: Report) -> RecoveryOrigin | None:
    """Which origin the report has now (whether or not it has a decision),
    or None: it needs no recovery decision."""
    conditions = _origin_conditions()
    annotated = (
        Report.objects.filter(pk=report.pk)
        .annotate(
            origin=Case(
                *[When(condition, then=Value(str(origin))) for origin, condition in conditions],
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values_list("origin", flat=True)
        .first()
    )
    return RecoveryOrigin(annotated) if annotated else None


def candidate_for(report: Report) -> Candidate | None:
    """The report as a candidate, or None when it is none (not in a state
    that needs a decision, or it has one already)."""
    found = recovery_candidates().filter(pk=report.pk).first()
    if found is None:
        return None
    return Candidate(
        report=found,
        origin=RecoveryOrigin(found.recovery_origin),
        ground=RecoveryGround(found.recovery_ground),
        suggested_sek=found.suggested_sek,
    )


# ------------------------------------------------------------------ checks


def _clean_text(value: str | None, name: str, missing: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({name: [missing]})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {
                name: [
                    _("Write at most %(limit)s characters (you wrote %(count)s).")
                    % {"limit": TEXT_LIMIT, "count": len(text)}
                ]
            }
        )
    return text


def _clean_amount(value, outcome: str, paid_sek: int) -> int:
    """The amount: a whole number of kronor, at most what was paid; a claim
    at least 1 kr. A waiver's amount is what would have been claimed."""
    if value is None or value == "":
        raise ValidationError({"amount_sek": [_("Enter the amount in whole kronor.")]})
    try:
        amount = parse_kronor(value)
    except ValidationError as error:
        raise ValidationError({"amount_sek": error.messages}) from None
    if amount > paid_sek:
        raise ValidationError(
            {
                "amount_sek": [
                    _("The amount cannot be more than the %(paid)s paid for the grant.")
                    % {"paid": kronor(paid_sek)}
                ]
            }
        )
    if outcome == RecoveryOutcome.CLAIM and amount < 1:
        raise ValidationError({"amount_sek": [_("A claim is at least 1 kr.")]})
    return amount


def _snapshot(decision: RecoveryDecision) -> dict:
    return {
        "status": decision.status,
        "outcome": decision.outcome,
        "ground": decision.ground,
        "amount_sek": decision.amount_sek,
    }


# ---------------------------------------------------------------- services


def propose_recovery(
    user, report: Report, *, outcome: str, ground: str, amount_sek, motivation: str
) -> RecoveryDecision:
    """The handläggare's proposal (PROPOSE_RECOVERY): claim ``amount_sek``
    back on ``ground``, or waive the claim, with the motivation. Only for a
    candidate, or a proposal that was sent back (proposed again with the new
    values)."""
    require_staff(user, StaffAction.PROPOSE_RECOVERY)
    if outcome not in RecoveryOutcome.values:
        raise ValidationError({"outcome": [_("Choose whether to claim the money back or not.")]})
    if ground not in RecoveryGround.values:
        raise ValidationError({"ground": [_("Choose the ground for the decision.")]})
    motivation = _clean_text(
        motivation, "motivation", _("Write the motivation; the organisation reads it.")
    )
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",))
            .select_related("organisation", "pool__programme_year")
            .get(pk=report.pk)
        )
        amount = _clean_amount(amount_sek, outcome, locked.received_sek)
        existing = RecoveryDecision.objects.select_for_update().filter(report=locked).first()
        if existing is not None and existing.status != RecoveryStatus.RETURNED:
            raise ValidationError(_("This report already has a recovery decision or proposal."))
        origin = origin_of(locked)
        if origin is None:
            raise ValidationError(_("This report needs no recovery decision."))
        values = {
            "origin": origin,
            "ground": ground,
            "outcome": outcome,
            "amount_sek": amount,
            "paid_sek": locked.received_sek,
            "motivation": motivation,
            "proposed_by": user,
            "proposed_at": clock.now(),
        }
        if existing is None:
            decision = RecoveryDecision.objects.create(
                report=locked,
                organisation=locked.organisation,
                pool=locked.pool,
                year=locked.year,
                case_number=locked.case_number,
                status=RecoveryStatus.PROPOSED,
                **values,
            )
            before = None
        else:
            decision = existing
            before = _snapshot(decision)
            refusal = _("A recovery proposal that is %(status)s cannot be proposed again.")
            states.move(decision, RecoveryStatus.PROPOSED, RECOVERY_TRANSITIONS, refusal)
            for name, value in values.items():
                setattr(decision, name, value)
            decision.save()
        record(
            user,
            AuditAction.RECOVERY_PROPOSED,
            decision,
            before=before,
            after={**_snapshot(decision), "origin": decision.origin, "report": locked.pk},
        )
    return decision


def _lock(decision: RecoveryDecision | int) -> RecoveryDecision:
    pk = decision.pk if isinstance(decision, RecoveryDecision) else decision
    return (
        RecoveryDecision.objects.select_for_update(of=("self",))
        .select_related("report", "organisation", "pool__programme_year__programme")
        .get(pk=pk)
    )


def return_recovery_proposal(user, decision: RecoveryDecision, reason: str) -> RecoveryDecision:
    """The beslutsfattare sends the proposal back to the handläggare
    (DECIDE_RECOVERY), saying why; it is proposed again with
    ``propose_recovery``."""
    require_staff(user, StaffAction.DECIDE_RECOVERY)
    reason = _clean_text(reason, "reason", _("Say why the proposal is sent back."))
    with transaction.atomic():
        locked = _lock(decision)
        before = _snapshot(locked)
        refusal = _("Only a proposal can be sent back; this one is %(status)s.")
        states.move(locked, RecoveryStatus.RETURNED, RECOVERY_TRANSITIONS, refusal)
        locked.returned_reason = reason
        locked.save(update_fields=["status", "returned_reason"])
        record(
            user,
            AuditAction.RECOVERY_RETURNED,
            locked,
            before=before,
            after={"status": locked.status, "reason": reason},
        )
    return locked


def decide_recovery(user, decision: RecoveryDecision) -> RecoveryDecision:
    """The beslutsfattare decides as proposed (DECIDE_RECOVERY), never the
    proposer. A claim issues its invoice in the same transaction; a waiver
    issues nothing. The letter goes after commit."""
    from ..letters import send_recovery_letter

    require_staff(user, StaffAction.DECIDE_RECOVERY)
    with transaction.atomic():
        locked = _lock(decision)
        if locked.status == RecoveryStatus.DECIDED:
            raise ValidationError(_("This recovery has already been decided."))
        if locked.proposed_by_id == user.pk:
            raise ValidationError(
                _("The decision must be made by someone other than the person who proposed it.")
            )
        before = _snapshot(locked)
        refusal = _("Only a proposal can be decided; this one is %(status)s.")
        states.move(locked, RecoveryStatus.DECIDED, RECOVERY_TRANSITIONS, refusal)
        locked.decided_by = user
        locked.decided_at = clock.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        after = _snapshot(locked)
        if locked.is_claim:
            invoice = invoices.issue_invoice(user, locked)
            after.update({"invoice": invoice.number, "ocr": invoice.ocr})
            action = AuditAction.RECOVERY_DECIDED
        else:
            action = AuditAction.RECOVERY_WAIVED
        record(user, action, locked, before=before, after=after)
        transaction.on_commit(partial(send_recovery_letter.enqueue, locked.pk))
    return locked
