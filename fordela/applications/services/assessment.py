"""Assessment (*bedömning*) by the handläggare: scores per criterion, the
risk checklist, other grants to the organisation, and a request for
completion (*komplettering*) that the applicant answers before the case
resumes."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from fordela.access.permissions import Action, can
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.payments.models import Payable

from ..models import (
    SENT_IN,
    Application,
    ApplicationStatus,
    Call,
    CompletionRequest,
    RiskCheck,
    Score,
)
from ..tasks import send_completion_request
from .applying import clean_changes, missing
from .common import UNDER_ASSESSMENT, lock, require_handlaggare, transition


def score_criterion(user, application: Application, criterion: str, score: int, comment: str):
    """Score one criterion 1–5 with a motivation (handläggare)."""
    require_handlaggare(user)
    with transaction.atomic():
        locked = lock(application)
        if locked.status not in UNDER_ASSESSMENT:
            raise ValidationError(_("Only applications being assessed can be scored."))
        if criterion not in {c["key"] for c in locked.call.criteria}:
            raise ValidationError(_("Unknown criterion."))
        if not 1 <= int(score) <= 5:
            raise ValidationError(_("The score must be from 1 to 5."))
        row, _created = Score.objects.update_or_create(
            application=locked,
            criterion=criterion,
            assessor=user,
            defaults={"score": int(score), "comment": comment.strip()},
        )
        record(user, AuditAction.APPLICATION_SCORED, locked, after={criterion: row.score})
    return row


def average_scores(application: Application) -> dict[str, float]:
    rows: dict[str, list[int]] = {}
    for s in application.scores.all():
        rows.setdefault(s.criterion, []).append(s.score)
    return {k: sum(v) / len(v) for k, v in rows.items()}


def mean_score(application: Application) -> float | None:
    """The mean of the criteria's average scores, or None before any score."""
    averages = average_scores(application)
    return sum(averages.values()) / len(averages) if averages else None


def queue(call: Call, status: str = ""):
    """The applications sent in to ``call`` (all, or those in ``status``) by
    case number, each with its organisation, decision and scores read
    along: a page of them costs the same few queries however long the
    queue is. The filter on the sent-in statuses is the one the queue's
    partial index (``application_queue``) is built on."""
    applications = Application.objects.filter(call=call, status__in=SENT_IN)
    if status:
        applications = applications.filter(status=status)
    return (
        applications.select_related("organisation", "decision")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.only("application", "criterion", "score").order_by(),
            )
        )
        .order_by("case_number")
    )


def save_risk_check(user, application: Application, **fields) -> RiskCheck:
    """Fill in the risk checklist (handläggare) while the application is
    assessed, as the scores are: not once a decision is proposed or made."""
    require_handlaggare(user)
    allowed = {
        "other_public_funding_checked",
        "other_agency_grants_checked",
        "founded_year",
        "register_checked",
        "notes",
    }
    with transaction.atomic():
        locked = lock(application)
        if locked.status not in UNDER_ASSESSMENT:
            raise ValidationError(
                _("The risk checklist can only be changed while the application is assessed.")
            )
        values = {k: v for k, v in fields.items() if k in allowed}
        check, _created = RiskCheck.objects.update_or_create(
            application=locked, defaults={**values, "checked_by": user}
        )
        record(
            user,
            AuditAction.APPLICATION_RISK_CHECKED,
            locked,
            after={k: str(v) for k, v in values.items()},
        )
    return check


def other_agency_grants(application: Application):
    """Other grants from the agency to the same organisation: decided grants
    and requisitions (P11)."""
    return (
        Payable.objects.filter(organisation=application.organisation)
        .exclude(reference=f"grant:{getattr(getattr(application, 'decision', None), 'pk', 0)}")
        .select_related("pool__programme_year")
        .order_by("-received_on")
    )


def request_completion(user, application: Application, message: str, reply_by: datetime.date):
    """Ask the applicant to complete the application (handläggare). The
    case waits until the applicant answers."""
    require_handlaggare(user)
    if not message.strip():
        raise ValidationError({"message": [_("Write what the applicant must complete.")]})
    if reply_by < clock.today():
        raise ValidationError({"reply_by": [_("The reply date cannot be in the past.")]})
    with transaction.atomic():
        locked = lock(application)
        before = {"status": locked.status}
        transition(locked, ApplicationStatus.COMPLETION_REQUESTED)
        locked.save(update_fields=["status", "updated_at"])
        request = CompletionRequest.objects.create(
            application=locked,
            message=message.strip(),
            reply_by=reply_by,
            requested_by=user,
            requested_at=clock.now(),
        )
        record(
            user,
            AuditAction.APPLICATION_COMPLETION_REQUESTED,
            locked,
            before=before,
            after={"status": locked.status, "message": request.message},
        )

        transaction.on_commit(partial(send_completion_request.enqueue, request.pk))
    return request


def answer_completion(user, application: Application, answer: str, changes: dict | None = None):
    """The applicant answers the completion request; the case resumes
    (ombud and representant)."""
    if not can(user, Action.SUBMIT_CASE, application.organisation):
        raise PermissionDenied(
            _("Only the organisation's ombud or a representant can send a completion.")
        )
    if not answer.strip():
        raise ValidationError({"answer": [_("Write your answer.")]})
    with transaction.atomic():
        locked = lock(application)
        if locked.status != ApplicationStatus.COMPLETION_REQUESTED:
            raise ValidationError(_("No completion has been requested."))
        fields, answers = clean_changes(changes or {})
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers:
            locked.answers = {**locked.answers, **answers}
        errors = {k: v for k, v in missing(locked).items() if k != "__all__"}
        if errors:
            raise ValidationError(errors)
        request = locked.completion_requests.select_for_update().get(answered_at__isnull=True)
        request.answer = answer.strip()
        request.answered_by = user
        request.answered_at = clock.now()
        request.save()
        transition(locked, ApplicationStatus.SUBMITTED)
        locked.save()
        record(
            user,
            AuditAction.APPLICATION_COMPLETED,
            locked,
            before={"status": "completion_requested"},
            after={"status": locked.status, "answer": request.answer},
        )
    return locked
