"""Assessment and decisions in a regional round (*bedömning och beslut*):
the region's administrator proposes a grant (1 kr up to the amount applied
for) or a rejection with a motivation; the region's decision maker, never
the same person, decides as proposed or sends the proposal back.

Deciding a grant takes the round's row lock and raises ``decided_sek`` in
the database (``F()``), so two decisions at once are checked one after the
other against what is left of the round's money; the database's check
(decided ≤ state + own funding) backs it. The decision letter is made and
e-mailed by a task after commit (``regional.letters``).

Lock order, as in ``applications.services.common``: the round, then the
application, then its decision. Proposing takes no round lock.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fordela.access.permissions import RegionalAction, require_regional
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.formatting import kronor

from ..letters import send_subgrant_letter
from ..models import (
    SUBGRANT_TRANSITIONS,
    RoundStatus,
    SubGrantApplication,
    SubGrantDecision,
    SubGrantOutcome,
    SubGrantRound,
    SubGrantStatus,
)

MOTIVATION_LENGTH = 4000
# A round decides while it takes applications and after it has closed.
DECIDING = (RoundStatus.OPEN, RoundStatus.CLOSED)


def _move(application: SubGrantApplication, target: str) -> None:
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, SUBGRANT_TRANSITIONS, refusal)


def _lock_application(application: SubGrantApplication) -> SubGrantApplication:
    return (
        SubGrantApplication.objects.select_for_update(of=("self",))
        .select_related("round__region", "organisation")
        .get(pk=application.pk)
    )


def _lock_round(round_id: int) -> SubGrantRound:
    # NO KEY UPDATE: applications started meanwhile (rows that only refer to
    # the round) need not wait for a decision.
    return SubGrantRound.objects.select_for_update(no_key=True, of=("self",)).get(pk=round_id)


def _text(value: str, name: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({name: [missing]})
    if len(text) > MOTIVATION_LENGTH:
        raise ValidationError(
            {name: [_("At most %(max)s characters.") % {"max": MOTIVATION_LENGTH}]}
        )
    return text


def propose(
    user,
    application: SubGrantApplication,
    outcome: str,
    motivation: str,
    amount_sek: int | None = None,
) -> SubGrantDecision:
    """The administrator's proposal: grant ``amount_sek`` (1 kr to the
    amount applied for) or reject, with the motivation the letter quotes."""
    require_regional(user, RegionalAction.ASSESS, application.round.region)
    if outcome not in SubGrantOutcome.values:
        raise ValidationError({"outcome": [_("Choose grant or reject.")]})
    motivation = _text(motivation, "motivation", _("Write the motivation for the decision."))
    with transaction.atomic():
        locked = _lock_application(application)
        if locked.round.status not in DECIDING:
            raise ValidationError(_("The round is not deciding applications."))
        if locked.status != SubGrantStatus.SUBMITTED:
            raise ValidationError(_("Only an application sent in without a proposal can get one."))
        requested = locked.requested_sek or 0
        if outcome == SubGrantOutcome.GRANTED:
            amount = int(amount_sek or 0)
            if not 1 <= amount <= requested:
                raise ValidationError(
                    {
                        "amount_sek": [
                            _("A grant is at least 1 kr and at most the %(requested)s applied for.")
                            % {"requested": kronor(requested)}
                        ]
                    }
                )
        else:
            amount = 0
        decision = SubGrantDecision.objects.create(
            application=locked,
            round=locked.round,
            outcome=outcome,
            amount_sek=amount,
            motivation=motivation,
            proposed_by=user,
            proposed_at=clock.now(),
        )
        _move(locked, SubGrantStatus.PROPOSED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.SUBGRANT_PROPOSED,
            locked,
            before={"status": SubGrantStatus.SUBMITTED},
            after={"status": locked.status, "outcome": outcome, "amount_sek": amount},
        )
    return decision


def decide(user, application: SubGrantApplication) -> SubGrantDecision:
    """The decision maker decides as proposed; never the proposer. A grant
    larger than what is left of the round's money is refused."""
    require_regional(user, RegionalAction.DECIDE, application.round.region)
    with transaction.atomic():
        round_ = _lock_round(application.round_id)
        locked = _lock_application(application)
        if round_.status not in DECIDING:
            raise ValidationError(_("The round is not deciding applications."))
        decision = SubGrantDecision.objects.select_for_update().filter(application=locked).first()
        if decision is None or locked.status != SubGrantStatus.PROPOSED:
            raise ValidationError(_("There is no proposal to decide."))
        if decision.proposed_by_id == user.pk:
            raise ValidationError(
                _("The decision must be made by someone other than the person who proposed it.")
            )
        if decision.amount_sek > round_.remaining_sek:
            raise ValidationError(
                _(
                    "Granting %(amount)s would exceed the round's budget: %(remaining)s of "
                    "%(budget)s is left to decide."
                )
                % {
                    "amount": kronor(decision.amount_sek),
                    "remaining": kronor(round_.remaining_sek),
                    "budget": kronor(round_.budget_sek),
                }
            )
        if decision.amount_sek:
            SubGrantRound.objects.filter(pk=round_.pk).update(
                decided_sek=F("decided_sek") + decision.amount_sek
            )
        decision.decided_by = user
        decision.decided_at = clock.now()
        decision.save(update_fields=["decided_by", "decided_at"])
        _move(locked, SubGrantStatus.DECIDED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.SUBGRANT_DECIDED,
            locked,
            before={"status": SubGrantStatus.PROPOSED},
            after={
                "status": locked.status,
                "outcome": decision.outcome,
                "amount_sek": decision.amount_sek,
                "round_decided_sek": round_.decided_sek + decision.amount_sek,
            },
        )
        transaction.on_commit(partial(send_subgrant_letter.enqueue, decision.pk))
    return decision


def return_proposal(user, application: SubGrantApplication, reason: str) -> SubGrantApplication:
    """The decision maker sends the proposal back to the administrator, who
    assesses the application again."""
    require_regional(user, RegionalAction.DECIDE, application.round.region)
    reason = _text(reason, "reason", _("Say why the proposal is sent back."))
    with transaction.atomic():
        _lock_round(application.round_id)
        locked = _lock_application(application)
        decision = SubGrantDecision.objects.select_for_update().filter(application=locked).first()
        if decision is None or decision.is_decided or locked.status != SubGrantStatus.PROPOSED:
            raise ValidationError(_("There is no undecided proposal to send back."))
        before = {
            "status": locked.status,
            "outcome": decision.outcome,
            "amount_sek": decision.amount_sek,
            "proposed_by": decision.proposed_by_id,
        }
        decision.delete()
        _move(locked, SubGrantStatus.SUBMITTED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.SUBGRANT_RETURNED,
            locked,
            before=before,
            after={"status": locked.status, "reason": reason},
        )
    return locked


def granted_list(round_: SubGrantRound):
    """The round's published list: each decided grant with its applicant,
    project and amount, by applicant."""
    return (
        SubGrantDecision.objects.filter(
            round=round_, outcome=SubGrantOutcome.GRANTED, decided_at__isnull=False
        )
        .select_related("application__organisation")
        .order_by("application__organisation__name", "application__unit_name", "pk")
    )
