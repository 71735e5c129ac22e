"""Sub-grant applications sent in and decided, for the tests of the region's
decisions and of what comes after them. They are written with the ORM, as
submission and a decided round leave them (submitted application, four-eyes
decision, the round's decided sum): the services have tests of their own."""

import datetime
import itertools

from django.db.models import F

from fordela.regional.models import (
    ApplicantKind,
    SubGrantApplication,
    SubGrantDecision,
    SubGrantOutcome,
    SubGrantReport,
    SubGrantRound,
    SubGrantStatus,
)

DECIDED_AT = datetime.datetime(2022, 6, 28, 10, tzinfo=datetime.UTC)
SUBMITTED_AT = datetime.datetime(2022, 5, 10, 9, tzinfo=datetime.UTC)
_numbers = itertools.count(1)

# The follow-up report form version 1's answers (migration reports 0002).
ANSWERS = {
    "activities_halso_sjukvard": "Utbildning för personal i våld i nära relationer.",
    "results": "Fler utsatta fick stöd.",
    "lessons": "Samverkan tar tid.",
}


def submitted_application(round_, organisation, user, *, requested=300_000, own_unit=False):
    """An application sent in, as the applying service leaves it."""
    number = next(_numbers)
    return SubGrantApplication.objects.create(
        round=round_,
        kind=ApplicantKind.OWN_UNIT if own_unit else ApplicantKind.EXTERNAL,
        organisation=organisation,
        unit_code=f"KS{number:04d}" if own_unit else "",
        unit_name="Kvinnokliniken Södra Älvsborg" if own_unit else "",
        question_set=round_.question_set,
        case_number=f"30-2022-{number:04d}",
        project_title=f"Stöd till våldsutsatta {number}",
        requested_sek=requested,
        answers={"purpose": "Utbildning av personal", "target_group": "Våldsutsatta"},
        contact_name="Kim Kontakt",
        contact_email="kim@example.se",
        status=SubGrantStatus.SUBMITTED,
        created_by=user,
        submitted_at=SUBMITTED_AT,
        submitted_by=user,
    )


def decided_grant(
    round_: SubGrantRound,
    organisation,
    *,
    proposer,
    decider,
    amount_sek: int = 100_000,
    own_unit: bool = False,
    outcome: str = SubGrantOutcome.GRANTED,
    decided: bool = True,
    contact_email: str = "kontakt@example.se",
) -> SubGrantDecision:
    """An application of ``organisation`` in ``round_`` and its decision."""
    number = next(_numbers)
    application = SubGrantApplication.objects.create(
        round=round_,
        kind=ApplicantKind.OWN_UNIT if own_unit else ApplicantKind.EXTERNAL,
        organisation=organisation,
        unit_code=f"KS{number:04d}" if own_unit else "",
        unit_name="Kvinnokliniken Södra Älvsborg" if own_unit else "",
        question_set=round_.question_set,
        case_number=f"VKV 2022/{number}",
        project_title=f"Projekt {number}",
        requested_sek=amount_sek or 50_000,
        answers={"purpose": "Stöd", "target_group": "Våldsutsatta"},
        contact_name="Kim Kontakt",
        contact_email=contact_email,
        status=SubGrantStatus.DECIDED if decided else SubGrantStatus.PROPOSED,
        created_by=proposer,
        submitted_at=DECIDED_AT - datetime.timedelta(days=40),
        submitted_by=proposer,
    )
    granted = amount_sek if outcome == SubGrantOutcome.GRANTED else 0
    decision = SubGrantDecision.objects.create(
        application=application,
        round=round_,
        outcome=outcome,
        amount_sek=granted,
        motivation="Väl motiverat.",
        proposed_by=proposer,
        proposed_at=DECIDED_AT - datetime.timedelta(days=2),
        decided_by=decider if decided else None,
        decided_at=DECIDED_AT if decided else None,
    )
    if decided and granted:
        SubGrantRound.objects.filter(pk=round_.pk).update(decided_sek=F("decided_sek") + granted)
    return decision


def add_work(round_, organisation, grantee, admin, decider) -> None:
    """One application sent in, one proposal, and three decided grants: a
    report sent in, one approved with an invoice recorded, one not yet sent."""
    from fordela.regional.services import invoices, reports
    from tests.reports.conftest import restore_report_form

    restore_report_form()
    submitted_application(round_, organisation, grantee)
    decided_grant(round_, organisation, proposer=admin, decider=decider, decided=False)
    grants = [decided_grant(round_, organisation, proposer=admin, decider=decider) for _ in "abc"]
    reports.open_reports(admin, round_)
    sent, invoiced = (SubGrantReport.objects.get(decision=grant) for grant in grants[:2])
    for report in (sent, invoiced):
        reports.save_draft(grantee, report, {**ANSWERS, "used_sek": "80 000"})
        reports.submit(grantee, report)
    reports.approve(admin, invoiced)
    invoices.record_invoice(
        admin,
        invoiced,
        reference="F-1",
        amount_sek="80 000",
        invoice_date=datetime.date(2023, 1, 18),
        bank_giro="5050-1055",
    )
