"""The handläggare's review of a submitted follow-up report (issue 17 §4):

    submitted → (completion requested ⇄ submitted) → approved | rejected

Each step is one service: the staff matrix (REVIEW_REPORTS), the report
locked, ``states.move`` with ``REPORT_TRANSITIONS``, the review kept with the
submission it answers, an audit event and an e-mail to the organisation in
the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states

from .models import REPORT_TRANSITIONS, Report, ReportReview, ReportStatus, ReviewKind

REASON_LIMIT = 4000

TARGETS = {
    ReviewKind.COMPLETION: (
        ReportStatus.COMPLETION_REQUESTED,
        AuditAction.REPORT_COMPLETION_REQUESTED,
    ),
    ReviewKind.APPROVAL: (ReportStatus.APPROVED, AuditAction.REPORT_APPROVED),
    ReviewKind.REJECTION: (ReportStatus.REJECTED, AuditAction.REPORT_REJECTED),
}


def clean_reason(reason: str | None, required: bool) -> str:
    text = (reason or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({"reason": [_("Write the reason; the organisation reads it.")]})
    if len(text) > REASON_LIMIT:
        raise ValidationError(
            {
                "reason": [
                    _("Write at most %(limit)s characters (you wrote %(count)s).")
                    % {"limit": REASON_LIMIT, "count": len(text)}
                ]
            }
        )
    return text


def _review(user, report: Report | int, kind: ReviewKind, reason: str, new_due_on=None):
    from .tasks import send_review

    require_staff(user, StaffAction.REVIEW_REPORTS)
    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).get(pk=report_id)
        target, action = TARGETS[kind]
        before = {"status": report.status, "due_on": report.due_on.isoformat()}
        refusal = {
            ReviewKind.COMPLETION: _(
                "Completion can be requested only of a submitted report; this one is %(status)s."
            ),
            ReviewKind.APPROVAL: _(
                "Only a submitted report can be approved; this one is %(status)s."
            ),
            ReviewKind.REJECTION: _(
                "Only a submitted report can be rejected; this one is %(status)s."
            ),
        }[kind]
        states.move(report, target, REPORT_TRANSITIONS, refusal)
        submission = report.submissions.order_by("-number").first()
        fields = ["status", "updated_at"]
        if kind == ReviewKind.COMPLETION:
            report.due_on = new_due_on
            fields.append("due_on")
        report.save(update_fields=fields)
        review = ReportReview.objects.create(
            report=report,
            submission=submission,
            kind=kind,
            reason=reason,
            new_due_on=new_due_on,
            created_by=user,
        )
        record(
            user,
            action,
            report,
            before=before,
            after={
                "status": report.status,
                "due_on": report.due_on.isoformat(),
                "submission": submission.number,
                "reason": reason,
            },
        )
        send_review.enqueue(review.pk)
    return review


def request_completion(user, report, reason: str, new_due_on: datetime.date | None) -> ReportReview:
    """Ask the organisation to complete the report, saying what and by when
    (a new deadline after today); it edits and submits again."""
    reason = clean_reason(reason, required=True)
    if new_due_on is None:
        raise ValidationError({"new_due_on": [_("Give the new deadline for the completion.")]})
    if new_due_on <= clock.today():
        raise ValidationError({"new_due_on": [_("The new deadline must be after today.")]})
    return _review(user, report, ReviewKind.COMPLETION, reason, new_due_on)


def approve_report(user, report, note: str = "") -> ReportReview:
    return _review(user, report, ReviewKind.APPROVAL, clean_reason(note, required=False))


def reject_report(user, report, reason: str) -> ReportReview:
    """Reject the report (*underkänna*): the reason is the organisation's to
    read; recovery (the next issue) acts on it."""
    return _review(user, report, ReviewKind.REJECTION, clean_reason(reason, required=True))


def changes(previous, current, questions: list[dict]) -> list[dict]:
    """What changed from one submission to the next: each question or amount
    whose answer differs, before and after."""
    if previous is None or current is None:
        return []
    rows = [
        {
            "label": q["text"],
            "before": previous.answers.get(q["key"], ""),
            "after": current.answers.get(q["key"], ""),
        }
        for q in questions
        if previous.answers.get(q["key"], "") != current.answers.get(q["key"], "")
    ]
    for label, name in (
        (_("Used"), "used_sek"),
        (_("Comment on the economic statement"), "economy_comment"),
    ):
        before, after = getattr(previous, name), getattr(current, name)
        if before != after:
            rows.append(
                {"label": label, "before": before, "after": after, "money": name == "used_sek"}
            )
    return rows
