"""Overdue reports (issue 17 §6): the day after the deadline plus the grace
in Swedish working days, one event per missing report and deadline, stored
once however often the daily task runs; with a moved clock."""

import datetime

from django.core.management import call_command

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.reports import review, services
from fordela.reports.models import Report, ReportOverdue
from fordela.reports.overdue import overdue_from, record_overdue_reports
from fordela.reports.tasks import record_overdue_reports_task

from .test_form import ANSWERS


def test_the_day_after_the_deadline_and_never_twice(paid_round, clock_at):
    services.open_report_period(2021)
    ale = Report.objects.get(organisation=paid_round.ale)
    services.save_draft(paid_round.users["ombud"], ale, {**ANSWERS, "used_sek": 0})
    services.submit_report(paid_round.users["ombud"], ale)
    clock_at("2022-03-31T23:00")  # the last day itself
    assert record_overdue_reports() == 0
    clock_at("2022-04-01T08:00")
    assert record_overdue_reports_task.enqueue().return_value == 1
    assert record_overdue_reports() == 0
    call_command("record_overdue_reports")
    (event,) = ReportOverdue.objects.all()
    assert event.report.organisation == paid_round.organisations[1]  # Bjurholm's, not sent in
    assert (event.due_on, event.noticed_on) == (
        datetime.date(2022, 3, 31),
        datetime.date(2022, 4, 1),
    )
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_OVERDUE).count() == 1


def test_the_grace_counts_working_days(settings):
    settings.FORDELA_REPORT_GRACE_WORKING_DAYS = 2
    # Thursday 31 March 2022 + 2 working days = Monday 4 April: overdue from the 5th.
    assert overdue_from(datetime.date(2022, 3, 31)) == datetime.date(2022, 4, 5)
    # Easter 2022: Good Friday 15 April and Easter Monday 18 April are closed.
    assert overdue_from(datetime.date(2022, 4, 14)) == datetime.date(2022, 4, 21)
    settings.FORDELA_REPORT_GRACE_WORKING_DAYS = 0
    assert overdue_from(datetime.date(2022, 3, 31)) == datetime.date(2022, 4, 1)


def test_a_missed_completion_deadline_is_a_new_event(paid_round, clock_at):
    services.open_report_period(2021)
    ale = Report.objects.get(organisation=paid_round.ale)
    ombud = paid_round.users["ombud"]
    services.save_draft(ombud, ale, {**ANSWERS, "used_sek": 0})
    services.submit_report(ombud, ale)
    review.request_completion(
        paid_round.users["handlaggare"], ale, "Mer.", datetime.date(2022, 2, 1)
    )
    clock_at("2022-02-02T08:00")
    assert record_overdue_reports() == 1
    assert ReportOverdue.objects.get().due_on == datetime.date(2022, 2, 1)
