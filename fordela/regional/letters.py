"""The region's decision letter (*beslutsbrev*) on a sub-grant, as PDF
(WeasyPrint, the letters' one layout ``templates/letters/base.html``) and
the task that e-mails it once to the application's contact. The region is
the sender: its name heads the letter and the e-mail, and the letter says
that it is the region's decision on state development funds it passes on.
Written in Swedish whatever the user's language, like every letter."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fordela.applications.pdf import html_to_pdf
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core.agency import Agency, agency
from fordela.core.clock import STOCKHOLM
from fordela.core.formatting import kronor, organisation_number
from fordela.core.tasks import send_once, sent_keys

from .models import SubGrantDecision, SubGrantOutcome

LETTER_RELATED = (
    "application__organisation",
    "application__submitted_by",
    "round__region",
    "round__programme_year__programme",
    "proposed_by",
    "decided_by",
)
UNKNOWN = "–"


def sender(region) -> Agency:
    """The region as the letter's sender, in the shape the letter layout
    reads (the agency's fields); what the register does not hold is a dash."""
    return Agency(
        name=region.name,
        organisation_number=organisation_number(region.organisation_number)
        if region.organisation_number
        else UNKNOWN,
        postal_address=region.county_name or UNKNOWN,
        visiting_address=UNKNOWN,
        phone=region.phone or UNKNOWN,
        email=region.email or UNKNOWN,
        website=UNKNOWN,
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def letter_html(decision: SubGrantDecision) -> str:
    round_ = decision.round
    with translation.override("sv"):
        return render_to_string(
            "letters/regional_decision.html",
            {
                "agency": sender(round_.region),
                "national_agency": agency(),
                "decision": decision,
                "application": decision.application,
                "round": round_,
                "granted": decision.outcome == SubGrantOutcome.GRANTED,
                "decided_on": decision.decided_at.astimezone(STOCKHOLM).date(),
                "decider": _name(decision.decided_by),
                "proposer": _name(decision.proposed_by),
            },
        )


def letter_filename(decision: SubGrantDecision) -> str:
    reference = decision.application.case_number or f"{decision.application.pk}"
    return f"beslut-{reference}.pdf"


def render_letter(decision: SubGrantDecision) -> bytes:
    return html_to_pdf(letter_html(decision))


def recipients(decision: SubGrantDecision) -> list[str]:
    """The application's contact person, and whoever sent it in."""
    application = decision.application
    addresses = {application.contact_email}
    if application.submitted_by_id:
        addresses.add(application.submitted_by.email)
    return sorted(a for a in addresses if a)


def letter_key(decision_id: int) -> str:
    return f"subgrant-letter:{decision_id}"


def letter_email(decision: SubGrantDecision, pdf: bytes) -> EmailMessage:
    region = decision.round.region
    application = decision.application
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Decision from %(region)s: %(round)s") % {
            "region": region.name,
            "round": decision.round.title,
        }
        if decision.outcome == SubGrantOutcome.GRANTED:
            body = _(
                "%(region)s has granted your application %(project)s %(amount)s of the state "
                "development funds it passes on. The decision letter is attached."
            )
        else:
            body = _(
                "%(region)s has rejected your application %(project)s. The decision letter "
                "is attached."
            )
        body = body % {
            "region": region.name,
            "project": application.project_title or application.case_number,
            "amount": kronor(decision.amount_sek),
        }
        contact = decision.round.contact or region.email
        signature = f"-- \n{region.name}\n{contact}\n" if contact else f"-- \n{region.name}\n"
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    message = EmailMessage(
        subject,
        body + "\n\n" + signature,
        formataddr((region.name, address)),
        recipients(decision),
        reply_to=[region.email] if region.email else None,
    )
    message.attach(letter_filename(decision), pdf, "application/pdf")
    return message


def deliver_letter(decision: SubGrantDecision) -> int:
    """Render the letter and e-mail it, once however often this runs;
    returns the number of e-mails sent (0 or 1)."""
    key = letter_key(decision.pk)
    if sent_keys([key]):
        return 0
    sent = send_once(key, letter_email(decision, render_letter(decision)))
    if sent:
        record(
            "send_subgrant_letter",
            AuditAction.SUBGRANT_LETTER_SENT,
            decision.application,
            after={"recipients": recipients(decision), "decision": decision.pk},
        )
    return sent


@task
def send_subgrant_letter(decision_id: int) -> int:
    decision = SubGrantDecision.objects.select_related(*LETTER_RELATED).get(pk=decision_id)
    return deliver_letter(decision)
