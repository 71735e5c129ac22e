"""The recovery decision letter (*beslut om återkrav*) as PDF, rendered with
WeasyPrint, and the task that stores and e-mails it once. Like the grant
decision letters (``applications.letters``) it is a Swedish legal document,
written in Swedish whatever the user's language; the appeal paragraph comes
from ``AppealParagraph`` (outcome ``recovery`` or ``recovery_waiver``,
decisions.md 8)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fordela.access.models import Membership, OrganisationRole
from fordela.applications.models import AppealParagraph
from fordela.applications.pdf import html_to_pdf
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core.agency import agency, email_signature
from fordela.core.clock import STOCKHOLM
from fordela.core.tasks import send_once, sent_keys

from .models import Invoice, RecoveryDecision, RecoveryGround, RecoveryOutcome
from .services.invoices import terms

APPEAL_OUTCOMES = {
    RecoveryOutcome.CLAIM: "recovery",
    RecoveryOutcome.WAIVE: "recovery_waiver",
}
DEFAULT_APPEAL = {
    "recovery": (
        "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska vara skriftligt och "
        "ha kommit in till Socialstyrelsen inom tre veckor från den dag då ni fick del av "
        "beslutet. Ange vilket beslut som överklagas och vilken ändring ni begär. Ett "
        "överklagande skjuter inte upp betalningen."
    ),
    "recovery_waiver": (
        "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska vara skriftligt och "
        "ha kommit in till Socialstyrelsen inom tre veckor från den dag då ni fick del av "
        "beslutet. Ange vilket beslut som överklagas och vilken ändring ni begär."
    ),
}
# The grounds as the letter writes them (Swedish whatever the user's language).
GROUND_SENTENCES = {
    RecoveryGround.UNUSED: "Medlen har inte förbrukats under bidragsåret.",
    RecoveryGround.NOT_FOR_PURPOSE: "Medlen har inte använts enligt bidragets ändamål.",
    RecoveryGround.NO_REPORT: (
        "Ingen återrapport har kommit in, trots påminnelse efter sista dagen för "
        "återrapportering. Medlen räknas därför som inte förbrukade."
    ),
    RecoveryGround.CONDITIONS_NOT_MET: "Villkoren för bidraget har inte uppfyllts.",
}

LETTER_RELATED = (
    "report__organisation",
    "organisation",
    "pool__programme_year__programme",
    "proposed_by",
    "decided_by",
)


def appeal_text(outcome: str) -> str:
    key = APPEAL_OUTCOMES[outcome]
    row = AppealParagraph.objects.filter(outcome=key).first()
    return row.text if row else DEFAULT_APPEAL[key]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _invoice(decision: RecoveryDecision) -> Invoice | None:
    return Invoice.objects.filter(decision=decision).first()


def letter_html(decision: RecoveryDecision) -> str:
    report = decision.report
    programme = decision.pool.programme_year.programme
    with translation.override("sv"):
        return render_to_string(
            "letters/recovery_decision.html",
            {
                "agency": agency(),
                "decision": decision,
                "report": report,
                "organisation": decision.organisation,
                "pool": decision.pool,
                "invoice": _invoice(decision),
                "payment_terms_days": terms(programme).payment_terms_days,
                "ground_sentence": GROUND_SENTENCES[decision.ground],
                "reported": report.used_sek is not None,
                "appeal": appeal_text(decision.outcome),
                "decided_on": decision.decided_at.astimezone(STOCKHOLM).date(),
                "decider": _name(decision.decided_by),
                "proposer": _name(decision.proposed_by),
            },
        )


def letter_filename(decision: RecoveryDecision) -> str:
    return f"beslut-aterkrav-{decision.case_number}.pdf"


def render_letter(decision: RecoveryDecision) -> bytes:
    return html_to_pdf(letter_html(decision))


def recipients(decision: RecoveryDecision) -> list[str]:
    """The report's contact person and the organisation's ombud."""
    addresses = {decision.report.contact_email} if decision.report.contact_email else set()
    addresses |= set(
        Membership.objects.filter(organisation=decision.organisation, role=OrganisationRole.OMBUD)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


def letter_key(decision_id: int) -> str:
    """The ``send_once`` key of a recovery decision's letter."""
    return f"recovery-letter:{decision_id}"


def store_letter_once(decision: RecoveryDecision) -> bytes:
    """The letter stored with the decision, or rendered and stored now. The
    decision's row is locked meanwhile, so two runs store one letter; a file
    a dead worker wrote but never recorded is replaced."""
    with transaction.atomic():
        stored = (
            RecoveryDecision.objects.select_for_update()
            .values_list("letter", flat=True)
            .get(pk=decision.pk)
        )
        if stored:
            decision.letter = stored
            with decision.letter.open("rb") as letter:
                return letter.read()
        pdf = render_letter(decision)
        storage = decision.letter.storage
        name = decision.letter.field.generate_filename(decision, letter_filename(decision))
        if storage.exists(name):
            storage.delete(name)
        decision.letter.save(letter_filename(decision), ContentFile(pdf), save=False)
        RecoveryDecision.objects.filter(pk=decision.pk).update(letter=decision.letter.name)
        return pdf


def letter_email(decision: RecoveryDecision, pdf: bytes) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Recovery decision: %(case)s") % {"case": decision.case_number}
        if decision.is_claim:
            body = _(
                "Socialstyrelsen has decided to claim back money paid for %(case)s. "
                "The decision letter is attached; the invoice follows separately."
            )
        else:
            body = _(
                "Socialstyrelsen has decided not to claim back money paid for %(case)s. "
                "The decision letter is attached."
            )
        body = body % {"case": decision.case_number} + "\n\n" + email_signature()
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients(decision))
    message.attach(letter_filename(decision), pdf, "application/pdf")
    return message


def deliver_letter(decision: RecoveryDecision) -> int:
    """Store the letter and e-mail it, each once however often this runs;
    returns the number of e-mails sent (0 or 1)."""
    key = letter_key(decision.pk)
    if sent_keys([key]):
        return 0
    pdf = store_letter_once(decision)
    sent = send_once(key, letter_email(decision, pdf))
    if sent:
        record(
            "send_recovery_letter",
            AuditAction.RECOVERY_LETTER_SENT,
            decision,
            after={"recipients": recipients(decision), "letter": decision.letter.name},
        )
    return sent


@task
def send_recovery_letter(decision_id: int) -> int:
    decision = RecoveryDecision.objects.select_related(*LETTER_RELATED).get(pk=decision_id)
    return deliver_letter(decision)
