"""The national report's rows of the URL × role table
(tests/access/url_access_table.py): the agency's readers of the ledger
(READ_REQUISITIONS: handläggare, beslutsfattare, ekonomi) see the page and
its XLSX file; no one else (tests/reporting/test_national.py)."""

from tests.access.url_access_table import Entry, expect, key

READERS = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)

ROWS = {
    "reporting:national": Entry(READERS, kwargs=lambda w: {"slug": key(w)["programme"]}),
    "reporting:national_xlsx": Entry(READERS, kwargs=lambda w: {"slug": key(w)["programme"]}),
    "reporting:national_text": Entry(READERS, kwargs=lambda w: {"slug": key(w)["programme"]}),
    "reporting:national_pdf": Entry(READERS, kwargs=lambda w: {"slug": key(w)["programme"]}),
}
