"""The handläggare's actions on a submitted requisition: return it for
correction, reject it, or add a note. Each checks the permission matrix,
changes state in one transaction, writes its audit event and e-mails the
organisation (sent once, on commit)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.access.tasks import enqueue_email_on_commit
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.agency import agency, email_signature
from fordela.payments.models import PAYABLE_TRANSITIONS, Payable, PayableSource, PayableStatus

from .models import MessageKind, Redistribution, Requisition, RequisitionMessage, RequisitionStatus
from .services import _lock_draft, _snapshot, _transition

MESSAGE_MAX_LENGTH = 4000


def _lock_case(
    requisition: Requisition | int, allowed: tuple[str, ...] = (RequisitionStatus.SUBMITTED,)
) -> tuple[Requisition, list[Payable]]:
    """The case and its live payables, locked: the payables first, the order
    in which ``payments.confirm_batch_paid`` locks them (payables, then
    requisitions), so the two at once wait for each other instead of
    deadlocking."""
    requisition_id = requisition if isinstance(requisition, int) else requisition.pk
    payables = list(
        Payable.objects.select_for_update(of=("self",))
        .filter(requisition_id=requisition_id, source=PayableSource.REQUISITION)
        .exclude(status=PayableStatus.CANCELLED)
        .order_by("id")
    )
    locked = _lock_draft(requisition_id)
    if locked.status not in allowed:
        raise ValidationError(
            _("Only a submitted requisition can be returned or rejected; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked, payables


def _message_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"message": [_("Write the message to the organisation.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": [_("Write at most %(max)s characters.") % {"max": MESSAGE_MAX_LENGTH}]}
        )
    return text


def _refuse_if_counted(locked: Requisition) -> None:
    """A confirmed redistribution froze what was requisitioned: the case can
    no longer leave the requisitioned amounts."""
    if Redistribution.objects.filter(pool_id=locked.pool_id).exists():
        raise ValidationError(
            _(
                "The redistribution of this pool has been confirmed and counted this "
                "requisition. It can no longer be returned or rejected."
            )
        )


def _cancel_open_payables(user, payables: list[Payable]) -> None:
    """Cancel what the requisition owes (its live payables, locked by
    ``_lock_case``), if it is still open (not in a payment batch and not
    paid); a batched or paid one refuses the whole change."""
    for payable in payables:
        if payable.status != PayableStatus.OPEN:
            raise ValidationError(
                _(
                    "The payment of this requisition is %(status)s. Remove it from the "
                    "payment batch first; a paid requisition cannot be returned or rejected."
                )
                % {"status": payable.get_status_display().lower()}
            )
        states.move(
            payable,
            PayableStatus.CANCELLED,
            PAYABLE_TRANSITIONS,
            _("A payment that is %(status)s cannot be cancelled."),
        )
        payable.save(update_fields=["status"])
        record(
            user,
            AuditAction.PAYABLE_CANCELLED,
            payable,
            before={"status": PayableStatus.OPEN},
            after={"status": PayableStatus.CANCELLED},
        )


def _email_organisation(locked: Requisition, subject: str, lines: list[str]) -> None:
    recipients = sorted(
        {
            locked.contact_email,
            locked.organisation.email,
            locked.submitted_by.email if locked.submitted_by else "",
        }
        - {""}
    )
    # Signed as every e-mail about a case is (core.agency), in the product's language.
    with translation.override(settings.LANGUAGE_CODE):
        signature = email_signature()
    enqueue_email_on_commit(recipients, subject, "\n".join(lines) + "\n\n" + signature)


def _officer_message(user, locked: Requisition, kind: str, text: str) -> RequisitionMessage:
    return RequisitionMessage.objects.create(
        requisition=locked, kind=kind, text=text, created_by=user
    )


def return_requisition(user, requisition: Requisition | int, message: str) -> Requisition:
    """Return a submitted requisition for correction (*återsända för
    komplettering*) with a message (handläggare). Its open payable is
    cancelled; the organisation corrects and submits again, with the same case
    number, until the pool's last day. Refused after the last day (it could
    not be resubmitted: reject it instead), after the pool's redistribution,
    and when its payment is batched or paid."""
    require_staff(user, StaffAction.HANDLE_REQUISITIONS)
    text = _message_text(message)
    with transaction.atomic():
        locked, payables = _lock_case(requisition)
        pool = locked.pool
        if pool.closes_on and clock.is_past(pool.closes_on):
            raise ValidationError(
                _(
                    "The last day to requisition from %(pool)s has passed, so a returned "
                    "requisition could not be submitted again. Reject it or add a note."
                )
                % {"pool": pool.name}
            )
        _refuse_if_counted(locked)
        before = _snapshot(locked)
        _transition(locked, RequisitionStatus.RETURNED)
        locked.save(update_fields=["status", "updated_at"])
        _cancel_open_payables(user, payables)
        _officer_message(user, locked, MessageKind.RETURN, text)
        after = _snapshot(locked) | {"message": text}
        record(user, AuditAction.REQUISITION_RETURNED, locked, before=before, after=after)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Requisition %(case)s returned for correction") % {
                "case": locked.case_number
            }
            lines = [
                _("Your requisition %(case)s from %(pool)s has been returned for correction.")
                % {"case": locked.case_number, "pool": pool},
                "",
                text,
                "",
                _(
                    "Log in to Fördela, correct the requisition and submit it again by "
                    "%(date)s. It keeps its case number."
                )
                % {"date": date_format(pool.closes_on, "j F Y") if pool.closes_on else "–"},
            ]
        _email_organisation(locked, subject, lines)
    return locked


def reject_requisition(user, requisition: Requisition | int, reason: str) -> Requisition:
    """Reject a submitted requisition (*avslå*) with a reason (handläggare).
    Its open payable is cancelled. A case returned for correction and not
    submitted again can be rejected too (its payable is already cancelled).
    Refused after the pool's redistribution and when its payment is batched
    or paid."""
    require_staff(user, StaffAction.HANDLE_REQUISITIONS)
    text = _message_text(reason)
    with transaction.atomic():
        locked, payables = _lock_case(
            requisition, (RequisitionStatus.SUBMITTED, RequisitionStatus.RETURNED)
        )
        if locked.status == RequisitionStatus.SUBMITTED:  # a returned case was not counted
            _refuse_if_counted(locked)
        before = _snapshot(locked)
        _transition(locked, RequisitionStatus.REJECTED)
        locked.save(update_fields=["status", "updated_at"])
        _cancel_open_payables(user, payables)
        _officer_message(user, locked, MessageKind.REJECTION, text)
        after = _snapshot(locked) | {"reason": text}
        record(user, AuditAction.REQUISITION_REJECTED, locked, before=before, after=after)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Requisition %(case)s rejected") % {"case": locked.case_number}
            lines = [
                _("Your requisition %(case)s from %(pool)s has been rejected.")
                % {"case": locked.case_number, "pool": locked.pool},
                "",
                text,
            ]
        _email_organisation(locked, subject, lines)
    return locked


def add_note(user, requisition: Requisition | int, note: str) -> RequisitionMessage:
    """Add a note to a submitted case (*anteckning*; handläggare): any case
    with a case number (submitted, returned, paid or rejected). The status
    does not change; the organisation sees the note and gets it by e-mail."""
    require_staff(user, StaffAction.HANDLE_REQUISITIONS)
    text = _message_text(note)
    with transaction.atomic():
        locked = _lock_draft(requisition)
        if not locked.case_number:
            raise ValidationError(_("Notes can be added only to a submitted requisition."))
        message = _officer_message(user, locked, MessageKind.NOTE, text)
        record(user, AuditAction.REQUISITION_NOTE_ADDED, locked, after={"note": text})
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("A note on requisition %(case)s") % {"case": locked.case_number}
            lines = [
                _("%(agency)s has added a note to your requisition %(case)s from %(pool)s.")
                % {"agency": agency().name, "case": locked.case_number, "pool": locked.pool},
                "",
                text,
            ]
        _email_organisation(locked, subject, lines)
    return message
