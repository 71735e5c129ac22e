"""A payment batch of thousands of payables: one transaction, a constant
number of queries, and the payments pages a page at a time (issue 15)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.payments import services
from fordela.payments.models import (
    Payable,
    PayableSource,
    PayableStatus,
    PaymentBatch,
    PaymentBatchItem,
)
from tests.query_budget import assert_same_query_count, query_budget
from tests.requisitions.conftest import VALID_BANKGIRO

D = datetime.date

# The session and its user; the role, asked by the view and by the service;
# the savepoint; the locked open payables; the batch's reference (a count and
# an existence check); the batch; its items (one bulk insert); the payables'
# status (one UPDATE); the audit event; the savepoint's release. A ceiling.
CREATE_BATCH_QUERY_CEILING = 20


def add_open_payables(round_, count: int, due_on=D(2021, 10, 27)) -> list[Payable]:
    """``count`` open payables (grant decisions, which need no case behind
    them) spread over the round's organisations, in one bulk insert."""
    start = Payable.objects.count()
    return Payable.objects.bulk_create(
        Payable(
            organisation=round_.organisations[number % len(round_.organisations)],
            pool=round_.pool,
            source=PayableSource.GRANT,
            reference=f"grant:test-{start + number}",
            case_number=f"2021-99-{start + number:05d}",
            amount_sek=1_000 + number,
            bank_giro=VALID_BANKGIRO,
            received_on=D(2021, 9, 1),
            due_on=due_on,
        )
        for number in range(count)
    )


def post_create(client, payment_date: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("payments:create"), {"payment_date": payment_date})
    assert response.status_code == 302
    assert response["Location"] != reverse("payments:index"), "the batch was refused"
    return captured


def listing(captured) -> str:
    return "\n".join(
        f"  {number}. {query['sql'][:160]}"
        for number, query in enumerate(captured.captured_queries, 1)
    )


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # texts asserted as their msgids
    return client


def reader(round_) -> Client:
    return english_client(round_.users["handlaggare"])


def test_creating_a_batch_of_2000_payables_runs_as_many_queries_as_of_10(round_):
    ekonomi = Client()
    ekonomi.force_login(round_.users["ekonomi"])
    add_open_payables(round_, 10)
    small = post_create(ekonomi, "2021-10-20")
    add_open_payables(round_, 2_000)
    large = post_create(ekonomi, "2021-10-20")
    assert len(small) == len(large), f"Small:\n{listing(small)}\nLarge:\n{listing(large)}"
    assert len(large) <= CREATE_BATCH_QUERY_CEILING, listing(large)
    assert list(PaymentBatch.objects.order_by("id").values_list("item_count", flat=True)) == [
        10,
        2_000,
    ]


def test_many_late_payments_are_named_a_few_at_a_time(round_):
    ekonomi = english_client(round_.users["ekonomi"])
    add_open_payables(round_, 40, due_on=D(2021, 10, 1))
    response = ekonomi.post(reverse("payments:create"), {"payment_date": "2021-10-20"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 + 5 + 1  # created, five late by name, how many more
    assert shown[-1] == "35 more payments were due before the payment date."


def test_a_batch_of_10_000_payables_is_one_transaction_with_every_payable_once(round_):
    payables = add_open_payables(round_, 10_000)
    with CaptureQueriesContext(connection) as captured:
        result = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20))
    assert len(captured) <= CREATE_BATCH_QUERY_CEILING, listing(captured)
    batch = result.batch
    assert batch.item_count == 10_000
    assert batch.total_sek == sum(p.amount_sek for p in payables)
    items = PaymentBatchItem.objects.filter(batch=batch, released=False)
    assert items.count() == 10_000
    assert set(items.values_list("payable_id", flat=True)) == {p.pk for p in payables}
    assert not Payable.objects.exclude(status=PayableStatus.BATCHED).exists()
    event = AuditEvent.objects.get(action=AuditAction.PAYMENT_BATCH_CREATED)
    assert sorted(event.after["payables"]) == sorted(p.pk for p in payables)
    assert result.late == []


def test_only_the_chosen_open_payables_go_into_the_batch(round_):
    payables = add_open_payables(round_, 6)
    chosen = [payables[1].pk, payables[4].pk]
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20), chosen).batch
    assert sorted(batch.items.values_list("payable_id", flat=True)) == chosen
    assert Payable.objects.filter(status=PayableStatus.OPEN).count() == 4


