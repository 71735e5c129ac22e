"""The whole recovery round in a browser (issue 18, "done when"): an
approved report with unused money → the handläggare proposes the claim →
a beslutsfattare decides it → the invoice's PDF carries the OCR reference →
ekonomi imports Bankgirot's BgMax file with the payment → the invoice is
paid and the pool's reconciliation balances to the krona, repaid included.

Uses ``live_server`` with the recovery world of tests/recovery/conftest.py."""

import datetime
import io

import pytest
from pypdf import PdfReader

from fordela.recovery.models import Invoice, InvoiceStatus, RecoveryDecision
from fordela.requisitions.ledger import pool_ledger
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import login
from tests.recovery.bgmax_files import bgmax_file, deposit, payment
from tests.recovery.conftest import (  # noqa: F401 - fixtures
    _media_root,
    clock_at,
    english,
    recovery_world,
    report_form,
    round_,
)


@pytest.fixture
def site(live_server, settings, recovery_world):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def clean(page) -> None:
    found = axe_violations(page)
    assert not found, "axe found problems:\n" + format_violations({page.url: found})


def test_from_unused_money_to_a_paid_invoice_and_a_balanced_ledger(
    browser,
    site,
    recovery_world,  # noqa: F811
    clock_at,  # noqa: F811
    tmp_path,
):
    report = recovery_world.approved
    officer = login(browser, site, "handlaggare", 1280)
    officer.goto(site + f"/handlaggning/aterrapporter/{report.pk}/")
    officer.locator("#propose-recovery").click()
    officer.wait_for_url(f"**/aterrapporter/{report.pk}/aterkrav/")
    officer.fill("#id_motivation", "Medlen har inte förbrukats under bidragsåret.")
    officer.locator("#propose-form button[type=submit]").click()
    officer.wait_for_url("**/handlaggning/aterkrav/*/")
    decision = RecoveryDecision.objects.get()
    assert decision.amount_sek == report.unused_sek > 0

    decider = login(browser, site, "beslutsfattare", 1280)
    decider.goto(site + f"/handlaggning/aterkrav/{decision.pk}/")
    decider.locator("#decide-form button[type=submit]").click()
    decider.get_by_role("button", name="Ja, besluta").click()
    decider.wait_for_url(f"**/handlaggning/aterkrav/{decision.pk}/")
    invoice = Invoice.objects.get()
    assert (invoice.amount_sek, invoice.status) == (report.unused_sek, InvoiceStatus.ISSUED)

    ekonomi = login(browser, site, "ekonomi", 1280)
    ekonomi.goto(site + f"/ekonomi/fakturor/{invoice.pk}/")
    clean(ekonomi)
    pdf_link = ekonomi.locator(f'a[href$="/faktura/{invoice.pk}/faktura.pdf"]').first
    response = ekonomi.context.request.get(site + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert f"faktura-{invoice.number}.pdf" in response.headers["content-disposition"]
    pdf = PdfReader(io.BytesIO(response.body()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert invoice.ocr in text.replace(" ", "")

    # Four weeks later Bankgirot's file brings the payment, in öre, by OCR.
    clock_at("2022-05-02T09:00")
    content = bgmax_file(
        [
            deposit(
                "55555551",
                [payment(invoice.ocr, invoice.amount_sek * 100, serial="900000000001")],
                paid_on=datetime.date(2022, 4, 29),
            )
        ],
        written_at=datetime.datetime(2022, 4, 29, 7, 0),
    )
    upload = tmp_path / "bgmax-20220429.txt"
    upload.write_bytes(content)
    ekonomi.goto(site + "/ekonomi/inbetalningar/bgmax/")
    clean(ekonomi)
    ekonomi.set_input_files("#id_file", str(upload))
    ekonomi.locator("main form button[type=submit]").click()
    ekonomi.wait_for_url("**/ekonomi/inbetalningar/bgmax/*/")
    clean(ekonomi)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_sek, invoice.outstanding_sek) == (
        InvoiceStatus.PAID,
        invoice.amount_sek,
        0,
    )
    ekonomi.goto(site + f"/ekonomi/fakturor/{invoice.pk}/")
    assert "Betald" in ekonomi.locator("main").inner_text()

    ledger = pool_ledger(report.pool)
    assert ledger.balances, ledger.problems
    ekonomi.goto(site + f"/handlaggning/rekvisitioner/{report.pool.pk}/avstamning/")
    clean(ekonomi)
    assert ekonomi.locator("#ledger-status").inner_text() == "Avstämningen stämmer på kronan."
    repaid = ekonomi.locator("#recovery-repaid").inner_text()
    assert repaid.replace("\u202f", " ").replace("\xa0", " ") == (
        f"{invoice.amount_sek:,} kr".replace(",", " ")
    )
