"""Decisions (*beslut*): the handläggare proposes, another person (the
beslutsfattare) decides within the call's budget or sends the proposal back;
a grant becomes a payable and the decision letter is sent. Many proposals
can be decided at once in the background."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.core.formatting import kronor
from fordela.payments.models import PayableSource
from fordela.payments.services import create_payable

from ..models import (
    Application,
    ApplicationStatus,
    BulkDecisionRun,
    Call,
    ConsultationOutcome,
    Decision,
    Outcome,
)
from ..tasks import run_bulk_decisions, send_decision_letter
from .common import lock, lock_for_decision, require_handlaggare, transition
from .consultation import consultation_state


def _consultation_outcome(application: Application) -> str:
    if not application.call.needs_consultation:
        return ConsultationOutcome.NOT_NEEDED
    seen = [consultation_state(c) for c in application.consultations.all()]
    if "answered" in seen:
        return ConsultationOutcome.ANSWERED
    if "waiting" in seen:
        raise ValidationError(_("Wait for the opinion or for the reply date to pass."))
    if "expired" in seen:
        return ConsultationOutcome.EXPIRED
    raise ValidationError(_("Send the application to Jämställdhetsmyndigheten first."))


def granted_total(call: Call) -> int:
    return (
        Decision.objects.filter(call=call, decided_at__isnull=False).aggregate(
            total=Sum("amount_sek")
        )["total"]
        or 0
    )


def amounts(call: Call) -> tuple[int, int]:
    """What ``call`` has granted and what is proposed but not yet decided,
    in one query."""
    totals = Decision.objects.filter(call=call).aggregate(
        granted=Sum("amount_sek", filter=Q(decided_at__isnull=False)),
        proposed=Sum("amount_sek", filter=Q(decided_at__isnull=True)),
    )
    return totals["granted"] or 0, totals["proposed"] or 0


def with_granted_totals(queryset):
    """The calls of ``queryset`` with ``granted_sek``, what each has granted,
    summed in the same query (a subquery per call shown, over the index of
    decided decisions, ``decision_granted``)."""
    granted = (
        Decision.objects.filter(call=OuterRef("pk"), decided_at__isnull=False)
        .order_by()
        .values("call")
        .annotate(total=Sum("amount_sek"))
        .values("total")
    )
    return queryset.annotate(
        granted_sek=Coalesce(Subquery(granted), Value(0), output_field=BigIntegerField())
    )


def granted_decisions(call: Call):
    """The call's grants (decided, more than 0 kr) by organisation name."""
    return (
        Decision.objects.filter(call=call, decided_at__isnull=False, amount_sek__gt=0)
        .select_related("application__organisation")
        .order_by("application__organisation__name")
    )


def propose_decision(
    user, application: Application, outcome: str, reasons: str, amount_sek: int | None = None
) -> Decision:
    """The handläggare's proposal: full grant, partial grant with amount, or
    refusal, each with reasons."""
    require_handlaggare(user)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose a decision.")]})
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for the decision.")]})
    with transaction.atomic():
        locked = lock(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("Only an assessed application without a proposal can get one."))
        requested = locked.requested_sek
        if outcome == Outcome.GRANTED:
            amount = requested
        elif outcome == Outcome.REFUSED:
            amount = 0
        else:
            amount = int(amount_sek or 0)
            if not 1 <= amount < requested:
                raise ValidationError(
                    {
                        "amount_sek": [
                            _(
                                "A partial grant is at least 1 kr and less than the %(requested)s "
                                "applied for."
                            )
                            % {"requested": kronor(requested)}
                        ]
                    }
                )
        consultation = _consultation_outcome(locked)
        decision = Decision.objects.create(
            application=locked,
            call=locked.call,
            outcome=outcome,
            requested_sek=requested,
            amount_sek=amount,
            reasons=reasons.strip(),
            consultation=consultation,
            proposed_by=user,
            proposed_at=clock.now(),
        )
        transition(locked, ApplicationStatus.PROPOSED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.APPLICATION_DECISION_PROPOSED,
            locked,
            after={"outcome": outcome, "amount_sek": amount, "consultation": consultation},
        )
    return decision


