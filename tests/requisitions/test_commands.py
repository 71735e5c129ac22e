"""Management commands: deadline reminders (never twice) and the
redistribution list as CSV."""

import io

import pytest
from django.core.management import CommandError, call_command

from fordela.requisitions import services
from fordela.requisitions.models import Reminder
from tests.spreadsheets import csv_records

from .conftest import filled


def test_reminders_go_to_organisations_that_have_not_requisitioned_once(
    round_, mailoutbox, clock_at, django_capture_on_commit_callbacks
):
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    services.submit_requisition(round_.users["ombud"], draft, filled())
    clock_at("2021-09-25T08:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_requisition_reminders", "--days", "7", stdout=io.StringIO())
    assert Reminder.objects.count() == 3  # everyone but Ale
    receipts_and_reminders = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_requisition_reminders", "--days", "7", stdout=io.StringIO())
    assert Reminder.objects.count() == 3
    assert len(mailoutbox) == receipts_and_reminders
    assert any("ombud-b@example.se" in m.to for m in mailoutbox)


def test_no_reminders_when_the_deadline_is_far(round_, clock_at):
    clock_at("2021-05-01T08:00")
    call_command("send_requisition_reminders", "--days", "7", stdout=io.StringIO())
    assert not Reminder.objects.exists()


def test_export_redistribution_prints_csv(round_, clock_at):
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    services.submit_requisition(round_.users["ombud"], draft, filled(wants_redistribution=True))
    clock_at("2021-10-04T08:00")
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    out = io.StringIO()
    programme = round_.pool.programme_year.programme.reference_number
    call_command("export_redistribution", programme, "2021", "kommuner-pafyllnad", stdout=out)
    (row,) = csv_records(out.getvalue())
    assert (row["Kod"], row["Organisation"]) == ("1440", "Ale kommun")
    assert int(row["Rekvirerat (kr)"]) + int(row["Omfördelat (kr)"]) == 5_000_000


def test_export_redistribution_before_confirmation_fails(round_):
    programme = round_.pool.programme_year.programme.reference_number
    with pytest.raises(CommandError, match="not confirmed"):
        call_command("export_redistribution", programme, "2021", "kommuner-pafyllnad")
