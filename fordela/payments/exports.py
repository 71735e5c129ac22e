"""Payment files for a batch: ISO 20022 pain.001.001.03 (credit transfer
initiation) to bank giro accounts in SEK, and CSV in the product's one dialect
(``fordela.core.exports``). Both are built from the stored batch only, so
exporting again gives the same file."""

import io
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings

from fordela.core.exports import write_csv

from .bankgiro import normalise
from .models import PaymentBatch

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CSV_HEADER = [
    "Utbetalningsomgång",
    "Betalningsreferens",
    "Diarienummer",
    "Organisation",
    "Organisationsnummer",
    "Län",
    "Bankgiro",
    "Belopp (kr)",
    "Förfallodag",
    "Betalningsdag",
]


def _items(batch: PaymentBatch):
    return (
        batch.items.filter(released=False)
        .select_related("payable__organisation")
        .order_by("payable__case_number", "payable_id")
    )


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _bankgiro_account(parent, tag: str, number: str) -> None:
    other = _sub(_sub(_sub(parent, tag), "Id"), "Othr")
    _sub(other, "Id", normalise(number))
    _sub(_sub(other, "SchmeNm"), "Prtry", "BGNR")


def pain001_bytes(batch: PaymentBatch) -> bytes:
    items = list(_items(batch))
    total = sum(item.amount_sek for item in items)
    ET.register_namespace("", NAMESPACE)
    document = ET.Element("Document", xmlns=NAMESPACE)
    root = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(root, "GrpHdr")
    _sub(header, "MsgId", batch.reference)
    _sub(header, "CreDtTm", batch.created_at.replace(microsecond=0).isoformat())
    _sub(header, "NbOfTxs", str(len(items)))
    _sub(header, "CtrlSum", f"{total}.00")
    initiator = _sub(header, "InitgPty")
    _sub(initiator, "Nm", settings.FORDELA_AGENCY_NAME)
    org_id = _sub(_sub(_sub(initiator, "Id"), "OrgId"), "Othr")
    _sub(org_id, "Id", settings.FORDELA_AGENCY_ORGNR)
    _sub(_sub(org_id, "SchmeNm"), "Cd", "BANK")

    info = _sub(root, "PmtInf")
    _sub(info, "PmtInfId", batch.reference)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(items)))
    _sub(info, "CtrlSum", f"{total}.00")
    _sub(_sub(_sub(info, "PmtTpInf"), "SvcLvl"), "Cd", "NURG")
    _sub(info, "ReqdExctnDt", batch.payment_date.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", settings.FORDELA_AGENCY_NAME)
    _bankgiro_account(info, "DbtrAcct", settings.FORDELA_AGENCY_BANKGIRO)
    _sub(_sub(_sub(info, "DbtrAgt"), "FinInstnId"), "BIC", settings.FORDELA_AGENCY_BIC)
    for item in items:
        payable = item.payable
        transfer = _sub(info, "CdtTrfTxInf")
        _sub(_sub(transfer, "PmtId"), "EndToEndId", payable.reference)
        _sub(_sub(transfer, "Amt"), "InstdAmt", f"{item.amount_sek}.00", Ccy="SEK")
        _sub(_sub(transfer, "Cdtr"), "Nm", payable.organisation.name[:70])
        _bankgiro_account(transfer, "CdtrAcct", payable.bank_giro)
        _sub(_sub(transfer, "RmtInf"), "Ustrd", f"{payable.case_number} {payable.pool}"[:140])
    ET.indent(document)
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)


def csv_rows(batch: PaymentBatch) -> Iterator[list[Any]]:
    """One row per payment of the batch, in the pain.001 file's order."""
    for item in _items(batch):
        payable = item.payable
        organisation = payable.organisation
        yield [
            batch.reference,
            payable.reference,
            payable.case_number,
            organisation.name,
            organisation.formatted_organisation_number,
            organisation.county_name,
            payable.bank_giro,
            item.amount_sek,
            payable.due_on.isoformat(),
            batch.payment_date.isoformat(),
        ]


def csv_text(batch: PaymentBatch) -> str:
    out = io.StringIO()
    write_csv(out, CSV_HEADER, csv_rows(batch))
    return out.getvalue()