def decide(user, application: Application, *, send_letter: bool = True) -> Decision:
    """The beslutsfattare decides as proposed. Never the proposer. The sum
    granted in the call stays within its budget: the call row is locked, so
    two decisions at once are checked one after the other."""
    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    with transaction.atomic():
        call, locked = lock_for_decision(application)
        decision = Decision.objects.select_for_update().filter(application=locked).first()
        if decision is None:  # sent back meanwhile
            raise ValidationError(_("There are no proposals to decide."))
        if decision.is_decided:
            raise ValidationError(_("This application has already been decided."))
        if decision.proposed_by_id == user.pk:
            raise ValidationError(
                _("The decision must be made by someone other than the person who proposed it.")
            )
        already = granted_total(call)
        if already + decision.amount_sek > call.budget_sek:
            raise ValidationError(
                _(
                    "Granting %(amount)s would exceed the call's budget: %(granted)s of "
                    "%(budget)s is already granted."
                )
                % {
                    "amount": kronor(decision.amount_sek),
                    "granted": kronor(already),
                    "budget": kronor(call.budget_sek),
                }
            )
        moment = clock.now()
        decision.decided_by = user
        decision.decided_at = moment
        decision.save(update_fields=["decided_by", "decided_at"])
        transition(locked, ApplicationStatus.DECIDED)
        locked.save(update_fields=["status", "updated_at"])
        if decision.amount_sek > 0:
            create_payable(
                source=PayableSource.GRANT,
                reference=f"grant:{decision.pk}",
                organisation=locked.organisation,
                pool=call.pool,
                case_number=locked.case_number,
                amount_sek=decision.amount_sek,
                bank_giro=locked.bank_giro,
                received_on=clock.local_date(moment),
            )
        record(
            user,
            AuditAction.APPLICATION_DECIDED,
            locked,
            before={"status": "proposed"},
            after={
                "status": locked.status,
                "outcome": decision.outcome,
                "amount_sek": decision.amount_sek,
            },
        )
        if send_letter:
            transaction.on_commit(partial(send_decision_letter.enqueue, decision.pk))
    return decision


def return_proposal(user, application: Application, reason: str) -> Application:
    """The beslutsfattare sends a proposal back to the handläggare instead
    of deciding it; the application is assessed again. Locked as ``decide``
    locks, call first, so the two at once wait for each other."""
    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the proposal is sent back.")]})
    with transaction.atomic():
        _call, locked = lock_for_decision(application)
        decision = Decision.objects.select_for_update().filter(application=locked).first()
        if decision is None or decision.is_decided:
            raise ValidationError(_("There is no undecided proposal to send back."))
        before = {
            "status": locked.status,
            "outcome": decision.outcome,
            "amount_sek": decision.amount_sek,
            "proposed_by": decision.proposed_by_id,
        }
        decision.delete()
        transition(locked, ApplicationStatus.SUBMITTED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.APPLICATION_PROPOSAL_RETURNED,
            locked,
            before=before,
            after={"status": locked.status, "reason": reason.strip()},
        )
    return locked


def start_bulk_decisions(user, call: Call):
    """Decide every proposed application of ``call`` in the background and
    send the letters (beslutsfattare). Returns the run to follow."""
    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    with transaction.atomic():
        pending = Decision.objects.filter(call=call, decided_at__isnull=True).exclude(
            proposed_by=user
        )
        total = pending.count()
        if total == 0:
            raise ValidationError(_("There are no proposals to decide."))
        run = BulkDecisionRun.objects.create(
            call=call, started_by=user, started_at=clock.now(), total=total
        )
        record(
            user,
            AuditAction.CALL_BULK_DECISIONS_STARTED,
            call,
            after={"run": run.pk, "total": total},
        )

        transaction.on_commit(partial(run_bulk_decisions.enqueue, run.pk))
    return run
