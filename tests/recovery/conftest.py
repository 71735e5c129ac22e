"""A paid requisition round whose 2021 follow-up reports have reached each
origin of a recovery decision (issue 18 §1):

- Ale kommun: approved, with unused money (``recovery_world.approved``);
- Bjurholms kommun: rejected (``recovery_world.rejected``);
- Falu kommun: never sent in, overdue and reminded after the deadline
  (``recovery_world.missing``).

The pool is the requisitions tests' kommuner top-up pool (four kommuner);
Gävle requisitions nothing and has no report. Staff: the round's handläggare
and ekonomi, and two beslutsfattare. The clock stands on 4 April 2022.

Other test modules may import the fixtures (``from tests.recovery.conftest
import recovery_world, ...``) and ``propose_claim`` / ``decided_claim``."""

import datetime
from dataclasses import dataclass

import pytest
from django.core import mail

from fordela.access.models import StaffRole
from fordela.payments import services as payments
from fordela.recovery.models import RecoveryGround, RecoveryOutcome
from fordela.recovery.services import decisions
from fordela.reports import review
from fordela.reports import services as reports
from fordela.reports.models import Report
from fordela.reports.overdue import record_overdue_reports
from fordela.reports.reminders import send_report_reminders
from fordela.requisitions import services as requisitions
from tests.reports.conftest import client_for, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    filled,
    round_,
    staff,
)

ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA för socialsekreterare.",
    "results": "Fler våldsutsatta fick stöd.",
    "lessons": "Samverkan med regionen fungerade; arbetet fortsätter i ordinarie verksamhet.",
}
APPROVED_USED_SEK = 100_000
REJECTED_USED_SEK = 20_000


@dataclass
class RecoveryWorld:
    round: object
    approved: Report
    rejected: Report
    missing: Report

    @property
    def users(self) -> dict:
        return self.round.users

    @property
    def handlaggare(self):
        return self.users["handlaggare"]

    @property
    def beslutsfattare(self):
        return self.users["beslutsfattare"]

    def refreshed(self) -> "RecoveryWorld":
        for report in (self.approved, self.rejected, self.missing):
            report.refresh_from_db()
        return self


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def recovery_world(round_, clock_at, report_form):  # noqa: F811 - the fixtures imported above
    """The three reports (see the module's docstring), with no recovery yet."""
    round_.users["beslutsfattare"] = staff(StaffRole.BESLUTSFATTARE, "beslutsfattare")
    round_.users["beslutsfattare2"] = staff(StaffRole.BESLUTSFATTARE, "beslutsfattare2")
    round_.pool.report_due = datetime.date(2022, 3, 31)
    round_.pool.save(update_fields=["report_due"])
    ale, bjurholm, falun = round_.organisations[:3]
    for user, org, amount, extra in (
        ("ombud", ale, round_.allocation(ale), {"wants_redistribution": True}),
        ("ombud_b", bjurholm, round_.allocation(bjurholm) - 1000, {"contact_email": "b@ex.se"}),
        ("ombud_f", falun, round_.allocation(falun) - 5000, {"contact_email": "f@example.se"}),
    ):
        draft = requisitions.start_requisition(round_.users[user], org, round_.pool)
        requisitions.submit_requisition(
            round_.users[user], draft, filled(amount_sek=amount, **extra)
        )
    clock_at("2021-10-04T09:00")
    requisitions.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 11)).batch
    payments.approve_batch(round_.users["ekonomi2"], batch)
    clock_at("2021-10-11T15:00")
    payments.confirm_batch_paid(round_.users["ekonomi"], batch)
    clock_at("2022-01-10T09:00")
    reports.open_report_period(2021)
    approved = Report.objects.get(organisation=ale)
    rejected = Report.objects.get(organisation=bjurholm)
    missing = Report.objects.get(organisation=falun)
    handlaggare = round_.users["handlaggare"]
    reports.save_draft(round_.users["ombud"], approved, {**ANSWERS, "used_sek": APPROVED_USED_SEK})
    reports.submit_report(round_.users["ombud"], approved)
    review.approve_report(handlaggare, approved)
    reports.save_draft(
        round_.users["ombud_b"], rejected, {**ANSWERS, "used_sek": REJECTED_USED_SEK}
    )
    reports.submit_report(round_.users["ombud_b"], rejected)
    review.reject_report(handlaggare, rejected, "Medlen användes till annat än bidragets syfte.")
    # The day after the deadline: Falun is reminded ("after:1") and overdue.
    clock_at("2022-04-01T08:00")
    assert send_report_reminders() == 1
    assert record_overdue_reports() == 1
    clock_at("2022-04-04T09:00")
    mail.outbox.clear()
    world = RecoveryWorld(round=round_, approved=approved, rejected=rejected, missing=missing)
    return world.refreshed()


def propose_claim(world: RecoveryWorld, report: Report | None = None, **overrides):
    """The handläggare proposes to claim the suggested amount back."""
    report = report or world.approved
    candidate = decisions.candidate_for(report)
    values = {
        "outcome": RecoveryOutcome.CLAIM,
        "ground": candidate.ground if candidate else RecoveryGround.UNUSED,
        "amount_sek": candidate.suggested_sek if candidate else 1,
        "motivation": "Medlen har inte förbrukats under bidragsåret.",
    }
    values.update(overrides)
    return decisions.propose_recovery(world.handlaggare, report, **values)


def decided_claim(world: RecoveryWorld, report: Report | None = None, **overrides):
    """A claim proposed by the handläggare and decided by a beslutsfattare
    (its invoice issued and its letter sent)."""
    proposal = propose_claim(world, report, **overrides)
    return decisions.decide_recovery(world.beslutsfattare, proposal)


@pytest.fixture
def proposed(recovery_world):
    """The handläggare's proposal to claim Ale's unused money back."""
    return propose_claim(recovery_world)
