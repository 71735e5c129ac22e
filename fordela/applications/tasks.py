"""E-mail and bulk work for applications, run as background tasks after
commit. Each may run twice (a worker that dies, ``fordela.core.tasks``):
each e-mail goes through ``send_once`` with its own key, a letter is stored
once, and the bulk run resumes where it stopped."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.models import StaffAssignment, StaffRole
from fordela.core import clock, states
from fordela.core.agency import email_signature
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once, sent_keys

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
    return subject, body + "\n\n" + email_signature()


@task
def send_receipt(application_id: int) -> int:
    application = Application.objects.select_related("organisation", "call", "submitted_by").get(
        pk=application_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(application)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(application))
    return send_once(f"application-receipt:{application_id}", message)


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
                "",
                email_signature(),
            ]
        )
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(application))
    return send_once(f"completion-request:{request_id}", message)


def consultation_notice_text(request: ConsultationRequest, site_url: str = "") -> tuple[str, str]:
    """The request for views e-mail: the case, the applicant, the
    handläggare's message, the reply date and a link to the request."""
    application = request.application
    subject = _("Request for views: %(case)s") % {"case": application.case_number}
    lines = [
        _(
            "Socialstyrelsen asks for your views on the application %(case)s from %(applicant)s"
            " (%(call)s). Reply by %(date)s."
        )
        % {
            "case": application.case_number,
            "applicant": application.organisation.name,
            "call": application.call.title,
            "date": date_format(request.reply_by, "j F Y"),
        },
    ]
    if request.message:
        officer = request.sent_by.get_full_name() or request.sent_by.get_username()
        lines += ["", _("Message from %(name)s:") % {"name": officer}, request.message]
    url = site_url.rstrip("/") + reverse("applications:consultation", args=[request.pk])
    lines += ["", _("Read the application and file your opinion: %(url)s") % {"url": url}]
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_consultation_notice(request_id: int, site_url: str = "") -> int:
    request = ConsultationRequest.objects.select_related(
        "application__organisation", "application__call", "sent_by"
    ).get(pk=request_id)
    recipients = sorted(
        a.user.email
        for a in StaffAssignment.objects.filter(role=StaffRole.CONSULTEE).select_related("user")
        if a.user.email
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = consultation_notice_text(request, site_url)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"consultation-notice:{request_id}", message)


LETTER_RELATED = (
    "call__pool__programme_year",
    "application__organisation",
    "application__submitted_by",
    "decided_by",
    "proposed_by",
)


def letter_key(decision_id: int) -> str:
    """The ``send_once`` key of a decision's letter."""
    return f"decision-letter:{decision_id}"


def deliver_letter(decision: Decision, pdf: bytes | None = None) -> int:
    """Store the letter and e-mail it to the applicant as a PDF attachment,
    each once however often this runs; returns the number of e-mails sent."""
    key = letter_key(decision.pk)
    if sent_keys([key]):
        return 0
    application = decision.application
    pdf = _store_letter_once(decision, pdf)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Decision: application %(case)s") % {"case": application.case_number}
        body = _(
            "Socialstyrelsen has decided on your application %(case)s. "
            "The decision letter is attached."
        ) % {"case": application.case_number}
        body += "\n\n" + email_signature()
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(application))
    message.attach(letter_filename(decision), pdf, "application/pdf")
    return send_once(key, message)


def _store_letter_once(decision: Decision, pdf: bytes | None) -> bytes:
    """The letter stored with the decision, or else ``pdf`` (rendered unless
    given) stored now. The decision's row is locked meanwhile, so two runs
    store one letter; a file that a dead worker wrote but never recorded is
    replaced, not kept beside the new one."""
    with transaction.atomic():
        stored = (
            Decision.objects.select_for_update()
            .values_list("letter", flat=True)
            .get(pk=decision.pk)
        )
        if stored:
            decision.letter = stored
            with decision.letter.open("rb") as letter:
                return letter.read()
        storage = decision.letter.storage
        name = decision.letter.field.generate_filename(decision, letter_filename(decision))
        if storage.exists(name):
            storage.delete(name)
        return store_letter(decision, pdf)


def _decision(decision_id: int) -> Decision:
    return Decision.objects.select_related(*LETTER_RELATED).get(pk=decision_id)


@task
def send_decision_letter(decision_id: int) -> int:
    return deliver_letter(_decision(decision_id))


# Letters rendered before they are sent: small, so the first go out soon.
LETTER_CHUNK = 8


