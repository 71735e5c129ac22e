"""Report obligations (issue 17 §1): one report per paid requisition (with
its redistributed share) and per paid grant, opened by an idempotent service,
a command and a task; money received comes from the ledger."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core.models import SentMessage
from fordela.reports import services
from fordela.reports.models import Report, ReportForm, ReportSource, ReportStatus
from fordela.reports.tasks import open_report_period_task
from fordela.requisitions.ledger import pool_ledger
from fordela.requisitions.models import RedistributionShare, Requisition

from .links import emailed_link


def test_one_report_per_paid_requisition_with_its_share(paid_round, mailoutbox):
    result = services.open_report_period(2021)
    assert result.created == 2
    ale, bjurholm = paid_round.organisations[:2]
    ale_report = Report.objects.get(organisation=ale)
    share = RedistributionShare.objects.get(organisation=ale)
    requisition = Requisition.objects.get(organisation=ale)
    assert ale_report.source == ReportSource.REQUISITION
    assert ale_report.requisition == requisition
    assert ale_report.case_number == requisition.case_number
    assert ale_report.requisitioned_sek == requisition.amount_sek
    assert ale_report.redistributed_sek == share.amount_sek > 0
    assert ale_report.received_sek == requisition.amount_sek + share.amount_sek
    assert ale_report.status == ReportStatus.OPEN
    assert ale_report.due_on == datetime.date(2022, 3, 31)
    assert ale_report.year == 2021
    assert ale_report.form == ReportForm.objects.get(version=1)
    assert ale_report.contact_email == "anna@example.se"
    bjurholm_report = Report.objects.get(organisation=bjurholm)
    assert bjurholm_report.redistributed_sek == 0
    # The money received over the pool is the ledger's, to the krona.
    ledger = pool_ledger(paid_round.pool)
    assert sum(r.received_sek for r in Report.objects.all()) == (
        ledger.requisitioned_sek + ledger.redistributed_sek
    )
    # Each contact person gets the form's link, once.
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.se", "b@example.se"]
    (to_anna,) = [m for m in mailoutbox if m.to == ["anna@example.se"]]
    opened = services.open_contact_link(emailed_link(to_anna.body).split("/")[-2])
    assert (opened.report, opened.problem) == (ale_report, "")
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_OPENED).count() == 2


def test_running_it_twice_opens_nothing_twice(paid_round, mailoutbox):
    services.open_report_period(2021)
    again = services.open_report_period(2021)
    assert (again.created, again.existing) == (0, 2)
    assert Report.objects.count() == 2
    assert len(mailoutbox) == 2
    assert SentMessage.objects.filter(key__startswith="report-invitation:").count() == 2


def test_the_database_refuses_a_second_report_for_a_case(paid_round):
    services.open_report_period(2021)
    report = Report.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            organisation=report.organisation,
            pool=report.pool,
            year=report.year,
            source=report.source,
            requisition=report.requisition,
            case_number=report.case_number,
            form=report.form,
            due_on=report.due_on,
            requisitioned_sek=1,
            received_sek=1,
        )


def test_unpaid_requisitions_and_other_years_get_no_report(round_, clock_at):
    from fordela.requisitions import services as requisitions

    from .conftest import filled

    round_.pool.report_due = datetime.date(2022, 3, 31)
    round_.pool.save()
    draft = requisitions.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    requisitions.submit_requisition(round_.users["ombud"], draft, filled())
    assert services.open_report_period(2021).created == 0  # submitted, not paid
    assert services.open_report_period(2020).created == 0
    assert not Report.objects.exists()


def test_a_pool_without_a_due_date_is_named_and_opens_nothing(paid_round):
    paid_round.pool.report_due = None
    paid_round.pool.save()
    result = services.open_report_period(2021)
    assert result.created == 0
    assert result.without_due_date == [str(paid_round.pool)]
    assert not Report.objects.exists()


def test_the_due_date_is_the_pools(paid_round):
    paid_round.pool.report_due = datetime.date(2022, 1, 15)  # a regional round's date
    paid_round.pool.save()
    services.open_report_period(2021)
    assert set(Report.objects.values_list("due_on", flat=True)) == {datetime.date(2022, 1, 15)}


def test_the_command_and_the_task(paid_round, capsys):
    call_command("open_report_period", "--year", "2021")
    assert "2 reports opened" in capsys.readouterr().out
    call_command("open_report_period", "--year", "2021")
    assert "0 reports opened, 2 already open" in capsys.readouterr().out
    # The task's default year is last year (the clock is in January 2022).
    assert open_report_period_task.enqueue().return_value == 0
    assert Report.objects.count() == 2


def test_a_published_report_form_never_changes(db):
    form = ReportForm.objects.get(version=1)
    assert form.is_published
    with pytest.raises(Exception, match="published"), transaction.atomic():
        ReportForm.objects.filter(pk=form.pk).update(questions=[])
    with pytest.raises(Exception, match="published"), transaction.atomic():
        ReportForm.objects.filter(pk=form.pk).delete()
    assert ReportForm.objects.get(pk=form.pk).questions
