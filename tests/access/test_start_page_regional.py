"""The start page shows a region's own staff the rounds the region runs
(issue 20): per round, the applications to assess (administrator), the
proposals to decide (decision maker), the reports to review and the invoices
to pay (administrator), each linked to its list. The agency's readers find
the regions' rounds from their own start page. The page's queries do not
grow with the rounds and their cases."""

import pytest
from django.conf import settings
from django.urls import reverse

from fordela.regional.models import RoundStatus
from tests.access.test_start_pages import work_items
from tests.query_budget import query_budget
from tests.regional.after_fixtures import add_work
from tests.regional.conftest import (  # noqa: F401 - fixtures
    actor,
    actor_ombud,
    make_round,
    other_region,
    region,
    regional_admin,
    regional_decider,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(settings):
    settings.FORDELA_TODAY = "2023-01-20T10:00"


def start_page(client, user) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("access:my_pages"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def busy_round(make_round, actor, actor_ombud, regional_admin, regional_decider):  # noqa: F811
    round_ = make_round(status=RoundStatus.OPEN, title="Statliga medel 2022")
    add_work(round_, actor, actor_ombud, regional_admin, regional_decider)
    return round_


def test_the_administrator_sees_what_to_assess_review_and_pay(client, busy_round, regional_admin):  # noqa: F811
    page = start_page(client, regional_admin)
    assert "The rounds Västra Götalandsregionen runs" in page
    items = work_items(page)
    assert items["Applications to assess"] == (reverse("regional:round", args=[busy_round.pk]), "1")
    review_url = reverse("regional:round_reports", args=[busy_round.pk])
    assert items["Reports to review"] == (review_url, "1")
    pay_url = reverse("regional:round_invoices", args=[busy_round.pk])
    assert items["Invoices to pay"] == (pay_url, "1")
    assert "Proposals to decide" not in items  # the decision maker's
    assert reverse("regional:round_create") in page
    assert "Apply to become ombud" not in page


def test_the_decision_maker_sees_the_proposals_to_decide(client, busy_round, regional_decider):  # noqa: F811
    page = start_page(client, regional_decider)
    items = work_items(page)
    assert items["Proposals to decide"] == (reverse("regional:round", args=[busy_round.pk]), "1")
    assert "Applications to assess" not in items
    assert "Invoices to pay" not in items
    assert reverse("regional:round_create") not in page


def test_another_regions_staff_see_nothing_of_this_round(
    client,
    busy_round,
    other_region,  # noqa: F811
    make_user,
):
    from fordela.access.models import RegionalRole
    from tests.access.conftest import regional

    theirs = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("regionvarmland"))
    page = start_page(client, theirs)
    assert "The rounds Region Värmland runs" in page
    assert busy_round.title not in page
    assert "The region runs no round on the platform yet." in page


def test_the_agencys_readers_find_the_regions_rounds(client, busy_round, staff):
    from fordela.access.models import StaffRole

    items = work_items(start_page(client, staff(StaffRole.HANDLAGGARE)))
    assert items["The regions' own rounds"] == (reverse("regional:rounds"), "1")


def test_the_start_page_does_not_grow_with_rounds_and_cases(
    client,
    busy_round,
    make_round,  # noqa: F811
    actor,  # noqa: F811
    actor_ombud,  # noqa: F811
    regional_admin,  # noqa: F811
    regional_decider,  # noqa: F811
):
    client.force_login(regional_admin)
    with query_budget(client, reverse("access:my_pages")):
        for title in ("Andra omgången", "Tredje omgången"):
            round_ = make_round(status=RoundStatus.OPEN, title=title)
            add_work(round_, actor, actor_ombud, regional_admin, regional_decider)
