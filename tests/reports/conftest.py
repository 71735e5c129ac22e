"""A paid requisition round for follow-up reports: the kommuner top-up pool
of tests/requisitions (four kommuner), Ale requisitions its full allocation
and opts in to redistribution, Bjurholm requisitions part of its own,
Falun nothing; the redistribution is confirmed and everything is paid. Then
the report period of 2021 can open."""

import datetime
import importlib

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fordela.payments import services as payments
from fordela.requisitions import services as requisitions
from tests.requisitions.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    filled,
    round_,
)


def restore_report_form():
    """Put back the report form version 1 that migration reports 0002 publishes:
    a live server's flush (the browser tests') removes what migrations wrote."""
    from fordela.reports.models import ReportForm

    migration = importlib.import_module("fordela.reports.migrations.0002_form_version_1")
    ReportForm.objects.get_or_create(
        version=1,
        defaults={
            "status": "published",
            "published_at": timezone.now(),
            "questions": migration.QUESTIONS,
        },
    )


@pytest.fixture(autouse=True)
def report_form(db):
    restore_report_form()


@pytest.fixture
def paid_round(round_, clock_at, report_form):  # noqa: F811 - the fixtures imported above
    round_.pool.report_due = datetime.date(2022, 3, 31)
    round_.pool.save(update_fields=["report_due"])
    ale, bjurholm = round_.organisations[:2]
    draft = requisitions.start_requisition(round_.users["ombud"], ale, round_.pool)
    requisitions.submit_requisition(
        round_.users["ombud"],
        draft,
        filled(amount_sek=round_.allocation(ale), wants_redistribution=True),
    )
    draft = requisitions.start_requisition(round_.users["ombud_b"], bjurholm, round_.pool)
    requisitions.submit_requisition(
        round_.users["ombud_b"],
        draft,
        filled(amount_sek=round_.allocation(bjurholm) - 1000, contact_email="b@example.se"),
    )
    clock_at("2021-10-04T09:00")
    requisitions.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 11)).batch
    payments.approve_batch(round_.users["ekonomi2"], batch)
    clock_at("2021-10-11T15:00")
    payments.confirm_batch_paid(round_.users["ekonomi"], batch)
    clock_at("2022-01-10T09:00")
    mail.outbox.clear()  # the requisitions' receipts
    return round_


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
