"""Follow-up reports' background work: opening the report period (the
scheduled task), the form's link to the contact person and the receipt, each
e-mail sent once however often its task runs (``core.tasks.send_once``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core import clock
from fordela.core.agency import email_signature
from fordela.core.clock import STOCKHOLM
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once

from .models import Report, ReportReminder, ReportReview, ReviewKind


def _link(report: Report) -> str:
    """The e-mailed link: signed for the report's contact person of the
    moment (``services.contact_link_token``). It leads to the report page,
    which asks for a login with the FILL_IN right, and stops working when the
    contact person changes or it is older than the report period."""
    from .services import contact_link_token

    path = reverse("reports:contact_link", args=[contact_link_token(report)])
    return settings.FORDELA_SITE_URL.rstrip("/") + path


@task
def open_report_period_task(year: int | None = None) -> int:
    """The scheduled opening of the report period: ``year`` defaults to the
    year before today's (the reports are due the year after the grant year).
    Returns how many reports were opened; running it again opens none."""
    from .services import open_report_period

    return open_report_period(year or clock.today().year - 1).created


def invitation_text(report: Report) -> tuple[str, str]:
    subject = _("Follow-up report %(year)s: %(pool)s") % {"year": report.year, "pool": report.pool}
    lines = [
        _("It is time to report how the grant was used."),
        "",
        _("Organisation: %(name)s") % {"name": report.organisation.name},
        _("Case number: %(case)s") % {"case": report.case_number},
        _("Received: %(amount)s") % {"amount": kronor(report.received_sek)},
        _("Report by: %(date)s") % {"date": date_format(report.due_on, "j F Y")},
        "",
        _("Fill in the report here: %(link)s") % {"link": _link(report)},
        _("Money not used in the year, or not used for the grant's purpose, is to be repaid."),
    ]
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_invitation(report_id: int) -> int:
    """The form's link to the contact person the case names."""
    report = Report.objects.select_related("organisation", "pool__programme_year").get(pk=report_id)
    if not report.contact_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = invitation_text(report)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [report.contact_email])
    # Once per report and person: a new contact person gets the link too.
    return send_once(f"report-invitation:{report_id}:{report.contact_email}", message)


def receipt_text(report: Report) -> tuple[str, str]:
    submitted = report.submitted_at.astimezone(STOCKHOLM)
    subject = _("Receipt: follow-up report %(case)s") % {"case": report.case_number}
    lines = [
        _("We have received your follow-up report."),
        "",
        _("Case number: %(case)s") % {"case": report.case_number},
        _("Organisation: %(name)s") % {"name": report.organisation.name},
        _("Pool: %(pool)s") % {"pool": report.pool},
        _("Received: %(amount)s") % {"amount": kronor(report.received_sek)},
        _("Used: %(amount)s") % {"amount": kronor(report.used_sek)},
        _("Unused: %(amount)s") % {"amount": kronor(report.unused_sek)},
        _("Submitted: %(when)s") % {"when": date_format(submitted, "j F Y H:i")},
        _("Submitted by: %(name)s")
        % {"name": report.submitted_by.get_full_name() or report.submitted_by.username},
    ]
    if report.unused_sek:
        lines += ["", _("Unused money is to be repaid; we will send an invoice.")]
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_receipt(report_id: int, submission: int = 1) -> int:
    """The receipt of the ``submission``:th submission, once."""
    report = Report.objects.select_related(
        "organisation", "pool__programme_year", "submitted_by"
    ).get(pk=report_id)
    recipients = sorted({a for a in (report.contact_email, report.submitted_by.email) if a})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(report)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"report-receipt:{report_id}:{submission}", message)


def review_text(review: ReportReview) -> tuple[str, str]:
    report = review.report
    subject = {
        ReviewKind.COMPLETION: _("Follow-up report %(case)s: completion requested"),
        ReviewKind.APPROVAL: _("Follow-up report %(case)s: approved"),
        ReviewKind.REJECTION: _("Follow-up report %(case)s: rejected"),
    }[review.kind] % {"case": report.case_number}
    lines = [
        {
            ReviewKind.COMPLETION: _("Socialstyrelsen asks you to complete your follow-up report."),
            ReviewKind.APPROVAL: _("Socialstyrelsen has approved your follow-up report."),
            ReviewKind.REJECTION: _("Socialstyrelsen has rejected your follow-up report."),
        }[review.kind],
        "",
        _("Organisation: %(name)s") % {"name": report.organisation.name},
        _("Case number: %(case)s") % {"case": report.case_number},
    ]
    if review.reason:
        lines += ["", review.reason]
    if review.kind == ReviewKind.COMPLETION:
        lines += [
            "",
            _("Complete it by: %(date)s") % {"date": date_format(review.new_due_on, "j F Y")},
            _("Fill in the report here: %(link)s") % {"link": _link(report)},
        ]
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_review(review_id: int) -> int:
    """The review's e-mail to the contact person and the submitter, once."""
    review = ReportReview.objects.select_related(
        "report__organisation", "report__submitted_by"
    ).get(pk=review_id)
    report = review.report
    recipients = sorted(
        {a for a in (report.contact_email, getattr(report.submitted_by, "email", "")) if a}
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = review_text(review)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"report-review:{review_id}", message)


@task
def record_overdue_reports_task() -> int:
    """The daily task: store today's overdue reports (issue 17 §6)."""
    from .overdue import record_overdue_reports

    return record_overdue_reports()


@task
def send_report_reminders_task() -> int:
    """The daily task: today's reminders about reports still to be submitted."""
    from .reminders import send_report_reminders

    return send_report_reminders()


def reminder_text(reminder: ReportReminder) -> tuple[str, str]:
    report = reminder.report
    due = date_format(reminder.due_on, "j F Y")
    subject = _("Reminder: follow-up report %(case)s by %(date)s") % {
        "case": report.case_number,
        "date": due,
    }
    first = (
        _("The last day for your follow-up report was %(date)s. Submit it as soon as you can.")
        if reminder.is_after
        else _("The last day for your follow-up report is %(date)s.")
    ) % {"date": due}
    lines = [
        first,
        "",
        _("Organisation: %(name)s") % {"name": report.organisation.name},
        _("Case number: %(case)s") % {"case": report.case_number},
        _("Received: %(amount)s") % {"amount": kronor(report.received_sek)},
        "",
        _("Fill in the report here: %(link)s") % {"link": _link(report)},
        _("A report that does not come in counts as unused money: the whole amount is claimed."),
    ]
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_reminder(reminder_id: int) -> int:
    reminder = ReportReminder.objects.select_related("report__organisation").get(pk=reminder_id)
    addresses = [a.strip() for a in reminder.recipients.split(",") if a.strip()]
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = reminder_text(reminder)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    return send_once(f"report-reminder:{reminder_id}", message)
