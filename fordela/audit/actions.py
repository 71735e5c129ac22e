"""Every kind of audit event, with the words the case pages show for it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What happened. The value is stored (``AuditEvent.action``); the label is
    what a person reads in a case's history."""

    # Reference data and programme
    REFERENCE_DATA_LOADED = "reference_data.loaded", _("Reference data was loaded")
    PROGRAMME_SEEDED = "programme.seeded", _("The programme was set up")
    PROGRAMME_RESEEDED = "programme.reseeded", _("The programme was set up again")
    ALLOCATION_KEY_COMPUTED = "allocation_key.computed", _("The allocation key was computed")
    ALLOCATION_KEY_PUBLISHED = "allocation_key.published", _("The allocation key was published")

    # Access
    LOGIN_FAILED = "access.login_failed", _("A login failed")
    OMBUD_APPLICATION_STARTED = "ombud_application.started", _("The ombud application was started")
    OMBUD_APPLICATION_ATTACHMENT_ADDED = (
        "ombud_application.attachment_added",
        _("A document was attached to the ombud application"),
    )
    OMBUD_APPLICATION_SUBMITTED = (
        "ombud_application.submitted",
        _("The ombud application was submitted"),
    )
    OMBUD_APPLICATION_COMPLETION_REQUESTED = (
        "ombud_application.completion_requested",
        _("Completion of the ombud application was requested"),
    )
    OMBUD_APPLICATION_APPROVED = (
        "ombud_application.approved",
        _("The ombud application was approved"),
    )
    OMBUD_APPLICATION_WRITTEN_OFF = (
        "ombud_application.written_off",
        _("The ombud application was written off"),
    )
    MEMBERSHIP_CREATED = "membership.created", _("A user was given a role in the organisation")
    MEMBERSHIP_OMBUD_APPOINTED = "membership.ombud_appointed", _("An ombud was appointed")
    MEMBERSHIP_OMBUD_REPLACED = "membership.ombud_replaced", _("The ombud was replaced")
    MEMBERSHIP_REMOVED = "membership.removed", _("A user was removed from the organisation")
    MEMBERSHIP_LEFT = "membership.left", _("A user left the organisation")
    INVITATION_CREATED = "invitation.created", _("An invitation was sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("An invitation was accepted")
    INVITATION_WITHDRAWN = "invitation.withdrawn", _("An invitation was withdrawn")
    INVITATION_REFUSED = (
        "invitation.refused",
        _("An invitation was refused: another account tried to accept it"),
    )
    USER_CONTACT_DETAILS_CHANGED = (
        "user.contact_details_changed",
        _("The user's contact details were changed"),
    )
    ORGANISATION_CONTACT_DETAILS_CHANGED = (
        "organisation.contact_details_changed",
        _("The organisation's contact details were changed"),
    )
    STAFF_ROLE_GRANTED = "staff_role.granted", _("An agency role was granted")
    STAFF_ROLE_REVOKED = "staff_role.revoked", _("An agency role was revoked")

    # Requisitions and redistribution
    REQUISITION_STARTED = "requisition.started", _("The requisition was started")
    REQUISITION_DRAFT_SAVED = "requisition.draft_saved", _("The draft was saved")
    REQUISITION_SUBMITTED = "requisition.submitted", _("The requisition was submitted")
    REQUISITION_WITHDRAWN = "requisition.withdrawn", _("The requisition was withdrawn")
    REQUISITION_DRAFT_DELETED = "requisition.draft_deleted", _("The draft requisition was deleted")
    REQUISITION_PAID = "requisition.paid", _("The requisition was paid")
    REQUISITION_RETURNED = "requisition.returned", _("The requisition was returned for correction")
    REQUISITION_REJECTED = "requisition.rejected", _("The requisition was rejected")
    REQUISITION_NOTE_ADDED = "requisition.note_added", _("A note was added to the requisition")
    REQUISITION_REMINDER_SENT = "requisition.reminder_sent", _("A reminder was sent")
    REDISTRIBUTION_CONFIRMED = "redistribution.confirmed", _("The redistribution was confirmed")

    # Payments
    PAYABLE_CREATED = "payable.created", _("A payment was registered as owed")
    PAYABLE_CANCELLED = "payable.cancelled", _("The payment owed was cancelled")
    PAYMENT_BATCH_CREATED = "payment_batch.created", _("The payment batch was created")
    PAYMENT_BATCH_APPROVED = "payment_batch.approved", _("The payment batch was approved")
    PAYMENT_BATCH_CANCELLED = "payment_batch.cancelled", _("The payment batch was cancelled")
    PAYMENT_BATCH_PAID = "payment_batch.paid", _("The payment batch was marked as paid")
    PAYMENT_BATCH_EXPORTED = "payment_batch.exported", _("The payment file was downloaded")

    # Calls and applications
    CALL_CREATED = "call.created", _("The call was created")
    CALL_BULK_DECISIONS_STARTED = (
        "call.bulk_decisions_started",
        _("Decisions on all proposals were started"),
    )
    QUESTION_SET_PUBLISHED = "question_set.published", _("The questions were published")
    QUESTION_SET_NEW_VERSION = "question_set.new_version", _("A new version of the questions")
    QUESTION_ADDED = "question.added", _("A question was added")
    APPLICATION_STARTED = "application.started", _("The application was started")
    APPLICATION_DRAFT_SAVED = "application.draft_saved", _("The draft was saved")
    APPLICATION_ATTACHED = "application.attached", _("A document was attached")
    APPLICATION_ATTACHMENT_REMOVED = "application.attachment_removed", _("A document was removed")
    APPLICATION_DRAFT_DELETED = "application.draft_deleted", _("The draft application was deleted")
    APPLICATION_SUBMITTED = "application.submitted", _("The application was submitted")
    APPLICATION_COMPLETION_REQUESTED = (
        "application.completion_requested",
        _("Completion of the application was requested"),
    )
    APPLICATION_COMPLETED = "application.completed", _("The application was completed")
    APPLICATION_SCORED = "application.scored", _("The application was scored")
    APPLICATION_RISK_CHECKED = "application.risk_checked", _("The risk checklist was filled in")
    APPLICATION_SENT_FOR_CONSULTATION = (
        "application.sent_for_consultation",
        _("The application was sent for consultation"),
    )
    APPLICATION_OPINION_FILED = "application.opinion_filed", _("An opinion was filed")
    APPLICATION_DECISION_PROPOSED = "application.decision_proposed", _("A decision was proposed")
    APPLICATION_PROPOSAL_RETURNED = (
        "application.proposal_returned",
        _("The proposal was sent back to the case officer"),
    )
    APPLICATION_DECIDED = "application.decided", _("The application was decided")
    APPLICATION_LETTER_SENT = "application.letter_sent", _("The decision letter was sent")

    # Follow-up reports (fordela.reports)
    REPORT_OPENED = "report.opened", _("The follow-up report was opened")
    REPORT_SUBMITTED = "report.submitted", _("The follow-up report was submitted")
    REPORT_COMPLETION_REQUESTED = (
        "report.completion_requested",
        _("Completion of the follow-up report was requested"),
    )
    REPORT_APPROVED = "report.approved", _("The follow-up report was approved")
    REPORT_REJECTED = "report.rejected", _("The follow-up report was rejected")
    REPORT_OVERDUE = "report.overdue", _("The follow-up report is overdue")
    REPORT_CONTACT_CHANGED = (
        "report.contact_changed",
        _("The contact person for the follow-up report was changed"),
    )

    # Recovery (fordela.recovery)
    RECOVERY_PROPOSED = "recovery.proposed", _("Recovery was proposed")
    RECOVERY_RETURNED = "recovery.returned", _("The recovery proposal was sent back")
    RECOVERY_DECIDED = "recovery.decided", _("Recovery was decided")
    RECOVERY_WAIVED = "recovery.waived", _("It was decided to waive recovery")
    RECOVERY_LETTER_SENT = "recovery.letter_sent", _("The recovery decision letter was sent")
    INVOICE_ISSUED = "invoice.issued", _("The invoice was issued")
    INVOICE_PAYMENT_APPLIED = "invoice.payment_applied", _("A payment was applied to the invoice")
    INVOICE_CREDITED = "invoice.credited", _("A credit note was issued")
    INVOICE_WRITTEN_OFF = "invoice.written_off", _("The invoice was written off")
    INVOICE_REMINDER_SENT = "invoice.reminder_sent", _("A payment reminder was sent")
    INVOICE_EXPORTED = "invoice.exported", _("The e-invoice was downloaded")
    BGMAX_IMPORTED = "bgmax.imported", _("A BgMax file was imported")
    PAYMENT_REGISTERED = "payment.registered", _("An incoming payment was registered")
    PAYMENT_RESOLVED = "payment.resolved", _("An incoming payment was resolved")

    # National reporting (fordela.reporting)
    COST_RECORDED = "cost.recorded", _("An administrative cost was recorded")
    NARRATIVE_SAVED = "narrative.saved", _("A new version of the report's text was saved")

    # Regional sub-grants (fordela.regional)
    REGIONAL_ROLE_GIVEN = "regional.role_given", _("A regional role was given")
    ROUND_CREATED = "round.created", _("The regional round was set up")
    ROUND_CHANGED = "round.changed", _("The regional round was changed")
    ROUND_FUNDING_REFRESHED = (
        "round.funding_refreshed",
        _("The regional round's state funding was read from the ledger"),
    )
    ROUND_QUESTIONS_PUBLISHED = (
        "round.questions_published",
        _("A version of the round's questions was published"),
    )
    ROUND_OPENED = "round.opened", _("The regional round was opened for applications")
    ROUND_CLOSED = "round.closed", _("The regional round was closed for applications")
    ROUND_FINISHED = "round.finished", _("Every application in the round was decided")
    SUBGRANT_STARTED = "subgrant.started", _("A regional application was started")
    SUBGRANT_SAVED = "subgrant.saved", _("The regional application was saved")
    SUBGRANT_SUBMITTED = "subgrant.submitted", _("The regional application was submitted")
    SUBGRANT_WITHDRAWN = "subgrant.withdrawn", _("The regional application was withdrawn")
    SUBGRANT_PROPOSED = "subgrant.proposed", _("A regional decision was proposed")
    SUBGRANT_RETURNED = "subgrant.returned", _("The regional decision proposal was sent back")
    SUBGRANT_DECIDED = "subgrant.decided", _("The regional decision was made")
    SUBGRANT_LETTER_SENT = "subgrant.letter_sent", _("The regional decision letter was sent")
    SUBGRANT_REPORT_OPENED = "subgrant_report.opened", _("The regional follow-up report was opened")
    SUBGRANT_REPORT_SAVED = "subgrant_report.saved", _("The regional follow-up report was saved")
    SUBGRANT_REPORT_SUBMITTED = (
        "subgrant_report.submitted",
        _("The regional follow-up report was submitted"),
    )
    SUBGRANT_REPORT_COMPLETION_REQUESTED = (
        "subgrant_report.completion_requested",
        _("Completion of the regional follow-up report was requested"),
    )
    SUBGRANT_REPORT_APPROVED = (
        "subgrant_report.approved",
        _("The regional follow-up report was approved"),
    )
    SUBGRANT_REPORT_REJECTED = (
        "subgrant_report.rejected",
        _("The regional follow-up report was rejected"),
    )
    SUBGRANT_INVOICE_RECORDED = (
        "subgrant_invoice.recorded",
        _("The invoice to the region was recorded"),
    )
    SUBGRANT_INVOICE_PAID = (
        "subgrant_invoice.paid",
        _("The region's payment of the invoice was recorded"),
    )

    # Long jobs (issue 19 §7; the job helper adds its actions here)
    JOB_STARTED = "job.started", _("A background job was started")
    JOB_RETRIED = "job.retried", _("A background job was tried again")
    JOB_FINISHED = "job.finished", _("A background job finished")
    JOB_FAILED = "job.failed", _("A background job failed")

    # Competence support: the material library (fordela.library adds here)
    MATERIAL_CREATED = "material.created", _("The library entry was created")
    MATERIAL_CHANGED = "material.changed", _("The library entry was changed")
    MATERIAL_PUBLISHED = "material.published", _("The library entry was published")
    MATERIAL_UNPUBLISHED = "material.unpublished", _("The library entry was unpublished")

    # Competence support: training events (fordela.events adds here)
    # (the organiser's side: events-b)
    EVENT_CREATED = "event.created", _("The training event was created")
    EVENT_CHANGED = "event.changed", _("The training event was changed")
    EVENT_PUBLISHED = "event.published", _("The training event was published")
    SESSION_ADDED = "event_session.added", _("A session was added to the training event")
    SESSION_CHANGED = "event_session.changed", _("The session was changed")
    SESSION_CANCELLED = "event_session.cancelled", _("The session was cancelled")
    REGISTRATION_CONFIRMED_BY_ORGANISER = (
        "registration.confirmed_by_organiser",
        _("The organiser gave the person on the waiting list a seat"),
    )
    REGISTRATION_MOVED = (
        "registration.moved",
        _("The organiser moved the registration to another session"),
    )
    ATTENDANCE_MARKED = "event_session.attendance_marked", _("Attendance was marked")
    # (the participant's side and the waiting list: events-a)
    REGISTRATION_CONFIRMED = "registration.confirmed", _("A registration got a seat")
    REGISTRATION_WAITLISTED = (
        "registration.waitlisted",
        _("A registration was put on the waiting list"),
    )
    REGISTRATION_CANCELLED = "registration.cancelled", _("The registration was cancelled")
    REGISTRATION_OFFERED = "registration.offered", _("A freed seat was offered")
    REGISTRATION_OFFER_ACCEPTED = "registration.offer_accepted", _("The offered seat was accepted")
    REGISTRATION_OFFER_DECLINED = "registration.offer_declined", _("The offered seat was declined")
    REGISTRATION_OFFER_EXPIRED = "registration.offer_expired", _("The offer of a seat expired")
    REGISTRATIONS_ANONYMISED = (
        "event_session.registrations_anonymised",
        _("The session's registrations were anonymised"),
    )
