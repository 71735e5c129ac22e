"""The handläggare's list pages run as many queries for many rows as for few."""

from django.test import Client
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
