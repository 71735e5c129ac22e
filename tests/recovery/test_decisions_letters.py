"""The recovery decision letter (issue 18 §1, decisions.md 7–8): a Swedish
PDF with the organisation, the case, what was paid and reported, the ground
and motivation, the amount claimed and the invoice that follows, or the
waiver; the appeal paragraph from ``AppealParagraph``; stored with the
decision and e-mailed once to the contact person and the ombud."""

import io

import pytest
from pypdf import PdfReader

from fordela.applications.models import AppealParagraph
from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.recovery import letters
from fordela.recovery.models import Invoice, RecoveryDecision, RecoveryOutcome
from fordela.recovery.services import decisions

from .conftest import decided_claim, propose_claim


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def letter_mails(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Beslut om återkrav")]


@pytest.fixture
def decide_now(django_capture_on_commit_callbacks):
    """Decide with the on-commit letter task run."""

    def run(world, proposal):
        with django_capture_on_commit_callbacks(execute=True):
            return decisions.decide_recovery(world.beslutsfattare, proposal)

    return run


def test_the_claim_letter_says_what_and_why_and_how_to_pay(recovery_world, decide_now):
    w = recovery_world
    decided = decide_now(w, propose_claim(w))
    decided.refresh_from_db()
    assert decided.letter.name.endswith(".pdf")
    with decided.letter.open("rb") as stored:
        text = pdf_text(stored.read())
    invoice = Invoice.objects.get(decision=decided)
    for expected in (
        "Beslut om återkrav av statsbidrag",
        "Ale kommun",
        decided.case_number,
        "Kommuner, påfyllnad",
        "Bidragsår 2021",
        "Medlen har inte förbrukats under bidragsåret.",
        decided.motivation,
        "En faktura med OCR-nummer skickas separat",
        "inom 30 dagar",
        invoice.ocr,
        invoice.number,
        "förvaltningsrätten",
        "Beslutsfattare",
        "Föredragande",
    ):
        assert expected in text, expected
    grouped = f"{decided.amount_sek:,}".replace(",", " ")
    assert f"{grouped} kronor" in text
    used = f"{w.approved.used_sek:,}".replace(",", " ")
    assert f"Redovisat som använt {used} kronor" in text


def test_the_waiver_letter_claims_nothing(recovery_world, decide_now):
    w = recovery_world
    proposal = propose_claim(
        w, w.rejected, outcome=RecoveryOutcome.WAIVE, motivation="Beloppet är för litet."
    )
    decided = decide_now(w, proposal)
    text = pdf_text(letters.render_letter(RecoveryDecision.objects.get(pk=decided.pk)))
    assert "Beslut att avstå från återkrav av statsbidrag" in text
    assert "Ni behöver inte betala något." in text
    assert "OCR" not in text and "faktura" not in text.lower()
    assert "Beloppet är för litet." in text


def test_the_missing_report_letter_says_no_report_came_in(recovery_world, decide_now):
    w = recovery_world
    decided = decide_now(w, propose_claim(w, w.missing, motivation="Ingen återrapport."))
    text = pdf_text(letters.render_letter(RecoveryDecision.objects.get(pk=decided.pk)))
    assert "Har inte kommit in (sista dag 2022-03-31)" in text
    assert "trots påminnelse" in text


def test_the_appeal_paragraph_is_the_stored_one_per_outcome(recovery_world):
    w = recovery_world
    AppealParagraph.objects.create(outcome="recovery", text="Överklaga återkravet hos FR Umeå.")
    AppealParagraph.objects.create(outcome="recovery_waiver", text="Avståendet kan överklagas.")
    claim = decided_claim(w)
    waiver = decisions.decide_recovery(
        w.beslutsfattare,
        propose_claim(w, w.rejected, outcome=RecoveryOutcome.WAIVE, motivation="Litet."),
    )
    assert "Överklaga återkravet hos FR Umeå." in pdf_text(letters.render_letter(claim))
    assert "Avståendet kan överklagas." in pdf_text(letters.render_letter(waiver))
    assert letters.appeal_text("claim") == "Överklaga återkravet hos FR Umeå."


def test_the_letter_is_sent_once_to_the_contact_and_the_ombud(
    recovery_world, decide_now, mailoutbox
):
    w = recovery_world
    decided = decide_now(w, propose_claim(w))
    (mail,) = letter_mails(mailoutbox)
    assert sorted(mail.to) == sorted({w.approved.contact_email, w.users["ombud"].email})
    assert "representant@example.se" not in mail.to
    (name, content, mimetype) = mail.attachments[0]
    assert (name, mimetype) == (f"beslut-aterkrav-{decided.case_number}.pdf", "application/pdf")
    assert content[:4] == b"%PDF"
    assert "Socialstyrelsen" in mail.body
    # The task runs again (a worker that died): nothing twice.
    assert letters.send_recovery_letter.enqueue(decided.pk).return_value == 0
    assert len(letter_mails(mailoutbox)) == 1
    assert events_for(decided).filter(action=AuditAction.RECOVERY_LETTER_SENT).count() == 1
    first = RecoveryDecision.objects.get(pk=decided.pk).letter.name
    letters.store_letter_once(RecoveryDecision.objects.get(pk=decided.pk))
    assert RecoveryDecision.objects.get(pk=decided.pk).letter.name == first


def test_the_letter_is_swedish_whatever_the_language(recovery_world):
    from django.utils import translation

    decided = decided_claim(recovery_world)
    with translation.override("en"):
        html = letters.letter_html(decided)
    assert "Skäl för beslutet" in html and "Hur man överklagar" in html
