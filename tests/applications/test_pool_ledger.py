"""An application pool balances to the krona too: its grants, their payables
and their payments (fordela.requisitions.ledger)."""

from django.utils import translation

from fordela.applications.models import Outcome
from fordela.applications.services import decisions
from fordela.payments.models import Payable, PayableSource
from fordela.requisitions.ledger import pool_ledger

from .conftest import submitted_ngo_application


def test_a_decided_grant_and_its_payable_balance_the_pool(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"], application, Outcome.PARTIAL, "Delvis.", amount_sek=250_000
    )
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    pool = world.ngo_call.pool
    ledger = pool_ledger(pool)
    assert ledger.problems == []
    assert ledger.granted_sek == ledger.payable_grants_sek == ledger.payable_sek == 250_000


def test_a_grant_payable_without_its_decision_is_a_problem(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"], application, Outcome.PARTIAL, "Delvis.", amount_sek=250_000
    )
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    Payable.objects.filter(source=PayableSource.GRANT).update(amount_sek=250_001)
    with translation.override("en"):
        assert "Payables ≠ granted amounts." in pool_ledger(world.ngo_call.pool).problems
