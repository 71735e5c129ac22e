"""Decision letters a person would sign: a real PDF (WeasyPrint) read back
with pypdf. The agency's address block and contact (stored in the settings,
read by fordela.core.agency), the case number, the date from core.clock, the
recipient's address block, the amount and the signers; the closing paragraph
never parted from its signatures; no sentence said twice."""

import io
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from fordela.applications.letters import render_letter, report_sentences
from fordela.applications.models import Outcome
from fordela.applications.services import decisions

from .conftest import submitted_ngo_application

CLOSING = "Beslutet har fattats av"


def pages_text(data: bytes) -> list[str]:
    """Each page's text, its whitespace (line breaks, the narrow no-break
    space between thousands) made single spaces."""
    return [
        " ".join(page.extract_text().replace("\u202f", " ").split())
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 15]


@pytest.fixture
def people(world):
    world.users["beslutsfattare"].first_name, world.users["beslutsfattare"].last_name = (
        "Björn",
        "Beslutsfattare",
    )
    world.users["beslutsfattare"].save()
    world.users["handlaggare"].first_name, world.users["handlaggare"].last_name = (
        "Hanna",
        "Handläggare",
    )
    world.users["handlaggare"].save()
    return world


def decided(world, clock_at, outcome=Outcome.PARTIAL, reasons="Budgeten är för hög.", **amount):
    application = submitted_ngo_application(world)
    if outcome == Outcome.PARTIAL:
        amount.setdefault("amount_sek", 250_000)
    decisions.propose_decision(world.users["handlaggare"], application, outcome, reasons, **amount)
    clock_at("2021-12-20T09:30")
    application.refresh_from_db()
    return decisions.decide(world.users["beslutsfattare"], application, send_letter=False)


def test_a_decision_letter_has_the_agency_the_case_the_recipient_and_the_signers(people, clock_at):
    decision = decided(people, clock_at)
    application = decision.application
    pages = pages_text(render_letter(decision))
    assert len(pages) == 1
    text = pages[0]
    # The agency's address block and contact, from the settings.
    for part in (
        "Socialstyrelsen",
        "106 30 Stockholm",
        "Rålambsvägen 3",
        "075-247 30 00",
        "socialstyrelsen@socialstyrelsen.se",
        "Org.nr 202100-0555",
    ):
        assert part in text, part
    assert "Sida 1 av 1" in text
    # The letter's kind, date (the product's clock when decided) and case number.
    assert "BESLUT" in text
    assert "Datum 2021-12-20" in text
    assert f"Ärendenummer {application.case_number}" in text
    # The recipient's address block.
    assert "Kvinnojouren Ale" in text
    if application.contact_name:
        assert f"Att: {application.contact_name}" in text
    # The decision, its amounts and the signers.
    assert "Socialstyrelsen beviljar er ansökan delvis." in text
    assert "Sökt belopp 300 000 kronor" in text
    assert "Beviljat belopp 250 000 kronor" in text
    assert "bankgiro 5050-1055" in text
    assert (
        f"{CLOSING} Björn Beslutsfattare. I den slutliga handläggningen har även Hanna "
        "Handläggare deltagit, den senare som föredragande."
    ) in text
    assert "Björn Beslutsfattare Beslutsfattare" in text
    assert "Hanna Handläggare Föredragande" in text
    # No sentence twice (the call's conditions say the report date and the
    # repayment, so the letter does not say them again).
    repeated = [s for s, n in Counter(sentences(text)).items() if n > 1]
    assert repeated == []
    assert text.count("31 mars 2023") == 1
    assert text.count("betalas tillbaka") == 1


def test_the_agency_is_the_settings_not_the_template(people, clock_at, settings):
    settings.FORDELA_AGENCY_PHONE = "08-123 45 67"
    settings.FORDELA_AGENCY_VISITING_ADDRESS = "Testgatan 1, Stockholm"
    text = pages_text(render_letter(decided(people, clock_at)))[0]
    assert "08-123 45 67" in text
    assert "Testgatan 1, Stockholm" in text
    assert "075-247 30 00" not in text


def test_a_long_letter_keeps_its_closing_with_the_signatures_and_numbers_its_pages(
    people, clock_at
):
    """Reasons of every length from one page to two: whichever line the page
    breaks at, the closing paragraph and both signatures are on one page,
    and every page has the agency's footer and its number."""
    line = "Verksamheten beskrivs väl men kostnaderna för lokaler är inte motiverade."
    decision = decided(people, clock_at, reasons=line)
    seen_pages = set()
    for lines in range(1, 13):
        decision.reasons = "\n".join(f"{n}. {line}" for n in range(1, lines + 1))
        pages = pages_text(render_letter(decision))
        seen_pages.add(len(pages))
        for number, page in enumerate(pages, start=1):
            assert f"Sida {number} av {len(pages)}" in page
            assert "Rålambsvägen 3" in page and "075-247 30 00" in page
            if number > 1:  # a later page names the letter it belongs to
                assert f"ärendenummer {decision.application.case_number}" in page
        with_signatures = [p for p in pages if "Hanna Handläggare Föredragande" in p]
        assert len(with_signatures) == 1
        assert CLOSING in with_signatures[0]
        assert "Björn Beslutsfattare Beslutsfattare" in with_signatures[0]
    assert len(seen_pages) > 1  # the reasons did move the page break


def test_a_refusal_has_no_amount_to_pay_nor_conditions(people, clock_at):
    decision = decided(people, clock_at, outcome=Outcome.REFUSED, reasons="Utanför syftet.")
    text = pages_text(render_letter(decision))[0]
    assert "Socialstyrelsen avslår er ansökan." in text
    assert "Beviljat belopp 0 kronor" in text
    assert "bankgiro" not in text
    assert "Villkor" not in text
    assert "Hur man överklagar" in text


def test_the_follow_up_is_said_once_whether_or_not_the_conditions_say_it(world):
    call = world.ngo_call
    call.conditions = "Medlen ska användas under 2022."
    assert report_sentences(call) == [
        "Ni ska redovisa hur pengarna har använts senast 31 mars 2023.",
        "Pengar som inte har använts ska betalas tillbaka.",
    ]
    call.conditions = (
        "Medel som inte används ska betalas tillbaka. Ni ska redovisa hur medlen har "
        "använts senast den 31 mars\n2023."
    )
    assert report_sentences(call) == []
