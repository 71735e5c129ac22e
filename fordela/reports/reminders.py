"""Reminders about follow-up reports still to be submitted (issue 17 §5):
``FORDELA_REPORT_REMINDER_DAYS_BEFORE`` Swedish working days before the
deadline (default 30 and 7) and ``FORDELA_REPORT_REMINDER_DAYS_AFTER`` after
it (default 1), in the payments' calendar. Only reports still open or
awaiting completion; each step once per report and deadline (a unique
constraint), and when several steps are due at once (a task that did not
run) only the one nearest the deadline is sent. Run daily."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from fordela.access.models import Membership, OrganisationRole
from fordela.core import clock
from fordela.payments.working_days import add_working_days, is_working_day

from .models import EDITABLE, Report, ReportReminder


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day before ``day``."""
    remaining = count
    while remaining:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def steps(due_on: datetime.date) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """Each step: its name, the day it is sent from, and the last day it is
    still worth sending (None: any day after)."""
    before = sorted(set(settings.FORDELA_REPORT_REMINDER_DAYS_BEFORE), reverse=True)
    found = [(f"before:{n}", working_days_before(due_on, n), due_on) for n in before]
    after = settings.FORDELA_REPORT_REMINDER_DAYS_AFTER
    if after:
        found.append((f"after:{after}", add_working_days(due_on, after), None))
    return found


def step_due(due_on: datetime.date, today: datetime.date) -> str | None:
    """The step to send on ``today``: the latest one whose day has come."""
    current = None
    for name, start, last in steps(due_on):
        if start <= today and (last is None or today <= last):
            current = name
        elif start <= today:
            current = None  # its window has passed; a later step may still come
    return current


def recipients(report: Report) -> list[str]:
    addresses = {report.contact_email} if report.contact_email else set()
    addresses |= set(
        Membership.objects.filter(
            organisation=report.organisation,
            role__in=[OrganisationRole.OMBUD, OrganisationRole.REPRESENTANT],
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


def send_report_reminders(today: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many reports were reminded."""
    from .tasks import send_reminder

    today = today or clock.today()
    sent = 0
    reports = Report.objects.filter(status__in=EDITABLE).select_related("organisation")
    for report in reports.order_by("pk").iterator():
        step = step_due(report.due_on, today)
        if step is None:
            continue
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    report=report,
                    due_on=report.due_on,
                    step=step,
                    sent_on=today,
                    recipients=", ".join(recipients(report)),
                )
                send_reminder.enqueue(reminder.pk)
        except IntegrityError:
            continue  # this step was sent already
        sent += 1
    return sent
