"""E-mail and bulk work for applications, run as background tasks after
commit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.tasks import task
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.models import StaffAssignment, StaffRole
from fordela.core import clock, states
from fordela.core.formatting import kronor

from .letters import letter_filename, letter_htmls, store_letter
from .models import (
    BULK_RUN_TRANSITIONS,
    Application,
    BulkDecisionRun,
    BulkRunStatus,
    CompletionRequest,
    ConsultationRequest,
    Decision,
)
from .pdf import html_to_pdf


def _recipients(application: Application) -> list[str]:
    addresses = {application.contact_email}
    if application.submitted_by_id:
        addresses.add(application.submitted_by.email)
    return sorted(a for a in addresses if a)


def receipt_text(application: Application) -> tuple[str, str]:
    submitted = application.submitted_at.astimezone(clock.STOCKHOLM)
    subject = _("Receipt: application %(case)s") % {"case": application.case_number}
    body = "\n".join(
        [
            _("We have received your application."),
            "",
            _("Case number: %(case)s") % {"case": application.case_number},
            _("Organisation: %(name)s") % {"name": application.organisation.name},
            _("Call: %(call)s") % {"call": application.call.title},
            _("Amount applied for: %(amount)s") % {"amount": kronor(application.requested_sek)},
            _("Received: %(when)s") % {"when": date_format(submitted, "j F Y H:i")},
            "",
            _("You can follow the status of the application on My pages."),
        ]
    )
    return subject, body + "\n"


@task
def send_receipt(application_id: int) -> int:
    application = Application.objects.select_related("organisation", "call", "submitted_by").get(
        pk=application_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(application)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(application))


@task
def send_completion_request(request_id: int) -> int:
    request = CompletionRequest.objects.select_related(
        "application__organisation", "application__submitted_by"
    ).get(pk=request_id)
    application = request.application
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Completion requested: application %(case)s") % {
            "case": application.case_number
        }
        body = "\n".join(
            [
                _("Socialstyrelsen asks you to complete your application."),
                "",
                request.message,
                "",
                _("Reply by: %(date)s") % {"date": date_format(request.reply_by, "j F Y")},
                _("Answer on My pages."),
            ]
        )
    return send_mail(subject, body + "\n", settings.DEFAULT_FROM_EMAIL, _recipients(application))


@task
def send_consultation_notice(request_id: int) -> int:
    request = ConsultationRequest.objects.select_related("application").get(pk=request_id)
    recipients = sorted(
        a.user.email
        for a in StaffAssignment.objects.filter(role=StaffRole.CONSULTEE).select_related("user")
        if a.user.email
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Request for views: %(case)s") % {"case": request.application.case_number}
        body = _("Socialstyrelsen asks for your views on an application. Reply by %(date)s.") % {
            "date": date_format(request.reply_by, "j F Y")
        }
    return send_mail(subject, body + "\n", settings.DEFAULT_FROM_EMAIL, recipients)


LETTER_RELATED = (
    "call__pool__programme_year",
    "application__organisation",
    "application__submitted_by",
    "decided_by",
    "proposed_by",
)


def deliver_letter(decision: Decision, pdf: bytes | None = None) -> int:
    """Store the letter and e-mail it to the applicant as a PDF attachment."""
    application = decision.application
    pdf = store_letter(decision, pdf)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Decision: application %(case)s") % {"case": application.case_number}
        body = _(
            "Socialstyrelsen has decided on your application %(case)s. "
            "The decision letter is attached."
        ) % {"case": application.case_number}
    message = EmailMessage(
        subject, body + "\n", settings.DEFAULT_FROM_EMAIL, _recipients(application)
    )
    message.attach(letter_filename(decision), pdf, "application/pdf")
    return message.send()


def _decision(decision_id: int) -> Decision:
    return Decision.objects.select_related(*LETTER_RELATED).get(pk=decision_id)


@task
def send_decision_letter(decision_id: int) -> int:
    return deliver_letter(_decision(decision_id))


LETTER_CHUNK = 24


def _move_run(run: BulkDecisionRun, target: str, **fields) -> None:
    """Move the run through ``BULK_RUN_TRANSITIONS`` and save it with ``fields``."""
    refusal = _("A run that is %(status)s cannot be changed that way.")
    states.move(run, target, BULK_RUN_TRANSITIONS, refusal)
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])


@task
def run_bulk_decisions(run_id: int) -> int:
    """Decide every pending proposal of the run's call (one transaction per
    application), then render and send the letters in chunks; progress is
    saved after every chunk."""
    from .services.decisions import decide

    run = BulkDecisionRun.objects.select_related("call", "started_by").get(pk=run_id)
    _move_run(run, BulkRunStatus.RUNNING)
    pending = list(
        Decision.objects.filter(call=run.call, decided_at__isnull=True)
        .exclude(proposed_by=run.started_by)
        .select_related("application")
        .order_by("application__case_number")
    )
    errors: list[str] = []
    decided: list[int] = []
    for decision in pending:
        try:
            decide(run.started_by, decision.application, send_letter=False)
            decided.append(decision.pk)
        except ValidationError as error:
            errors.append(f"{decision.application.case_number}: {'; '.join(error.messages)}")
    done = len(pending) - len(decided)
    BulkDecisionRun.objects.filter(pk=run.pk).update(done=done, errors=errors)
    for start in range(0, len(decided), LETTER_CHUNK):
        chunk = list(
            Decision.objects.filter(pk__in=decided[start : start + LETTER_CHUNK])
            .select_related(*LETTER_RELATED)
            .order_by("application__case_number")
        )
        pdfs = [html_to_pdf(html) for html in letter_htmls(chunk)]
        for decision, pdf in zip(chunk, pdfs, strict=True):
            try:
                deliver_letter(decision, pdf)
            except Exception as error:  # one failed e-mail must not stop the run
                errors.append(f"{decision.application.case_number}: {error}")
        done += len(chunk)
        BulkDecisionRun.objects.filter(pk=run.pk).update(done=done, errors=errors)
    failed = bool(pending) and len(errors) == len(pending)
    _move_run(run, BulkRunStatus.FAILED if failed else BulkRunStatus.DONE, finished_at=clock.now())
    return done