def test_late_payables_come_back_in_due_date_order(round_):
    add_open_payables(round_, 2, due_on=D(2021, 10, 25))
    add_open_payables(round_, 2, due_on=D(2021, 10, 18))
    result = services.create_batch(round_.users["ekonomi"], D(2021, 11, 1))
    assert [p.due_on for p in result.late] == [D(2021, 10, 18)] * 2 + [D(2021, 10, 25)] * 2


def test_cancelling_a_batch_of_2000_runs_as_many_queries_as_of_10_and_frees_them(round_):
    counts = []
    for size, day in ((10, 20), (2_000, 21)):
        add_open_payables(round_, size)
        batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, day)).batch
        with CaptureQueriesContext(connection) as captured:
            services.cancel_batch(round_.users["ekonomi"], batch)
        counts.append(captured)
        assert not batch.items.filter(released=False).exists()
    assert len(counts[0]) == len(counts[1]), listing(counts[1])
    assert not Payable.objects.exclude(status=PayableStatus.OPEN).exists()
    again = services.create_batch(round_.users["ekonomi"], D(2021, 10, 22)).batch
    assert again.item_count == 2_010


def test_cancelling_is_refused_and_changes_nothing_when_a_payable_left_the_batch_state(round_):
    add_open_payables(round_, 3)
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    Payable.objects.filter(pk=batch.items.first().payable_id).update(status=PayableStatus.CANCELLED)
    with pytest.raises(ValidationError, match="no longer awaiting payment"):
        services.cancel_batch(round_.users["ekonomi"], batch)
    batch.refresh_from_db()
    assert batch.status == "created"
    assert batch.items.filter(released=False).count() == 3
    assert Payable.objects.filter(status=PayableStatus.BATCHED).count() == 2


# ------------------------------------------------------------------ pages


def test_payments_overview_and_batch_list_do_not_grow_with_payables_or_batches(round_):
    add_open_payables(round_, 3)
    services.create_batch(round_.users["ekonomi"], D(2021, 10, 20))
    add_open_payables(round_, 3)
    urls = [reverse("payments:index"), reverse("payments:batches")]
    with query_budget(reader(round_), *urls):
        for day in range(21, 29):
            add_open_payables(round_, 20)
            services.create_batch(round_.users["ekonomi"], D(2021, 10, day))
        add_open_payables(round_, 300)


def test_payments_overview_shows_one_page_and_the_totals_of_all(round_):
    payables = add_open_payables(round_, 120, due_on=D(2021, 9, 20))
    page = reader(round_).get(reverse("payments:index"))
    assert page.context["totals"] == services.OpenTotals(
        count=120, total_sek=sum(p.amount_sek for p in payables), due_soon=120
    )
    assert len(page.context["page"].object_list) == 50
    second = reader(round_).get(reverse("payments:index"), {"sida": "3"})
    assert [p.pk for p in second.context["page"]] == [p.pk for p in payables[100:]]


def test_batch_page_does_not_grow_with_its_payments(round_):
    add_open_payables(round_, 3, due_on=D(2021, 10, 1))
    small = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    add_open_payables(round_, 300, due_on=D(2021, 10, 1))
    large = services.create_batch(round_.users["ekonomi"], D(2021, 10, 21)).batch
    client = reader(round_)
    assert_same_query_count(
        client,
        reverse("payments:batch", args=[small.pk]),
        reverse("payments:batch", args=[large.pk]),
    )
    page = client.get(reverse("payments:batch", args=[large.pk]))
    assert page.context["late_count"] == 300
    assert len(page.context["page"].object_list) == 50


@pytest.mark.parametrize("page_number", ["1", "2"])
def test_batch_page_marks_late_payments(round_, page_number):
    add_open_payables(round_, 60, due_on=D(2021, 10, 1))
    batch = services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch
    page = reader(round_).get(reverse("payments:batch", args=[batch.pk]), {"sida": page_number})
    rows = len(page.context["page"].object_list)
    assert (
        page.content.decode().count('<strong class="govuk-tag govuk-tag--red">Late</strong>')
        == rows
    )
