"""The scale data (``manage.py generate_scale_data``, ``fordela.bench.scale``):
factor 2 adds one programme shaped like S2020/01591 whose books balance.

The data is made once for the module, in a transaction rolled back at its
end (a published key's allocations cannot be deleted, so nothing could clean
up after it); each test runs inside it as usual."""

import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Sum

from fordela.access.models import StaffAssignment, StaffRole
from fordela.applications.models import Application, Decision
from fordela.audit.models import AuditEvent
from fordela.audit.services import events_for
from fordela.bench import scale
from fordela.core.case_numbers import REQUISITIONS, next_case_number
from fordela.payments.models import Payable, PaymentBatch
from fordela.programmes.models import Pool, PoolKind, Programme
from fordela.requisitions.ledger import pool_ledger
from fordela.requisitions.models import Requisition
from tests.demo_data import load_demo_data

STAFF = [
    ("handlaggare", StaffRole.HANDLAGGARE),
    ("beslutsfattare", StaffRole.BESLUTSFATTARE),
    ("ekonomi", StaffRole.EKONOMI),
    ("jamy", StaffRole.CONSULTEE),
]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """The reference data, S2020/01591 with its keys and the agency's staff,
    then ``generate_scale_data --factor 2``: (counts before, counts after,
    the command's output)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        for username, role in STAFF:
            user = get_user_model().objects.create_user(username, first_name=username.title())
            StaffAssignment.objects.create(user=user, role=role)
        before = scale.counts()
        out = io.StringIO()
        call_command("generate_scale_data", "--factor", "2", stdout=out)
        yield before, scale.counts(), out.getvalue()
        transaction.set_rollback(True)


def added(generated) -> dict[str, int]:
    before, after, _out = generated
    return {name: after[name] - before[name] for name in after}


def synthetic(queryset, path="pool__programme_year__programme"):
    return queryset.filter(**{f"{path}__reference_number": "S2020/90002"})


def test_factor_2_adds_one_programme_of_the_demo_s_shape(db, generated):
    made = added(generated)
    assert made["programmes"] == 1
    assert made["pools"] == 27  # 9 pools in each of 3 years
    assert made["allocation keys"] == 18
    assert made["allocations"] == 3 * (3 * 290 + 3 * 21)  # the real kommuner and regioner
    assert made["calls"] == 6
    assert 2_400 <= made["requisitions"] <= 2_900
    assert 900 <= made["applications"] <= 1_200
    assert 2_800 <= made["payables"] <= 3_800
    assert 25_000 <= made["audit events"] <= 35_000
    assert made["organisations"] == scale.NGO_COUNT
    assert "S2020/90002" in generated[2]


def test_every_requisition_pool_s_ledger_balances(db, generated):
    pools = Pool.objects.filter(kind=PoolKind.REQUISITION).select_related("programme_year")
    assert pools.count() == 8 + 18  # the demo's and the new programme's
    for pool in pools:
        assert pool_ledger(pool).problems == [], pool


def test_requisitions_payables_and_batches_are_in_every_state(db, generated):
    def states(queryset):
        return set(queryset.values_list("status", flat=True))

    assert states(synthetic(Requisition.objects)) == {"draft", "submitted", "paid", "withdrawn"}
    assert states(synthetic(Payable.objects)) == {"open", "batched", "paid"}
    assert set(synthetic(Payable.objects).values_list("source", flat=True)) == {
        "requisition",
        "redistribution",
        "grant",
    }
    assert states(PaymentBatch.objects) == {"paid", "approved", "cancelled"}
    assert states(synthetic(Application.objects, "call__pool__programme_year__programme")) == {
        "draft",
        "submitted",
        "completion_requested",
        "proposed",
        "decided",
    }


def test_no_call_grants_more_than_its_budget(db, generated):
    granted = (
        Decision.objects.filter(decided_at__isnull=False)
        .values("call", "call__pool__amount_sek")
        .annotate(total=Sum("amount_sek"))
    )
    assert granted
    for row in granted:
        assert row["total"] <= row["call__pool__amount_sek"]


def test_a_paid_requisition_s_trail_is_started_submitted_paid_in_that_order(db, generated):
    requisition = synthetic(Requisition.objects).filter(status="paid").first()
    trail = list(events_for(requisition).order_by("created_at").values_list("action", flat=True))
    assert trail[0] == "requisition.started"
    assert trail[-2:] == ["requisition.submitted", "requisition.paid"]
    assert AuditEvent.objects.filter(created_at__year=2019).exists()  # the 2020 calls


def test_the_next_case_number_follows_the_generated_ones(db, generated):
    with transaction.atomic():
        number = next_case_number(2021, REQUISITIONS)
    assert not Requisition.objects.filter(case_number=number).exists()
    assert (
        Requisition.objects.filter(case_number__startswith="2021-10-").count()
        == int(number.rsplit("-", 1)[1]) - 1
    )


def test_the_same_factor_again_and_factor_1_add_nothing(db, generated):
    for factor in ("2", "1"):
        out = io.StringIO()
        call_command("generate_scale_data", "--factor", factor, stdout=out)
        assert "Nothing to add" in out.getvalue()
    assert Programme.objects.count() == 2


def test_sqlite_is_refused_with_a_clear_message(db):
    with (
        mock.patch.object(connection, "vendor", "sqlite"),
        pytest.raises(CommandError, match="needs PostgreSQL"),
    ):
        call_command("generate_scale_data", "--factor", "2", stdout=io.StringIO())
