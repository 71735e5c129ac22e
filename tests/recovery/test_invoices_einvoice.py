"""The Peppol BIS Billing 3.0 export (recovery.einvoice): it validates against
the vendored UBL 2.1 XSDs and carries the right ids, amount and OCR."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from fordela.recovery import einvoice
from fordela.recovery.services import invoices as service
from tests.factories import OrganisationFactory
from tests.recovery.invoice_fixtures import invoice_for, staff_users

NS = {"cac": einvoice.NS["cac"], "cbc": einvoice.NS["cbc"]}


@pytest.fixture(scope="module")
def invoice_schema():
    return xmlschema.XMLSchema(str(einvoice.INVOICE_XSD))


@pytest.fixture(scope="module")
def credit_note_schema():
    return xmlschema.XMLSchema(str(einvoice.CREDIT_NOTE_XSD))


@pytest.fixture
def invoice(db, clock_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clock_at("2022-05-02T10:00")
    organisation = OrganisationFactory(name="Ale kommun", organisation_number="2120001439")
    return invoice_for(organisation, amount_sek=25_000)


def text(root, path: str) -> str:
    found = root.find(path, NS)
    assert found is not None, path
    return found.text


def test_the_invoice_validates_against_the_ubl_xsd(invoice, invoice_schema):
    data = einvoice.invoice_xml(invoice)
    invoice_schema.validate(data.decode())
    assert invoice_schema.is_valid(data.decode())


def test_the_invoice_carries_the_peppol_ids_amount_and_ocr(invoice):
    root = ET.fromstring(einvoice.invoice_xml(invoice))
    assert text(root, "cbc:CustomizationID") == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )
    assert text(root, "cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert text(root, "cbc:ID") == invoice.number
    assert text(root, "cbc:InvoiceTypeCode") == "380"
    assert text(root, "cbc:IssueDate") == "2022-05-02"
    assert text(root, "cbc:DueDate") == "2022-06-01"
    assert text(root, "cbc:DocumentCurrencyCode") == "SEK"
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    for party, orgnr in ((seller, "2021000555"), (buyer, "2120001439")):
        for path in ("cbc:EndpointID", "cac:PartyLegalEntity/cbc:CompanyID"):
            element = party.find(path, NS)
            assert (element.get("schemeID"), element.text) == ("0007", orgnr)
        assert party.find("cac:PartyTaxScheme", NS) is None  # no VAT ids (BR-O-02)
    assert text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName") == "Ale kommun"
    means = root.find("cac:PaymentMeans", NS)
    assert text(means, "cbc:PaymentMeansCode") == "30"
    assert text(means, "cbc:PaymentID") == invoice.ocr == "202200000125"
    assert text(means, "cac:PayeeFinancialAccount/cbc:ID") == "55555551"
    category = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
    assert text(category, "cbc:ID") == "O"
    assert text(category, "cbc:TaxExemptionReason")
    assert category.find("cbc:Percent", NS) is None
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "25000.00"
    lines = root.findall("cac:InvoiceLine", NS)
    assert len(lines) == 1
    assert text(lines[0], "cbc:LineExtensionAmount") == "25000.00"
    assert text(lines[0], "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == "O"
    assert b"VAT" not in ET.tostring(buyer)  # only the tax scheme says VAT, not a party


def test_a_credit_note_validates_and_refers_to_its_invoice(invoice, credit_note_schema):
    note = service.credit_invoice(staff_users()["ekonomi"], invoice, 5_000, "Fel belopp.")
    data = einvoice.credit_note_xml(note)
    credit_note_schema.validate(data.decode())
    root = ET.fromstring(data)
    assert root.tag.endswith("}CreditNote")
    assert text(root, "cbc:CreditNoteTypeCode") == "381"
    assert text(root, "cbc:ID") == note.number
    assert text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == (
        invoice.number
    )
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "5000.00"
    assert len(root.findall("cac:CreditNoteLine", NS)) == 1


def test_an_export_that_breaks_the_schema_is_caught(invoice, invoice_schema):
    """The test above can fail: the same XML with its elements out of order
    is refused by the schema."""
    root = ET.fromstring(einvoice.invoice_xml(invoice))
    due = root.find("cbc:DueDate", NS)
    root.remove(due)
    root.append(due)
    assert not invoice_schema.is_valid(ET.tostring(root, encoding="unicode"))


def test_a_recipient_without_an_organisation_number_cannot_get_an_e_invoice(invoice):
    invoice.organisation.organisation_number = ""
    with pytest.raises(einvoice.NotExportable, match="saknar organisationsnummer"):
        einvoice.invoice_xml(invoice)


def test_the_vendored_schemas_are_those_sources_md_lists():
    root = Path(einvoice.INVOICE_XSD).parent.parent
    listed = {}
    for line in (root / "SOURCES.md").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and len(parts[0]) == 64 and parts[1].endswith(".xsd"):
            listed[parts[1]] = parts[0]
    found = {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.glob("*/*.xsd"))
    }
    assert found == listed
    assert len(found) == 16
