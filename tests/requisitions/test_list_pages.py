"""The requisition lists a page at a time, and the case page's payments by
two indexed equalities (issue 15): each page runs as many queries for many
rows as for few."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordela.allocation.services import compute_key, freeze_key
from fordela.payments.models import PayableSource
from fordela.requisitions import services
from tests.factories import PoolFactory
from tests.query_budget import assert_same_query_count, query_budget

from .conftest import filled

OMBUD = ("ombud", "ombud_b", "ombud_f", "ombud_g")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published_pools(count: int, slug="pool") -> list:
    """``count`` requisition pools of programmes of their own, open like the
    round's pool, each with a published key over the round's kommuner."""
    pools = []
    for number in range(count):
        pool = PoolFactory(
            slug=f"{slug}-{number}",
            name=f"Pott {number}",
            opens_on=datetime.date(2021, 4, 15),
            closes_on=datetime.date(2021, 10, 1),
        )
        freeze_key(compute_key(pool, actor="tests"), actor="tests")
        pools.append(pool)
    return pools


def submit(round_, index, pool=None, opt_in=False):
    user = round_.users[OMBUD[index]]
    draft = services.start_requisition(user, round_.organisations[index], pool or round_.pool)
    return services.submit_requisition(
        user, draft, filled(wants_redistribution=opt_in), send_receipt=False
    )


def test_pool_list_shows_a_page_and_does_not_grow_with_the_pools(round_):
    officer = client_for(round_.users["handlaggare"])
    url = reverse("requisitions:pools")
    with query_budget(officer, url):
        published_pools(55)
    first = officer.get(url)
    assert len(first.context["page"].object_list) == 50
    second = officer.get(url, {"sida": "2"})
    assert len(second.context["page"].object_list) == 6  # 55 and the round's own


def test_case_page_finds_the_payables_without_a_join_in_the_or(round_, clock_at):
    requisition = submit(round_, 0, opt_in=True)  # Ale, full, opts in
    submit(round_, 1)
    clock_at("2021-10-04T09:00")  # after the last day
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    officer = client_for(round_.users["handlaggare"])
    with CaptureQueriesContext(connection) as captured:
        page = officer.get(reverse("requisitions:case", args=[requisition.pk]))
    sources = sorted(p.source for p in page.context["payables"])
    assert sources == [PayableSource.REDISTRIBUTION, PayableSource.REQUISITION]
    payables_queries = [
        q["sql"] for q in captured.captured_queries if 'FROM "payments_payable"' in q["sql"]
    ]
    assert len(payables_queries) == 1
    assert "requisitions_redistributionshare" not in payables_queries[0]


def test_case_page_runs_as_many_queries_with_a_redistribution_share_as_without(round_, clock_at):
    with_share = submit(round_, 0, opt_in=True)
    without_share = submit(round_, 1)
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    assert_same_query_count(
        client_for(round_.users["handlaggare"]),
        reverse("requisitions:case", args=[without_share.pk]),
        reverse("requisitions:case", args=[with_share.pk]),
    )


def test_organisation_page_shows_the_latest_submitted_requisitions_a_page_at_a_time(round_):
    submit(round_, 0)
    ombud = client_for(round_.users["ombud"])
    url = reverse("access:organisation", args=[round_.ale.pk])
    with query_budget(ombud, url):
        for pool in published_pools(11, slug="more"):
            submit(round_, 0, pool)
    first = ombud.get(url)
    shown = first.context["page"]
    assert shown.paginator.count == 12 and len(shown.object_list) == 10
    latest = [r.submitted_at for r in shown]
    assert latest == sorted(latest, reverse=True)
    assert len(ombud.get(url, {"sida": "2"}).context["page"].object_list) == 2
