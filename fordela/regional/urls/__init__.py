"""The regional sub-grant pages, one module per stage: the region's rounds
and decisions (staff), applying (local actors and own units), and after the
decision (report, invoice, payment, roll-up).

A stage is served here once its pages have their rows in the URL × role
table (tests/regional/url_rows_<stage>.py) and their tests."""

from . import after, applying, rounds

app_name = "regional"
urlpatterns: list = [
    *rounds.urlpatterns,
    *applying.urlpatterns,
    *after.urlpatterns,
]
