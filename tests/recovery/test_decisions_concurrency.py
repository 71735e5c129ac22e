"""Two beslutsfattare decide the same recovery proposal at the same moment
(PostgreSQL, real transactions): the decision row is locked, so one decides
and issues one invoice and the other is told it is decided already."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.recovery.models import Invoice, RecoveryDecision, RecoveryStatus
from fordela.recovery.services import decisions

from .conftest import propose_claim


def at_once(calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        translation.activate("en")
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_beslutsfattare_at_once_make_one_decision_and_one_invoice(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    outcomes = at_once(
        [
            lambda: decisions.decide_recovery(w.users["beslutsfattare"], proposal),
            lambda: decisions.decide_recovery(w.users["beslutsfattare2"], proposal),
        ]
    )
    decided = [o for o in outcomes if isinstance(o, RecoveryDecision)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert "already been decided" in str(refused[0])
    assert RecoveryDecision.objects.get().status == RecoveryStatus.DECIDED
    assert Invoice.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_DECIDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_deciding_and_sending_back_at_once_do_one_of_them(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    outcomes = at_once(
        [
            lambda: decisions.decide_recovery(w.users["beslutsfattare"], proposal),
            lambda: decisions.return_recovery_proposal(
                w.users["beslutsfattare2"], proposal, "Motivera mer."
            ),
        ]
    )
    assert sum(isinstance(o, RecoveryDecision) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    status = RecoveryDecision.objects.get().status
    assert Invoice.objects.count() == (1 if status == RecoveryStatus.DECIDED else 0)
