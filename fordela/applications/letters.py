"""Decision letters (*beslutsbrev*) as PDF, rendered with WeasyPrint. The
letter is a Swedish legal document, so it is written in Swedish whatever the
user's language; the appeal paragraph comes from ``AppealParagraph``
(decisions.md 8)."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

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
HEADINGS = {
    Outcome.GRANTED: "Socialstyrelsen beviljar er ansökan",
    Outcome.PARTIAL: "Socialstyrelsen beviljar er ansökan delvis",
    Outcome.REFUSED: "Socialstyrelsen avslår er ansökan",
}


def appeal_text(outcome: str) -> str:
    row = AppealParagraph.objects.filter(outcome=outcome).first()
    return row.text if row else DEFAULT_APPEAL[outcome]


def letter_html(decision: Decision, appeal: str | None = None) -> str:
    application = decision.application
    with translation.override("sv"):
        return render_to_string(
            "applications/letter.html",
            {
                "decision": decision,
                "application": application,
                "call": decision.call,
                "heading": HEADINGS[decision.outcome],
                "appeal": appeal if appeal is not None else appeal_text(decision.outcome),
                "decided_on": decision.decided_at.astimezone(STOCKHOLM).date(),
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
