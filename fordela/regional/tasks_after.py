"""E-mail after a regional decision (issue 20 §4): the report form's link to
the application's contact when the report opens, the receipt of a
submission, and each step of the region's review. Each is sent once however
often its task runs (``core.tasks.send_once``) and signed by the region, which
is the grant-maker here, not the agency."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core.clock import STOCKHOLM
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once

from .models import SubGrantReport


def _report(report_id: int) -> SubGrantReport:
    return SubGrantReport.objects.select_related(
        "decision__application__organisation", "decision__round__region", "submitted_by"
    ).get(pk=report_id)


def _link(report: SubGrantReport) -> str:
    path = reverse("regional:grantee_report", args=[report.pk])
    return settings.FORDELA_SITE_URL.rstrip("/") + path


def _signature(report: SubGrantReport) -> str:
    round_ = report.decision.round
    lines = ["-- ", round_.region.name]
    if round_.contact:
        lines.append(round_.contact)
    return "\n".join(lines) + "\n"


def _facts(report: SubGrantReport) -> list[str]:
    application = report.decision.application
    return [
        _("Round: %(round)s") % {"round": report.decision.round.title},
        _("Applicant: %(name)s") % {"name": application.applicant_name},
        _("Case number: %(case)s") % {"case": application.case_number},
        _("Granted: %(amount)s") % {"amount": kronor(report.granted_sek)},
    ]


def _recipients(report: SubGrantReport, *others: str) -> list[str]:
    return sorted({a for a in (report.decision.application.contact_email, *others) if a})


def invitation_text(report: SubGrantReport) -> tuple[str, str]:
    subject = _("Follow-up report to %(region)s: %(case)s") % {
        "region": report.decision.round.region.name,
        "case": report.decision.application.case_number,
    }
    lines = [
        _("It is time to report how the grant from the region was used."),
        "",
        *_facts(report),
        _("Report by: %(date)s") % {"date": date_format(report.due_on, "j F Y")},
        "",
        _("Fill in the report here: %(link)s") % {"link": _link(report)},
        _("Once the report is approved you invoice the region for the money used."),
        "",
        _signature(report),
    ]
    return subject, "\n".join(lines)


@task
def send_report_invitation(report_id: int) -> int:
    report = _report(report_id)
    recipients = _recipients(report)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = invitation_text(report)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"subgrant-report-invitation:{report_id}", message)


def receipt_text(report: SubGrantReport) -> tuple[str, str]:
    submitted = report.submitted_at.astimezone(STOCKHOLM)
    subject = _("Receipt: follow-up report %(case)s") % {
        "case": report.decision.application.case_number
    }
    lines = [
        _("%(region)s has received your follow-up report.")
        % {"region": report.decision.round.region.name},
        "",
        *_facts(report),
        _("Used: %(amount)s") % {"amount": kronor(report.used_sek)},
        _("Unused: %(amount)s") % {"amount": kronor(report.unused_sek)},
        _("Submitted: %(when)s") % {"when": date_format(submitted, "j F Y H:i")},
        _("Submitted by: %(name)s")
        % {"name": report.submitted_by.get_full_name() or report.submitted_by.username},
        "",
        _(
            "Unused money is not invoiced. Once the region has approved the report, "
            "invoice it for the amount used."
        ),
        "",
        _signature(report),
    ]
    return subject, "\n".join(lines)


@task
def send_report_receipt(report_id: int, submitted_at: str) -> int:
    """The receipt of the submission made at ``submitted_at``, once."""
    report = _report(report_id)
    recipients = _recipients(report, report.submitted_by.email)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(report)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"subgrant-report-receipt:{report_id}:{submitted_at}", message)


def review_text(report: SubGrantReport, kind: str) -> tuple[str, str]:
    case = report.decision.application.case_number
    region = report.decision.round.region.name
    subject = {
        "completion": _("Follow-up report %(case)s: completion requested"),
        "approval": _("Follow-up report %(case)s: approved"),
        "rejection": _("Follow-up report %(case)s: rejected"),
    }[kind] % {"case": case}
    first = {
        "completion": _("%(region)s asks you to complete your follow-up report."),
        "approval": _("%(region)s has approved your follow-up report."),
        "rejection": _("%(region)s has rejected your follow-up report."),
    }[kind] % {"region": region}
    lines = [first, "", *_facts(report)]
    if report.review_note:
        lines += ["", report.review_note]
    if kind == "completion":
        lines += [
            "",
            _("Complete it by: %(date)s") % {"date": date_format(report.due_on, "j F Y")},
            _("Fill in the report here: %(link)s") % {"link": _link(report)},
        ]
    if kind == "approval":
        lines += [
            "",
            _("You may now invoice %(region)s for the amount used, %(amount)s.")
            % {"region": region, "amount": kronor(report.used_sek)},
        ]
    lines += ["", _signature(report)]
    return subject, "\n".join(lines)


@task
def send_report_review(report_id: int, kind: str, reviewed_at: str) -> int:
    report = _report(report_id)
    recipients = _recipients(report, getattr(report.submitted_by, "email", ""))
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = review_text(report, kind)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"subgrant-report-review:{report_id}:{kind}:{reviewed_at}", message)
