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


# What a submit through the form does: the session and its user; the locked
# requisition with its organisation, pool, programme year and allocation key;
# the user's role; the case-number counter (locked) and its increment; the
# requisition's update, the payable and the two audit events; the receipt
# task, which the test settings run at once (it reads the requisition and its
# payable, and records the receipt as sent in a savepoint: core.tasks.send_once);
# and the savepoint and its release that the test's transaction makes of the
# atomic block. A ceiling, not an exact count.
SUBMIT_QUERY_CEILING = 17


def test_submit_through_the_form_loads_each_thing_once(round_):
    submit(round_, 1)  # the year's first case number also creates its counter
    user = round_.users["ombud"]
    draft = services.start_requisition(user, round_.ale, round_.pool)
    client = Client()
    client.force_login(user)
    data = {**filled(), "amount_sek": round_.allocation(round_.ale), "action": "submit"}
    data["conditions_confirmed"] = "on"
    data["confirmed"] = "1"  # as posted from the confirmation page
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("requisitions:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    listing = "\n".join(
        f"  {number}. {query['sql'][:200]}"
        for number, query in enumerate(captured.captured_queries, 1)
    )
    assert len(captured) <= SUBMIT_QUERY_CEILING, f"{len(captured)} queries:\n{listing}"
    draft.refresh_from_db()
    assert draft.case_number == "2021-10-0002"
