"""The staff dashboard's row of the URL × role table
(tests/access/url_access_table.py): the agency's readers of the ledger
(READ_REQUISITIONS: handläggare, beslutsfattare, ekonomi) see it; the
consultee and the organisations' people do not."""

from tests.access.url_access_table import Entry, expect

ROWS = {
    "reporting:dashboard": Entry(
        expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
    ),
}
