"""Open data (issue 19 §5): what the agency has paid out, per programme and
year, as a 360Giving package (schema 1.4.3), as CSV in the product's one
dialect, and the list of programme years with data that the DCAT-AP-SE catalogue
(``reporting.dcat``) describes (docs/reporting.md, "Open data").

One grant is one **paid** payable (``fordela.payments.Payable``):

* a paid requisition: the amount the organisation requisitioned;
* a paid redistribution share: **its own grant**, since it is a decision of
  its own (the redistribution), made on another day and paid in a payment
  of its own; its id names the share, so it never changes when the
  requisition's amount is read again;
* a paid grant decision of a call (an application).

A region that passes its state grant on in a regional round (issue 20)
makes two things of it: its requisition and redistributed share carry
``regrantType`` FRG010 (``is_regranted``), and each of the round's granted
sub-grants is a grant of its own with **the region as funder**
(``subgrant_rows``). The sub-grants are a breakdown of money already
counted once: the agency's totals (``published``) are the payables alone.

Open, batched and cancelled payables are not published: what the agency
has promised but not paid can still change. The ids are built from the
source's primary key, which never changes, under the publisher's prefix
(``FORDELA_360G_PREFIX``; the default is a placeholder to be registered
with 360Giving before the data is published).

Everything is read in a constant number of queries whatever the number of
grants (``grant_rows``: the payables with their organisation, pool and
source in one query, the decisions of the application grants in one more).

The stages: ``rows`` (the grant rows from the ledger), ``giving360`` (the
360Giving package and its codelists), ``csv_export`` (the CSV),
``published_years`` (which programme years have data), and ``identifiers``
(the ids, codes and addresses they share). The names the views, the tasks
and the tests use are re-exported here.
"""

from .csv_export import csv_text
from .giving360 import check_codes, codelist, package, package_json
from .identifiers import CODES_USED, DATA_LICENCE, funder_id, prefix
from .published_years import published
from .rows import grant_rows, is_regranted, paid_payables, programme_year

__all__ = [
    "CODES_USED",
    "DATA_LICENCE",
    "check_codes",
    "codelist",
    "csv_text",
    "funder_id",
    "grant_rows",
    "is_regranted",
    "package",
    "package_json",
    "paid_payables",
    "prefix",
    "programme_year",
    "published",
]
