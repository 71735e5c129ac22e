"""Two beslutsfattare decide at the same moment (PostgreSQL, real
transactions): the call row is locked, so the budget check sees the other
decision and the sum granted never exceeds the budget."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fordela.access.models import OrganisationRole
from fordela.applications.models import Decision
from fordela.applications.services import decisions
from fordela.payments.models import Payable

from .conftest import member, organisation, submitted_for


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_cannot_exceed_the_budget(world):
    pool = world.ngo_call.pool
    pool.amount_sek = 500_000
    pool.save()
    applications = []
    for n in range(2):
        org = organisation(f"Jour {n}", "nonprofit")
        user = member(org, OrganisationRole.OMBUD, f"ombud-jour-{n}")
        application = submitted_for(world, org, user, world.ngo_call, requested=300_000)
        decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
        applications.append(application)

    barrier = threading.Barrier(2)
    decided, refused = [], []

    def decide(user, application):
        try:
            barrier.wait()
            decided.append(decisions.decide(user, application, send_letter=False))
        except ValidationError as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(world.users[name], application))
        for name, application in zip(
            ("beslutsfattare", "beslutsfattare2"), applications, strict=True
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(decided) == 1 and len(refused) == 1
    assert "budget" in str(refused[0])
    assert decisions.granted_total(world.ngo_call) == 300_000
    assert Decision.objects.filter(decided_at__isnull=False).count() == 1
    assert Payable.objects.count() == 1
