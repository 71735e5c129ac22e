"""The handläggare's list pages run as many queries for many rows as for few."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordela.requisitions import services
from tests.query_budget import query_budget

from .conftest import filled

OMBUD = ("ombud", "ombud_b", "ombud_f", "ombud_g")


def submit(round_, index):
    user = round_.users[OMBUD[index]]
    draft = services.start_requisition(user, round_.organisations[index], round_.pool)
    services.submit_requisition(user, draft, filled(), send_receipt=False)


def test_pool_list_payments_and_ledger_do_not_grow_with_rows(round_):
    submit(round_, 0)
    officer = Client()
    officer.force_login(round_.users["handlaggare"])
    urls = [
        reverse("requisitions:pool", args=[round_.pool.pk]),
        reverse("requisitions:pool_csv", args=[round_.pool.pk]),
        reverse("requisitions:ledger", args=[round_.pool.pk]),
        reverse("requisitions:redistribution", args=[round_.pool.pk]),
        reverse("payments:index"),
    ]
    with query_budget(officer, *urls):
        for index in (1, 2, 3):
            submit(round_, index)


# What a submit through the form does, in order: the session with its user
# (one query, fordela.core.sessions), the locked requisition with its organisation, pool, programme year and allocation
# key, the user's role and the case number (one query, the counter's upsert in
# its WITH), and the requisition's update, the payable and the two audit events
# in one statement (rows.together); plus the receipt task, which the test
# settings run at once (the requisition and its payable), and the savepoint
# and its release the test's transaction makes of the atomic block. With the
# database task backend the task is one INSERT instead.
# It used to take 20, then 13, then 11, then 9: the page's own lookup of the
# requisition, the role looked up twice, the case number in two to five
# statements and then one of its own, the writes in three, the user read
# after its session.
SUBMIT_QUERIES = 7


def test_submit_through_the_form_loads_each_thing_once(round_):
    submit(round_, 1)  # the year's first case number also creates its counter
    user = round_.users["ombud"]
    draft = services.start_requisition(user, round_.ale, round_.pool)
    client = Client()
    client.force_login(user)
    data = {**filled(), "amount_sek": round_.allocation(round_.ale), "action": "submit"}
    data["conditions_confirmed"] = "on"
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("requisitions:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    listing = "\n".join(
        f"  {number}. {query['sql'][:200]}"
        for number, query in enumerate(captured.captured_queries, 1)
    )
    assert len(captured) == SUBMIT_QUERIES, f"{len(captured)} queries:\n{listing}"
    draft.refresh_from_db()
    assert draft.case_number == "2021-10-0002"
