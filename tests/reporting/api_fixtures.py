"""Data for the public API's tests: the paid requisition round of
tests/reports (a 2021 kommuner top-up pool with a published key over four
kommuner, Ale's full requisition with a share of the confirmed
redistribution, Bjurholm's part, both paid) and, in the same programme
year, a pool whose key is only a draft, an application pool whose call has
decided grants (one of them paid) and refusals, and an agency-cost pool."""

import datetime
from dataclasses import dataclass

import pytest

from fordela.allocation.services import compute_key
from fordela.applications.models import ApplicationStatus, Call, QuestionSet, QuestionSetStatus
from fordela.core import clock
from fordela.organisations.models import OrganisationKind
from fordela.payments.models import PayableSource
from fordela.payments.services import (
    approve_batch,
    confirm_batch_paid,
    create_batch,
    create_payable,
)
from fordela.programmes.models import Eligibility, PoolKind
from tests.applications import many
from tests.factories import PoolFactory
from tests.reports.conftest import paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, english, round_  # noqa: F401 - fixtures


@dataclass
class ApiWorld:
    round: object
    programme: str
    year: int
    requisition_pool: object
    draft_pool: object
    application_pool: object
    agency_pool: object
    call: Call
    decisions: list

    def pool_kwargs(self, pool) -> dict:
        return {"programme": self.programme, "year": str(self.year), "pool": pool.slug}


def application_call(programme_year, slug: str = "ideella") -> Call:
    pool = PoolFactory(
        programme_year=programme_year,
        slug=slug,
        name="Ideella organisationer",
        kind=PoolKind.APPLICATION,
        eligibility=Eligibility.NONPROFITS,
        amount_sek=8_000_000,
        allows_redistribution=False,
    )
    call = Call.objects.create(
        pool=pool,
        title="Utlysning för ideella organisationer",
        opens_on=datetime.date(2021, 10, 1),
        closes_on=datetime.date(2021, 12, 31),
        eligible_kinds=[OrganisationKind.NONPROFIT],
    )
    call.question_set = QuestionSet.objects.create(
        call=call, version=1, status=QuestionSetStatus.PUBLISHED, published_at=clock.now()
    )
    call.save(update_fields=["question_set"])
    return call


def decided_grants(call: Call, officer, decider, count: int) -> list:
    applications = many.applications(call, count, ApplicationStatus.DECIDED, officer)
    return many.decisions(applications, officer, decider)


@pytest.fixture
def api_world(paid_round, clock_at):  # noqa: F811 - the fixtures imported above
    pool = paid_round.pool
    year = pool.programme_year
    draft_pool = PoolFactory(
        programme_year=year, slug="kommuner-utkast", name="Kommuner, utkast", amount_sek=100_000
    )
    compute_key(draft_pool, actor="tests")
    officer, decider = paid_round.users["handlaggare"], paid_round.users["ekonomi"]
    call = application_call(year)
    decisions = decided_grants(call, officer, decider, 3)
    # A refusal is decided but is no grant.
    refused = many.applications(call, 1, ApplicationStatus.DECIDED, officer)[0]
    refusal = many.decisions([refused], officer, decider)[0]
    refusal.outcome, refusal.amount_sek = "refused", 0
    refusal.save(update_fields=["outcome", "amount_sek"])
    # The first grant is paid, as decide() would have made it payable.
    first = decisions[0]
    create_payable(
        source=PayableSource.GRANT,
        reference=f"grant:{first.pk}",
        organisation=first.application.organisation,
        pool=call.pool,
        case_number=first.application.case_number,
        amount_sek=first.amount_sek,
        bank_giro=first.application.bank_giro,
        received_on=clock.today(),
    )
    batch = create_batch(paid_round.users["ekonomi"], datetime.date(2022, 1, 14)).batch
    approve_batch(paid_round.users["ekonomi2"], batch)
    clock_at("2022-01-14T15:00")
    confirm_batch_paid(paid_round.users["ekonomi"], batch)
    agency_pool = PoolFactory(
        programme_year=year,
        slug="myndigheten",
        name="Myndighetens kostnader",
        kind=PoolKind.AGENCY_COST,
        eligibility=Eligibility.AGENCY,
        amount_sek=4_000_000,
        allows_redistribution=False,
    )
    return ApiWorld(
        round=paid_round,
        programme=year.programme.slug,
        year=year.year,
        requisition_pool=pool,
        draft_pool=draft_pool,
        application_pool=call.pool,
        agency_pool=agency_pool,
        call=call,
        decisions=decisions,
    )
