"""Overdue follow-up reports (issue 17 §6): the day after the deadline plus
the grace (``FORDELA_REPORT_GRACE_WORKING_DAYS`` Swedish working days, the
payments' calendar), a report still to be submitted gets one ``ReportOverdue``
per deadline. Recovery (the next issue) acts on them. Run daily; running it
again stores nothing twice (a unique constraint)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.payments.working_days import add_working_days

from .models import EDITABLE, Report, ReportOverdue

SYSTEM = "record_overdue_reports"


def overdue_from(due_on: datetime.date) -> datetime.date:
    """The first day a report due on ``due_on`` is overdue."""
    last = add_working_days(due_on, settings.FORDELA_REPORT_GRACE_WORKING_DAYS)
    return last + datetime.timedelta(days=1)


def record_overdue_reports(today: datetime.date | None = None) -> int:
    """Store the overdue event of each report missing on ``today`` (default:
    the clock's); returns how many were stored."""
    today = today or clock.today()
    candidates = (
        Report.objects.filter(status__in=EDITABLE, due_on__lt=today)
        .exclude(
            Exists(ReportOverdue.objects.filter(report=OuterRef("pk"), due_on=OuterRef("due_on")))
        )
        .order_by("pk")
    )
    stored = 0
    for report in candidates:
        if overdue_from(report.due_on) > today:
            continue
        try:
            with transaction.atomic():
                ReportOverdue.objects.create(report=report, due_on=report.due_on, noticed_on=today)
                record(
                    SYSTEM,
                    AuditAction.REPORT_OVERDUE,
                    report,
                    after={"due_on": report.due_on.isoformat(), "noticed_on": today.isoformat()},
                )
        except IntegrityError:
            continue  # another run stored it meanwhile
        stored += 1
    return stored
