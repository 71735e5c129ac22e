"""Objects for the URL × role table (tests/access/url_access_table.py): two
follow-up reports of the world's organisation, one open and one submitted,
on the requisitions of tests/requisitions/url_world.py."""

import datetime

from django.utils import timezone

from fordela.reports.models import Report, ReportSource, ReportStatus
from fordela.reports.services import current_form
from tests.reports.conftest import restore_report_form
from tests.requisitions import url_world as rq


def _report(requisition, **fields) -> Report:
    restore_report_form()  # a browser test's flush may have removed the migration's
    return Report.objects.create(
        organisation=requisition.organisation,
        pool=requisition.pool,
        year=requisition.pool.programme_year.year,
        source=ReportSource.REQUISITION,
        requisition=requisition,
        case_number=requisition.case_number or "2021-10-9999",
        form=current_form(),
        due_on=datetime.date(2099, 3, 31),
        requisitioned_sek=100_000,
        received_sek=100_000,
        **fields,
    )


def _objects(world) -> dict:
    if "reports" not in world.extras:
        requisitions = rq._objects(world)
        open_report = _report(requisitions["submitted"])
        submitted = _report(
            requisitions["draft"],
            status=ReportStatus.SUBMITTED,
            used_sek=90_000,
            unused_sek=10_000,
            submitted_at=timezone.now(),
            submitted_by=world.users["ombud"],
            submission_count=1,
        )
        submitted.submissions.create(
            number=1,
            answers=submitted.answers,
            used_sek=submitted.used_sek,
            unused_sek=submitted.unused_sek,
            submitted_at=submitted.submitted_at,
            submitted_by=submitted.submitted_by,
        )
        world.extras["reports"] = {"open": open_report, "submitted": submitted}
    return world.extras["reports"]


def open_kwargs(world) -> dict:
    return {"pk": _objects(world)["open"].pk}


def submitted_kwargs(world) -> dict:
    return {"pk": _objects(world)["submitted"].pk}


def link_kwargs(world) -> dict:
    """The e-mailed link to the open report, signed for its contact person."""
    from fordela.reports.services import contact_link_token

    return {"token": contact_link_token(_objects(world)["open"])}