def _move_run(run: BulkDecisionRun, target: str, **fields) -> None:
    """Move the run through ``BULK_RUN_TRANSITIONS`` and save it with ``fields``."""
    refusal = _("A run that is %(status)s cannot be changed that way.")
    states.move(run, target, BULK_RUN_TRANSITIONS, refusal)
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])


def _start_or_resume(run_id: int) -> BulkDecisionRun | None:
    """The run, moved to running with its decisions recorded if it was
    queued; as it is if running (a worker died in it); None if finished."""
    with transaction.atomic():
        run = (
            BulkDecisionRun.objects.select_for_update()
            .select_related("call", "started_by")
            .get(pk=run_id)
        )
        if run.status == BulkRunStatus.QUEUED:
            pending = (
                Decision.objects.filter(call=run.call, decided_at__isnull=True)
                .exclude(proposed_by=run.started_by)
                .order_by("application__case_number")
            )
            ids = list(pending.values_list("pk", flat=True))
            _move_run(run, BulkRunStatus.RUNNING, decision_ids=ids, total=len(ids))
        elif run.status != BulkRunStatus.RUNNING:
            return None
    return run


def _run_decisions(run: BulkDecisionRun):
    """The run's decisions that still exist (one sent back is no longer in
    it), by case number."""
    return Decision.objects.filter(pk__in=run.decision_ids).order_by("application__case_number")


def _save_progress(run: BulkDecisionRun, errors: dict[int, str]) -> int:
    """Count the progress from the database: a decision is done when its
    letter has been sent or this attempt has given up on it."""
    ids = list(_run_decisions(run).values_list("pk", flat=True))
    sent = sent_keys([letter_key(pk) for pk in ids])
    done = sum(1 for pk in ids if letter_key(pk) in sent or pk in errors)
    BulkDecisionRun.objects.filter(pk=run.pk).update(
        done=done, total=len(ids), errors=list(errors.values())
    )
    return done


@task
def run_bulk_decisions(run_id: int) -> int:
    """Decide the run's proposals (one transaction per application), then
    render the letters in chunks and send them, saving the progress after
    each letter.

    Resumable: the run's decisions are recorded when it starts and its
    progress is counted from the database (letters sent, by ``send_once``'s
    rows), so when the worker dies and another runs the task again
    (``fordela.core.tasks``), it decides what is still undecided and sends
    the letters not yet sent, none twice. The errors shown are the last
    attempt's: one that resumes tries the failed decisions and letters again."""
    from .services.decisions import decide

    run = _start_or_resume(run_id)
    if run is None:
        return 0  # finished already: this is a second run of the task
    errors: dict[int, str] = {}
    for decision in (
        _run_decisions(run).filter(decided_at__isnull=True).select_related("application")
    ):
        try:
            decide(run.started_by, decision.application, send_letter=False)
        except ValidationError as error:
            # Decided meanwhile (by hand or a second run: its letter goes
            # below) or sent back (no longer in the run): no error.
            if Decision.objects.filter(pk=decision.pk, decided_at__isnull=True).exists():
                errors[decision.pk] = (
                    f"{decision.application.case_number}: {'; '.join(error.messages)}"
                )
    done = _save_progress(run, errors)
    decided = _run_decisions(run).filter(decided_at__isnull=False).exclude(pk__in=list(errors))
    decided_ids = list(decided.values_list("pk", flat=True))
    sent = sent_keys([letter_key(pk) for pk in decided_ids])
    unsent = [pk for pk in decided_ids if letter_key(pk) not in sent]
    for start in range(0, len(unsent), LETTER_CHUNK):
        chunk = list(
            Decision.objects.filter(pk__in=unsent[start : start + LETTER_CHUNK])
            .select_related(*LETTER_RELATED)
            .order_by("application__case_number")
        )
        to_render = [decision for decision in chunk if not decision.letter]  # not yet stored
        htmls = letter_htmls(to_render)
        pdfs = {d.pk: html_to_pdf(html) for d, html in zip(to_render, htmls, strict=True)}
        for decision in chunk:
            try:
                deliver_letter(decision, pdfs.get(decision.pk))
            except Exception as error:  # one failed e-mail must not stop the run
                errors[decision.pk] = f"{decision.application.case_number}: {error}"
            done = _save_progress(run, errors)
    with transaction.atomic():
        run = BulkDecisionRun.objects.select_for_update().get(pk=run.pk)
        if run.status == BulkRunStatus.RUNNING:  # not finished by a second run
            failed = run.total > 0 and len(errors) == run.total
            target = BulkRunStatus.FAILED if failed else BulkRunStatus.DONE
            _move_run(run, target, finished_at=clock.now())
    return done
