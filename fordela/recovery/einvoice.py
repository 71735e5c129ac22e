"""The invoice and the credit note as e-invoices: Peppol BIS Billing 3.0, UBL
2.1 (facts §4). Public bodies can all receive them; sending one is optional.

A recovery claim is not subject to VAT: VAT category O ("not subject to
VAT") with an exemption reason, and no VAT identifiers for either party
(BR-O-02). Both parties are identified by their organisation number, as
electronic address and legal registration id with scheme 0007 (Peppol ID
``0007:<10-digit orgnr>``). One line, the claimed amount. Payment by bank giro
(means code 30, the OCR reference as payment id, the account the bank giro
number with branch ``SE:BANKGIRO``). The credit note (type 381) refers to its
invoice (BillingReference). Built with the standard library's ElementTree;
``tests/recovery/test_invoices_einvoice.py`` validates both against the
vendored UBL 2.1 XSDs (``schemas/ubl-2.1``)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

from fordela.payments import bankgiro

from .models import CreditNote, Invoice

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_TYPE = "380"  # commercial invoice
CREDIT_NOTE_TYPE = "381"
ORGNR_SCHEME = "0007"  # Swedish organisation number (ICD 0007)
CURRENCY = "SEK"
VAT_CATEGORY = "O"
EXEMPTION_CODE = "VATEX-EU-O"
EXEMPTION_REASON = "Ej föremål för mervärdesskatt: återbetalning av statsbidrag"
CREDIT_TRANSFER = "30"

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "ubl-2.1" / "maindoc"
INVOICE_XSD = SCHEMAS / "UBL-Invoice-2.1.xsd"
CREDIT_NOTE_XSD = SCHEMAS / "UBL-CreditNote-2.1.xsd"


class NotExportable(ValueError):
    """The invoice cannot be an e-invoice (its recipient has no organisation number)."""


def _cbc(parent, name: str, text, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attrs)
    element.text = str(text)
    return element


def _cac(parent, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")


def _amount(parent, name: str, kronor: int) -> ET.Element:
    return _cbc(parent, name, f"{kronor}.00", currencyID=CURRENCY)


def _address(parent, postal: str) -> None:
    """'106 30 Stockholm' → postal zone and city; the country is Sweden."""
    address = _cac(parent, "PostalAddress")
    found = re.match(r"^\s*(\d{3}\s?\d{2})\s+(.+?)\s*$", postal or "")
    if found:
        _cbc(address, "CityName", found.group(2))
        _cbc(address, "PostalZone", found.group(1))
    country = _cac(address, "Country")
    _cbc(country, "IdentificationCode", "SE")


def _party(parent, role: str, *, name: str, orgnr: str, postal: str = "") -> None:
    party = _cac(_cac(parent, role), "Party")
    _cbc(party, "EndpointID", orgnr, schemeID=ORGNR_SCHEME)
    identification = _cac(party, "PartyIdentification")
    _cbc(identification, "ID", orgnr, schemeID=ORGNR_SCHEME)
    _cbc(_cac(party, "PartyName"), "Name", name)
    _address(party, postal)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", name)
    _cbc(legal, "CompanyID", orgnr, schemeID=ORGNR_SCHEME)


def _tax_category(parent, name: str, *, with_reason: bool) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", VAT_CATEGORY)
    if with_reason:
        _cbc(category, "TaxExemptionReasonCode", EXEMPTION_CODE)
        _cbc(category, "TaxExemptionReason", EXEMPTION_REASON)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _seller_and_buyer(root, invoice: Invoice) -> None:
    organisation = invoice.organisation
    if not (organisation.organisation_number or "").isdigit():
        raise NotExportable(
            f"{organisation.name} saknar organisationsnummer och kan inte få en e-faktura."
        )
    _party(
        root,
        "AccountingSupplierParty",
        name=settings.FORDELA_AGENCY_NAME,
        orgnr=settings.FORDELA_AGENCY_ORGNR,
        postal=settings.FORDELA_AGENCY_POSTAL_ADDRESS,
    )
    _party(
        root,
        "AccountingCustomerParty",
        name=organisation.name,
        orgnr=organisation.organisation_number,
    )


def _totals(root, kronor: int) -> None:
    tax = _cac(root, "TaxTotal")
    _amount(tax, "TaxAmount", 0)
    subtotal = _cac(tax, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", kronor)
    _amount(subtotal, "TaxAmount", 0)
    _tax_category(subtotal, "TaxCategory", with_reason=True)
    monetary = _cac(root, "LegalMonetaryTotal")
    _amount(monetary, "LineExtensionAmount", kronor)
    _amount(monetary, "TaxExclusiveAmount", kronor)
    _amount(monetary, "TaxInclusiveAmount", kronor)
    _amount(monetary, "PayableAmount", kronor)


def _line(root, line_name: str, quantity_name: str, invoice: Invoice, kronor: int) -> None:
    line = _cac(root, line_name)
    _cbc(line, "ID", "1")
    _cbc(line, quantity_name, "1", unitCode="C62")
    _amount(line, "LineExtensionAmount", kronor)
    item = _cac(line, "Item")
    decision = invoice.decision
    _cbc(item, "Description", f"Återkrav av statsbidrag, ärende {invoice.case_number}")
    _cbc(item, "Name", f"Återkrav {decision.pool.name} {decision.year}"[:100])
    _tax_category(item, "ClassifiedTaxCategory", with_reason=False)
    _amount(_cac(line, "Price"), "PriceAmount", kronor)


def _serialise(root) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


for prefix, uri in NS.items():
    if prefix in ("cac", "cbc"):
        ET.register_namespace(prefix, uri)


def invoice_xml(invoice: Invoice) -> bytes:
    """The invoice as a Peppol BIS Billing 3.0 UBL Invoice."""
    root = ET.Element(f"{{{NS['inv']}}}Invoice")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issued_on.isoformat())
    _cbc(root, "DueDate", invoice.due_on.isoformat())
    _cbc(root, "InvoiceTypeCode", INVOICE_TYPE)
    _cbc(root, "Note", f"Återkrav av statsbidrag. Ange OCR-nummer {invoice.ocr} vid betalning.")
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", invoice.case_number)
    _seller_and_buyer(root, invoice)
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER)
    _cbc(means, "PaymentID", invoice.ocr)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", bankgiro.normalise(invoice.bankgiro))
    _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", "SE:BANKGIRO")
    terms = f"Betala senast {invoice.due_on.isoformat()} med OCR-nummer {invoice.ocr}."
    if invoice.interest_terms:
        terms += " " + invoice.interest_terms
    _cbc(_cac(root, "PaymentTerms"), "Note", terms)
    _totals(root, invoice.amount_sek)
    _line(root, "InvoiceLine", "InvoicedQuantity", invoice, invoice.amount_sek)
    return _serialise(root)


def credit_note_xml(note: CreditNote) -> bytes:
    """The credit note as a Peppol BIS Billing 3.0 UBL CreditNote (381) that
    refers to its invoice."""
    invoice = note.invoice
    root = ET.Element(f"{{{NS['cn']}}}CreditNote")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", note.number)
    _cbc(root, "IssueDate", note.issued_on.isoformat())
    _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE)
    _cbc(root, "Note", (f"Kreditering av faktura {invoice.number}: {note.reason}")[:1000])
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", invoice.case_number)
    reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
    _cbc(reference, "ID", invoice.number)
    _cbc(reference, "IssueDate", invoice.issued_on.isoformat())
    _seller_and_buyer(root, invoice)
    _totals(root, note.amount_sek)
    _line(root, "CreditNoteLine", "CreditedQuantity", invoice, note.amount_sek)
    return _serialise(root)


def invoice_filename(invoice: Invoice) -> str:
    return f"e-faktura-{invoice.number}.xml"


def credit_note_filename(note: CreditNote) -> str:
    return f"e-kreditfaktura-{note.number}.xml"
