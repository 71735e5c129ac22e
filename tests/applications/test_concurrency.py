"""Two beslutsfattare decide at the same moment (PostgreSQL, real
transactions): the call row is locked, so the budget check sees the other
decision and the sum granted never exceeds the budget."""

import threading
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fordela.access.models import OrganisationRole
from fordela.applications.models import ApplicationStatus, Decision
from fordela.applications.services import decisions
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
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


# Decide and send back at once (issue 14). Both take the call's budget row
# first and the application second (common.lock_for_decision), so twelve
# beslutsfattare pressing the two buttons at the same moment wait for each
# other instead of deadlocking: one wins, the others are refused.

THREADS = 12


def at_once(calls) -> list:
    """Run each callable in its own thread, all released at one moment; the
    result or the exception of each, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        translation.activate("en")  # threads start without the test's language
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


def unexpected(outcomes) -> list:
    return [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)]


def proposed_application(world, name: str, requested: int = 300_000):
    org = organisation(name, "nonprofit")
    user = member(org, OrganisationRole.OMBUD, f"ombud-{name.lower().replace(' ', '-')}")
    application = submitted_for(world, org, user, world.ngo_call, requested=requested)
    decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
    return application


def deciders(world) -> list:
    return [world.users["beslutsfattare"], world.users["beslutsfattare2"]] * (THREADS // 2)


def events(application, action) -> int:
    return AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(application.pk), action=action
    ).count()


def assert_one_outcome(application) -> str:
    """Exactly one of decided and returned, and the rows and the audit
    trail agree with it."""
    application.refresh_from_db()
    decided = events(application, AuditAction.APPLICATION_DECIDED)
    returned = events(application, AuditAction.APPLICATION_PROPOSAL_RETURNED)
    assert decided + returned == 1
    assert events(application, AuditAction.APPLICATION_DECISION_PROPOSED) == 1
    payables = Payable.objects.filter(case_number=application.case_number)
    if decided:
        assert application.status == ApplicationStatus.DECIDED
        decision = Decision.objects.get(application=application)
        assert decision.is_decided
        assert [p.amount_sek for p in payables] == [decision.amount_sek]
        return "decided"
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Decision.objects.filter(application=application).exists()
    assert not payables.exists()
    return "returned"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_and_send_backs_of_one_proposal_give_one_outcome(world):
    application = proposed_application(world, "Jour A")
    calls = [
        partial(decisions.decide, user, application, send_letter=False)
        if n % 2 == 0
        else partial(decisions.return_proposal, user, application, "Motivera mer.")
        for n, user in enumerate(deciders(world))
    ]
    outcomes = at_once(calls)
    assert unexpected(outcomes) == []
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert_one_outcome(application)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decide_and_send_back_posts_never_answer_500(world, settings):
    # The letter's task goes to the database queue: the pages, not the PDF,
    # are under test. A 500 would be raised by the test client.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = proposed_application(world, "Jour B")
    clients = []
    for user in deciders(world):
        client = Client()
        client.force_login(user)
        clients.append(client)
    decide_url = reverse("applications:decide", args=[application.pk])
    return_url = reverse("applications:return_proposal", args=[application.pk])
    calls = [
        partial(client.post, decide_url, {"confirmed": "1"})
        if n % 2 == 0
        else partial(client.post, return_url, {"return-reason": "Motivera mer."})
        for n, client in enumerate(clients)
    ]
    outcomes = at_once(calls)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert [o.status_code for o in outcomes] == [302] * THREADS
    assert_one_outcome(application)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_and_send_backs_across_a_call_keep_within_the_budget(world):
    pool = world.ngo_call.pool
    pool.amount_sek = 1_000_000  # room for three of the six 300 000 kr grants
    pool.save()
    applications = [proposed_application(world, f"Jour {n}") for n in range(THREADS // 2)]
    calls = []
    for n, application in enumerate(applications):
        user = deciders(world)[n]
        calls.append(partial(decisions.decide, user, application, send_letter=False))
        calls.append(partial(decisions.return_proposal, user, application, "Motivera mer."))
    outcomes = at_once(calls)
    assert unexpected(outcomes) == []
    over_budget = [o for o in outcomes if isinstance(o, ValidationError) and "budget" in str(o)]
    results = [assert_one_outcome(application) for application in applications]
    granted = decisions.granted_total(world.ngo_call)
    assert granted == 300_000 * results.count("decided") <= pool.amount_sek
    assert sum(Payable.objects.values_list("amount_sek", flat=True)) == granted
    if over_budget:  # the budget, not the send-back, stopped a decision
        assert granted == 900_000
