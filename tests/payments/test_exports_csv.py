"""The payment batch as CSV: the product's one dialect, Swedish headings, one
row per payment with the exact amounts, and formula-like names shown as text."""

import datetime

import pytest

from fordela.organisations.models import Organisation
from fordela.payments import exports, services
from fordela.requisitions import services as requisitions
from tests.requisitions.conftest import filled
from tests.spreadsheets import HOSTILE_NAMES, csv_records, csv_table


@pytest.fixture
def batch(round_):
    for name, org in zip(("ombud", "ombud_b"), round_.organisations[:2], strict=True):
        draft = requisitions.start_requisition(round_.users[name], org, round_.pool)
        requisitions.submit_requisition(round_.users[name], draft, filled())
    return services.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 20)).batch


def test_batch_csv_has_swedish_headings_and_one_row_per_payment(round_, batch):
    rows = csv_records(exports.csv_text(batch))
    assert list(rows[0]) == exports.CSV_HEADER
    assert len(rows) == batch.item_count == 2
    assert sum(int(row["Belopp (kr)"]) for row in rows) == batch.total_sek
    ale = next(row for row in rows if row["Organisation"] == "Ale kommun")
    payable = batch.items.get(payable__organisation=round_.ale).payable
    assert ale == {
        "Utbetalningsomgång": batch.reference,
        "Betalningsreferens": payable.reference,
        "Diarienummer": payable.case_number,
        "Organisation": "Ale kommun",
        "Organisationsnummer": round_.ale.formatted_organisation_number,
        "Län": "Stockholms län",
        "Bankgiro": payable.bank_giro,
        "Belopp (kr)": str(payable.amount_sek),
        "Förfallodag": payable.due_on.isoformat(),
        "Betalningsdag": "2021-10-20",
    }


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_batch_csv_shows_a_formula_like_name_as_text(round_, batch, name):
    Organisation.objects.filter(pk=round_.ale.pk).update(name=name)
    names = [row[3] for row in csv_table(exports.csv_text(batch))[1:]]
    assert "'" + name in names and name not in names
