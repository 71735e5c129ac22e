"""Decision letters (*beslutsbrev*) as PDF, rendered with WeasyPrint. The
letter is a Swedish legal document, so it is written in Swedish whatever the
user's language; the appeal paragraph comes from ``AppealParagraph``
(decisions.md 8)."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from fordela.core.agency import agency
from fordela.core.clock import STOCKHOLM

from .models import AppealParagraph, Decision, Outcome
from .pdf import html_to_pdf

DEFAULT_APPEAL = {
    Outcome.GRANTED: (
        "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska vara skriftligt och "
        "ha kommit in till Socialstyrelsen inom tre veckor från den dag då ni fick del av "
        "beslutet. Ange vilket beslut som överklagas och vilken ändring ni begär."
    ),
    Outcome.PARTIAL: (
        "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska vara skriftligt och "
        "ha kommit in till Socialstyrelsen inom tre veckor från den dag då ni fick del av "
        "beslutet. Ange vilket beslut som överklagas och vilken ändring ni begär."
    ),
    Outcome.REFUSED: (
        "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska vara skriftligt och "
        "ha kommit in till Socialstyrelsen inom tre veckor från den dag då ni fick del av "
        "beslutet. Ange vilket beslut som överklagas och vilken ändring ni begär."
    ),
}
DECISION_SENTENCES = {
    Outcome.GRANTED: "{agency} beviljar er ansökan.",
    Outcome.PARTIAL: "{agency} beviljar er ansökan delvis.",
    Outcome.REFUSED: "{agency} avslår er ansökan.",
}


def appeal_text(outcome: str) -> str:
    row = AppealParagraph.objects.filter(outcome=outcome).first()
    return row.text if row else DEFAULT_APPEAL[outcome]


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def report_sentences(call) -> list[str]:
    """The letter's follow-up obligations that the call's conditions do not
    already state: the report date, and that unused money is paid back. A
    call whose conditions say both gets neither again (no repeated phrase)."""
    conditions = _words(call.conditions)
    sentences = []
    if call.report_due:
        with translation.override("sv"):
            due = date_format(call.report_due, "j F Y")
        if _words(due) not in conditions:
            sentences.append(f"Ni ska redovisa hur pengarna har använts senast {due}.")
    elif "redovisa" not in conditions:
        sentences.append(
            f"Ni ska redovisa hur pengarna har använts senast det datum {agency().name} anger."
        )
    if "betalas tillbaka" not in conditions and "återbetal" not in conditions:
        sentences.append("Pengar som inte har använts ska betalas tillbaka.")
    return sentences


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def letter_html(decision: Decision, appeal: str | None = None) -> str:
    application = decision.application
    sender = agency()
    with translation.override("sv"):
        return render_to_string(
            "applications/letter.html",
            {
                "agency": sender,
                "decision": decision,
                "application": application,
                "call": decision.call,
                "decision_sentence": DECISION_SENTENCES[decision.outcome].format(
                    agency=sender.name
                ),
                "report_sentences": report_sentences(decision.call),
                "appeal": appeal if appeal is not None else appeal_text(decision.outcome),
                # decided_at is core.clock's now() when the decision was made
                "decided_on": decision.decided_at.astimezone(STOCKHOLM).date(),
                "decider": _name(decision.decided_by),
                "proposer": _name(decision.proposed_by),
            },
        )


def letter_filename(decision: Decision) -> str:
    return f"beslut-{decision.application.case_number}.pdf"


def render_letter(decision: Decision, appeal: str | None = None) -> bytes:
    return html_to_pdf(letter_html(decision, appeal))


def store_letter(decision: Decision, pdf: bytes | None = None) -> bytes:
    """Render the letter (unless given) and keep it with the decision."""
    pdf = pdf if pdf is not None else render_letter(decision)
    decision.letter.save(letter_filename(decision), ContentFile(pdf), save=False)
    Decision.objects.filter(pk=decision.pk).update(letter=decision.letter.name)
    return pdf


def letter_htmls(decisions: list[Decision]) -> list[str]:
    appeals: dict[str, str] = {}
    htmls = []
    for decision in decisions:
        if decision.outcome not in appeals:
            appeals[decision.outcome] = appeal_text(decision.outcome)
        htmls.append(letter_html(decision, appeals[decision.outcome]))
    return htmls
