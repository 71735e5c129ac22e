"""The grantee's follow-up report to the region (issue 20 §4): opened for
every granted decision, filled in and submitted by the grantee's members,
reviewed by the region's administrator.

    open → submitted → (completion requested ⇄ submitted) → approved | rejected

The questions are the agency's follow-up report form (``reports.ReportForm``,
the current published version when the report opens) and its engine's
rules: ``reports.services.clean_text`` for each answer, ``missing`` for what
must be there before submitting, ``reports.review.clean_reason`` for the
reviewer's message. The economic statement is the granted amount (read-only),
the amount used (whole kronor, 0 ≤ used ≤ granted) and the unused rest,
which the server computes. Each state change is one function in one
transaction with the report locked, an audit event and its e-mail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import Action, RegionalAction, require, require_regional
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.formatting import kronor
from fordela.reports.models import EDITABLE, REPORT_TRANSITIONS, ReportStatus
from fordela.reports.review import clean_reason
from fordela.reports.services import apply_changes, current_form, missing

from ..models import SubGrantDecision, SubGrantOutcome, SubGrantReport, SubGrantRound

SYSTEM = "open_subgrant_reports"


# ------------------------------------------------------------ opening


@dataclass
class OpenedReports:
    created: int = 0
    existing: int = 0


def granted_decisions(round_: SubGrantRound):
    """The round's decided grants: each has (or gets) one report."""
    return SubGrantDecision.objects.filter(
        round=round_, outcome=SubGrantOutcome.GRANTED, decided_at__isnull=False
    )


def open_reports(actor, round_: SubGrantRound) -> OpenedReports:
    """Open one report for each decided grant of ``round_`` that has none,
    due on the round's ``report_by`` (VKV: 15 January the year after), on the
    current report form, and e-mail its form to the application's contact.
    Run again, it opens none (the one-to-one on the decision holds). A user
    needs REVIEW_REPORTS in the round's region; a string names the system."""
    from ..tasks_after import send_report_invitation

    if getattr(actor, "is_authenticated", False):
        require_regional(actor, RegionalAction.REVIEW_REPORTS, round_.region)
    form = current_form()
    result = OpenedReports()
    for decision in granted_decisions(round_).order_by("pk"):
        if SubGrantReport.objects.filter(decision=decision).exists():
            result.existing += 1
            continue
        try:
            with transaction.atomic():
                report = SubGrantReport.objects.create(
                    decision=decision,
                    form=form,
                    due_on=round_.report_by,
                    granted_sek=decision.amount_sek,
                )
                record(
                    actor,
                    AuditAction.SUBGRANT_REPORT_OPENED,
                    report,
                    after={"granted_sek": report.granted_sek, "due_on": report.due_on.isoformat()},
                )
                send_report_invitation.enqueue(report.pk)
        except IntegrityError:
            result.existing += 1  # another run opened it meanwhile
        else:
            result.created += 1
    return result


# ------------------------------------------------------------ the grantee


def grantee_of(report: SubGrantReport):
    """The organisation that reports: whoever applied (the region itself for
    its own units)."""
    return report.decision.application.organisation


def _locked(report_id: int) -> SubGrantReport:
    return (
        SubGrantReport.objects.select_for_update(of=("self",))
        .select_related("decision__application__organisation", "decision__round__region", "form")
        .get(pk=report_id)
    )


def _lock_editable(user, report_id: int, action: Action) -> SubGrantReport:
    report = _locked(report_id)
    require(user, action, grantee_of(report))
    if report.status not in EDITABLE:
        raise ValidationError(
            _("The report is %(status)s and can no longer be changed.")
            % {"status": status_label(report).lower()}
        )
    return report


def status_label(report: SubGrantReport) -> str:
    return report.get_status_display()


@dataclass
class DraftSaved:
    report: SubGrantReport
    problems: dict[str, list[str]] = field(default_factory=dict)


def save_draft(user, report: SubGrantReport | int, changes: dict) -> DraftSaved:
    """Save what can be saved of ``changes`` (answers by question key,
    ``used_sek``, ``economy_comment``; FILL_IN in the grantee): a value that
    breaks a rule is left as it was and named in ``problems``. Unused is the
    server's: granted − used."""
    report_id = report.pk if isinstance(report, SubGrantReport) else report
    with transaction.atomic():
        report = _lock_editable(user, report_id, Action.FILL_IN)
        before = {"answers": dict(report.answers), "used_sek": report.used_sek}
        over = _("The amount used cannot be more than the %(granted)s you were granted.") % {
            "granted": kronor(report.granted_sek)
        }
        saved = DraftSaved(
            report=report,
            problems=apply_changes(report, changes, report.granted_sek, over),
        )
        report.save(
            update_fields=["answers", "economy_comment", "used_sek", "unused_sek", "updated_at"]
        )
        changed = sorted(k for k, v in report.answers.items() if v != before["answers"].get(k))
        if changed or before["used_sek"] != report.used_sek:
            record(
                user,
                AuditAction.SUBGRANT_REPORT_SAVED,
                report,
                after={"answers": changed, "used_sek": report.used_sek},
            )
    return saved


