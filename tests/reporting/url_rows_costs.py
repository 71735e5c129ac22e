"""The administrative costs page's row of the URL × role table
(tests/access/url_access_table.py): the agency's readers of the ledger
(READ_REQUISITIONS) see it; only ekonomi gets the form (tests/reporting/test_costs.py)."""

from tests.access.url_access_table import Entry, expect, key

ROWS = {
    "reporting:costs_index": Entry(
        expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
    ),
    "reporting:costs": Entry(
        expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200),
        kwargs=lambda w: {"slug": key(w)["programme"], "year": key(w)["year"]},
    ),
}
