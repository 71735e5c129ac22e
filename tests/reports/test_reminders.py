"""Reminders (issue 17 §5): configurable Swedish working days before the
deadline and one after, only about reports still to be submitted, never twice
for the same step (a database guard), tested with a moved clock; the
handläggare sees who was reminded when."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from fordela.reports import services
from fordela.reports.models import Report, ReportReminder
from fordela.reports.reminders import send_report_reminders, step_due, working_days_before
from fordela.reports.tasks import send_report_reminders_task

from .conftest import client_for
from .test_form import ANSWERS

DUE = datetime.date(2022, 3, 31)  # a Thursday


def test_the_steps_in_working_days(settings):
    settings.FORDELA_REPORT_REMINDER_DAYS_BEFORE = [30, 7]
    settings.FORDELA_REPORT_REMINDER_DAYS_AFTER = 1
    assert working_days_before(DUE, 7) == datetime.date(2022, 3, 22)
    assert step_due(DUE, datetime.date(2022, 2, 1)) is None
    assert step_due(DUE, working_days_before(DUE, 30)) == "before:30"
    assert step_due(DUE, datetime.date(2022, 3, 22)) == "before:7"
    assert step_due(DUE, DUE) == "before:7"
    assert step_due(DUE, datetime.date(2022, 4, 1)) == "after:1"
    # Easter: due on Maundy Thursday 14 April, one working day after is the 19th.
    assert step_due(datetime.date(2022, 4, 14), datetime.date(2022, 4, 18)) is None
    assert step_due(datetime.date(2022, 4, 14), datetime.date(2022, 4, 19)) == "after:1"


@pytest.fixture
def opened(paid_round, mailoutbox):
    services.open_report_period(2021)
    ale = Report.objects.get(organisation=paid_round.ale)
    services.save_draft(paid_round.users["ombud"], ale, {**ANSWERS, "used_sek": 0})
    services.submit_report(paid_round.users["ombud"], ale)
    mailoutbox.clear()
    return paid_round


def test_only_outstanding_reports_and_never_twice(opened, clock_at, mailoutbox):
    bjurholm = Report.objects.get(organisation=opened.organisations[1])
    clock_at("2022-03-22T07:00")
    assert send_report_reminders_task.enqueue().return_value == 1
    assert send_report_reminders() == 0  # the same day again
    clock_at("2022-03-25T07:00")
    assert send_report_reminders() == 0  # the same step, another day
    (mail,) = mailoutbox
    assert set(mail.to) == {"b@example.se", "ombud-b@example.se"}
    assert "31 mars 2022" in mail.body
    clock_at("2022-04-01T07:00")
    assert send_report_reminders() == 1
    assert send_report_reminders() == 0
    assert [r.step for r in bjurholm.reminders.order_by("pk")] == ["before:7", "after:1"]
    assert len(mailoutbox) == 2
    assert "var 31 mars 2022" in mailoutbox[1].body
    # The submitted report (Ale's) was never reminded.
    assert not ReportReminder.objects.filter(report__organisation=opened.ale).exists()
    html = (
        client_for(opened.users["handlaggare"])
        .get(reverse("reports:staff_case", args=[bjurholm.pk]))
        .content.decode()
    )
    assert "b@example.se" in html and "2022-04-01" in html


def test_the_database_refuses_a_second_reminder_for_a_step(opened, clock_at):
    clock_at("2022-03-22T07:00")
    send_report_reminders()
    reminder = ReportReminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportReminder.objects.create(
            report=reminder.report, due_on=reminder.due_on, step=reminder.step, sent_on=DUE
        )
