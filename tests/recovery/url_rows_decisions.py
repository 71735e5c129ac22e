"""The recovery decision pages' rows of the URL × role table
(tests/access/url_access_table.py): a candidate report (approved, with
unused money), a proposal and a decided claim with its letter, all of the
world's organisation, built lazily and cached in ``world.extras``."""

from django.core.files.base import ContentFile
from django.utils import timezone

from fordela.recovery.models import (
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoveryStatus,
)
from tests.access.url_access_table import ORGANISATION_MEMBERS, Entry, expect
from tests.recovery.invoice_fixtures import approved_report


def _decision(world, report, **fields) -> RecoveryDecision:
    return RecoveryDecision.objects.create(
        report=report,
        organisation=report.organisation,
        pool=report.pool,
        year=report.year,
        case_number=report.case_number,
        origin=RecoveryOrigin.APPROVED_REPORT,
        ground=RecoveryGround.UNUSED,
        outcome=RecoveryOutcome.CLAIM,
        amount_sek=report.unused_sek,
        paid_sek=report.received_sek,
        motivation="Medlen har inte förbrukats.",
        proposed_by=world.users["handlaggare"],
        proposed_at=timezone.now(),
        **fields,
    )


def _objects(world) -> dict:
    if "recovery_decisions" not in world.extras:
        candidate = approved_report(world.organisation, contact_email="")
        proposed = _decision(world, approved_report(world.organisation, contact_email=""))
        decided = _decision(
            world,
            approved_report(world.organisation, contact_email=""),
            status=RecoveryStatus.DECIDED,
            decided_by=world.users["beslutsfattare"],
            decided_at=timezone.now(),
        )
        decided.letter.save("beslut.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        world.extras["recovery_decisions"] = {
            "candidate": candidate,
            "proposed": proposed,
            "decided": decided,
        }
    return world.extras["recovery_decisions"]


def candidate_kwargs(world) -> dict:
    return {"report_id": _objects(world)["candidate"].pk}


def proposed_kwargs(world) -> dict:
    return {"pk": _objects(world)["proposed"].pk}


def decided_kwargs(world) -> dict:
    return {"pk": _objects(world)["decided"].pk}


RECOVERY_READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)

ROWS = {
    "recovery:decisions": Entry(RECOVERY_READERS_200),
    "recovery:propose": Entry(expect(403, anonymous=302, handlaggare=200), kwargs=candidate_kwargs),
    "recovery:decision": Entry(RECOVERY_READERS_200, kwargs=proposed_kwargs),
    "recovery:decide": Entry(
        expect(403, anonymous=302, beslutsfattare=200),
        kwargs=proposed_kwargs,
        method="post",
        note="not confirmed: the confirmation page",
    ),
    "recovery:return_proposal": Entry(
        expect(403, anonymous=302, beslutsfattare=302),
        kwargs=proposed_kwargs,
        method="post",
        data=lambda w: {"reason": "Motivera beloppet."},
    ),
    "recovery:decision_letter": Entry(
        expect(
            403,
            anonymous=302,
            handlaggare=200,
            beslutsfattare=200,
            ekonomi=200,
            **ORGANISATION_MEMBERS,
        ),
        kwargs=decided_kwargs,
        note="a download for the agency's readers and the organisation's members",
    ),
}
