"""Two people submit the same requisition at the same moment (PostgreSQL,
real transactions): exactly one submission wins, with one case number."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fordela.payments.models import Payable
from fordela.requisitions import services
from fordela.requisitions.models import CaseNumberCounter, Requisition, RequisitionStatus

from .conftest import filled


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_give_exactly_one_case(round_):
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(user):
        translation.activate("en")  # threads start without the test's language
        try:
            barrier.wait()
            results.append(services.submit_requisition(user, draft, filled()))
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(round_.users[name],))
        for name in ("ombud", "representant")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 1 and len(errors) == 1
    assert "already been submitted" in str(errors[0])
    requisition = Requisition.objects.get()
    assert requisition.status == RequisitionStatus.SUBMITTED
    assert requisition.case_number == results[0].case_number
    assert Payable.objects.count() == 1
    assert CaseNumberCounter.objects.get().last_number == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_of_different_organisations_get_distinct_numbers(round_):
    drafts = [
        services.start_requisition(round_.users[name], org, round_.pool)
        for name, org in zip(
            ("ombud", "ombud_b", "ombud_f", "ombud_g"), round_.organisations, strict=True
        )
    ]
    users = [round_.users[n] for n in ("ombud", "ombud_b", "ombud_f", "ombud_g")]
    barrier = threading.Barrier(4)

    def submit(user, draft):
        try:
            barrier.wait()
            services.submit_requisition(user, draft, filled())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(users, drafts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    numbers = sorted(Requisition.objects.values_list("case_number", flat=True))
    assert numbers == [f"2021-10-{n:04d}" for n in range(1, 5)]
