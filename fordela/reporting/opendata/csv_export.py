"""The open data as CSV, in the product's one dialect (``core.exports``):
one line per grant row, the headers in Swedish."""

import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from fordela.core.agency import agency
from fordela.core.exports import write_csv
from fordela.payments.models import PayableSource

from .identifiers import CURRENCY, REGRANT_COMMON
from .rows import GrantRow


def csv_header() -> list[str]:
    with translation.override("sv"):
        return [
            _("Grant id"),
            _("Title"),
            _("Description"),
            _("Amount (kr)"),
            _("Currency"),
            _("Award date"),
            _("Paid"),
            _("Funds may be used until"),
            _("Recipient"),
            _("Recipient id"),
            _("Organisation number"),
            _("Kind"),
            _("Pool"),
            _("Pool code"),
            _("Case number"),
            _("Location scope"),
            _("Geographic code"),
            _("Regrant type"),
            _("Funder"),
        ]


SOURCE_NAMES = {
    PayableSource.REQUISITION: "rekvisition",
    PayableSource.REDISTRIBUTION: "omfördelning",
    PayableSource.GRANT: "ansökan",
    "subgrant": "regionalt bidrag",
}


def csv_rows(rows: Iterable[GrantRow]) -> Iterable[list]:
    the_agency = ""
    for row in rows:
        if not row.funder_name and not the_agency:
            the_agency = agency().name
        yield [
            row.id,
            row.title,
            row.description,
            row.amount_sek,
            CURRENCY,
            row.award_date,
            row.paid_on,
            row.use_until,
            row.recipient_name,
            row.recipient_id,
            row.organisation_number,
            SOURCE_NAMES.get(row.source, row.source),
            row.pool_name,
            row.pool_code,
            row.case_number,
            row.location_scope,
            row.geo_code,
            REGRANT_COMMON if row.regranted else "",
            row.funder_name or the_agency,
        ]


def csv_text(rows: list[GrantRow]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, csv_header(), csv_rows(rows))
    return buffer.getvalue()