def submit(user, report: SubGrantReport | int) -> SubGrantReport:
    """Submit the report (SUBMIT_CASE in the grantee): the status moves to
    submitted, unused = granted − used is stored, the receipt is e-mailed to
    the contact and the submitter. Refused, nothing changes."""
    from ..tasks_after import send_report_receipt

    report_id = report.pk if isinstance(report, SubGrantReport) else report
    with transaction.atomic():
        report = _locked(report_id)
        require(user, Action.SUBMIT_CASE, grantee_of(report))
        before = report.status
        states.move(
            report,
            ReportStatus.SUBMITTED,
            REPORT_TRANSITIONS,
            _("The report has already been submitted; it is %(status)s."),
        )
        problems = missing(report)
        if problems:
            raise ValidationError(problems)
        report.unused_sek = report.granted_sek - report.used_sek
        report.submitted_at = clock.now()
        report.submitted_by = user
        report.save(
            update_fields=["status", "unused_sek", "submitted_at", "submitted_by", "updated_at"]
        )
        record(
            user,
            AuditAction.SUBGRANT_REPORT_SUBMITTED,
            report,
            before={"status": before},
            after={
                "status": report.status,
                "used_sek": report.used_sek,
                "unused_sek": report.unused_sek,
            },
        )
        send_report_receipt.enqueue(report.pk, report.submitted_at.isoformat())
    return report


# ------------------------------------------------------------ the review

REVIEWS = {
    "completion": (
        ReportStatus.COMPLETION_REQUESTED,
        AuditAction.SUBGRANT_REPORT_COMPLETION_REQUESTED,
    ),
    "approval": (ReportStatus.APPROVED, AuditAction.SUBGRANT_REPORT_APPROVED),
    "rejection": (ReportStatus.REJECTED, AuditAction.SUBGRANT_REPORT_REJECTED),
}


def _review(user, report, kind: str, note: str, new_due_on=None) -> SubGrantReport:
    from ..tasks_after import send_report_review

    report_id = report.pk if isinstance(report, SubGrantReport) else report
    target, action = REVIEWS[kind]
    with transaction.atomic():
        report = _locked(report_id)
        require_regional(user, RegionalAction.REVIEW_REPORTS, report.decision.round.region)
        before = {"status": report.status, "due_on": report.due_on.isoformat()}
        refusal = {
            "completion": _(
                "Completion can be requested only of a submitted report; this one is %(status)s."
            ),
            "approval": _("Only a submitted report can be approved; this one is %(status)s."),
            "rejection": _("Only a submitted report can be rejected; this one is %(status)s."),
        }[kind]
        states.move(report, target, REPORT_TRANSITIONS, refusal)
        if new_due_on is not None:
            report.due_on = new_due_on
        report.review_note = note
        report.reviewed_at = clock.now()
        report.reviewed_by = user
        report.save(
            update_fields=[
                "status",
                "due_on",
                "review_note",
                "reviewed_at",
                "reviewed_by",
                "updated_at",
            ]
        )
        record(
            user,
            action,
            report,
            before=before,
            after={"status": report.status, "due_on": report.due_on.isoformat(), "note": note},
        )
        send_report_review.enqueue(report.pk, kind, report.reviewed_at.isoformat())
    return report


def request_completion(
    user, report, reason: str, new_due_on: datetime.date | None
) -> SubGrantReport:
    """Ask the grantee to complete the report: what (the reason) and by when
    (a new deadline after today, within a year)."""
    reason = clean_reason(reason, required=True)
    if new_due_on is None:
        raise ValidationError({"new_due_on": [_("Give the new deadline for the completion.")]})
    today = clock.today()
    if new_due_on <= today:
        raise ValidationError({"new_due_on": [_("The new deadline must be after today.")]})
    if new_due_on > today + datetime.timedelta(days=366):
        raise ValidationError(
            {"new_due_on": [_("The new deadline can be at most a year from today.")]}
        )
    return _review(user, report, "completion", reason, new_due_on)


def approve(user, report, note: str = "") -> SubGrantReport:
    """Approve the report: the grantee may then invoice the region."""
    return _review(user, report, "approval", clean_reason(note, required=False))


def reject(user, report, reason: str) -> SubGrantReport:
    return _review(user, report, "rejection", clean_reason(reason, required=True))
