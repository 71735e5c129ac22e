"""Two people submit the same requisition at the same moment (PostgreSQL,
real transactions): exactly one submission wins, with one case number."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core.models import CaseNumberCounter
from fordela.payments.models import Payable
from fordela.requisitions import services
from fordela.requisitions.models import Requisition, RequisitionStatus

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


@pytest.mark.django_db(transaction=True)
def test_a_database_refusal_half_way_through_a_submission_changes_nothing(round_, settings):
    # A refusal of a later write (a payable for this requisition already
    # exists) must undo the earlier ones and the case number, and leave the
    # connection usable. The receipt task goes to the database queue, as in
    # production, so its row is part of the transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    Payable.objects.create(
        source="requisition",
        reference=f"requisition:{draft.pk}",
        requisition=draft,
        organisation=round_.ale,
        pool=round_.pool,
        case_number="2021-10-9999",
        amount_sek=1,
        bank_giro="50501055",
        received_on=datetime.date(2021, 9, 1),
        due_on=datetime.date(2021, 10, 13),
    )
    events = AuditEvent.objects.count()
    with pytest.raises(IntegrityError):
        services.submit_requisition(round_.users["ombud"], draft, filled())
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT and draft.case_number is None
    assert not CaseNumberCounter.objects.filter(last_number__gt=0).exists()
    assert AuditEvent.objects.count() == events
    assert not DBTaskResult.objects.exists()
    # The same connection goes on: the conflicting payable removed, it submits.
    Payable.objects.all().delete()
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    assert submitted.case_number == "2021-10-0001"
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_redistribution_waits_for_a_submission_in_progress_and_counts_it(
    round_, clock_at, settings, monkeypatch
):
    # A submission at 23:59:59 on the last day is paused inside its transaction
    # (after its writes); the clock passes midnight and the handläggare
    # confirms the redistribution. The confirmation must wait for the
    # submission and then count it: the opted-in full requisition gets a share.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clock_at("2021-10-01T23:59:59")
    draft = services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    written, release = threading.Event(), threading.Event()
    real_record = services.record

    def paused_record(actor, action, obj, **values):
        # The submission's audit event is its last write: pause there.
        event = real_record(actor, action, obj, **values)
        if action == AuditAction.REQUISITION_SUBMITTED:
            written.set()
            release.wait(timeout=30)
        return event

    monkeypatch.setattr(services, "record", paused_record)
    outcome = {}

    def submit():
        translation.activate("en")
        try:
            outcome["case"] = services.submit_requisition(
                round_.users["ombud"], draft, filled(wants_redistribution=True)
            ).case_number
        finally:
            connection.close()

    def confirm():
        translation.activate("en")
        try:
            outcome["redistribution"] = services.confirm_redistribution(
                round_.users["handlaggare"], round_.pool
            )
        finally:
            connection.close()

    submitter = threading.Thread(target=submit)
    submitter.start()
    assert written.wait(timeout=30)
    clock_at("2021-10-02T00:00:01")
    confirmer = threading.Thread(target=confirm)
    confirmer.start()
    confirmer.join(timeout=1)
    assert confirmer.is_alive()  # waiting for the submission's lock
    release.set()
    submitter.join(timeout=30)
    confirmer.join(timeout=30)
    assert outcome["case"] == "2021-10-0001"
    redistribution = outcome["redistribution"]
    assert redistribution.requisitioned_sek == round_.allocation(round_.ale)
    assert redistribution.redistributed_sek == redistribution.unrequisitioned_sek > 0
