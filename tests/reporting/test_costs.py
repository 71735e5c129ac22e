"""Administrative costs (issue 19 §1): ekonomi books the agency's own costs
and the amounts to other agencies on the cost pools; nothing else can."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fordela.access.models import StaffAssignment, StaffRole
from fordela.audit.models import AuditEvent
from fordela.programmes.models import Pool
from fordela.reporting.costs import booked_sek, record_cost
from fordela.reporting.models import CostEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def staff(role: StaffRole):
    user = get_user_model().objects.create_user(role.value, password="x")
    StaffAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def ekonomi(db):
    return staff(StaffRole.EKONOMI)


@pytest.fixture
def pools(programme):
    return {
        pool.slug: pool
        for pool in Pool.objects.filter(
            programme_year__programme=programme, programme_year__year=2020
        )
    }


@pytest.fixture(autouse=True)
def in_2021(clock_at):
    clock_at("2021-02-01T10:00")


@pytest.fixture(autouse=True)
def in_english():
    # The messages are matched in English, whatever another test left active.
    with translation.override("en"):
        yield


def test_ekonomi_books_a_cost_on_the_line_of_its_pool(ekonomi, pools):
    entry = record_cost(
        ekonomi,
        pools["nck"],
        booked_on=D(2020, 12, 1),
        amount_sek="500 000",
        description="Till NCK",
    )
    assert (entry.amount_sek, str(entry.appropriation_line)) == (500_000, "UO 9 4:7 ap.8")
    assert booked_sek(pools["nck"]) == 500_000
    event = AuditEvent.objects.get(action="cost.recorded")
    assert event.after["amount_sek"] == 500_000 and event.actor == ekonomi


@pytest.mark.parametrize("role", [StaffRole.HANDLAGGARE, StaffRole.BESLUTSFATTARE])
def test_only_ekonomi_books_costs(role, pools):
    with pytest.raises(PermissionDenied):
        record_cost(
            staff(role), pools["myndighet"], booked_on=D(2020, 5, 1), amount_sek=1, description="x"
        )
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(
    "field, changes",
    [
        ("amount_sek", {"amount_sek": "500 001"}),  # more than the pool holds
        ("amount_sek", {"amount_sek": "0"}),
        ("amount_sek", {"amount_sek": "-5"}),
        ("amount_sek", {"amount_sek": "12,50"}),
        ("amount_sek", {"amount_sek": "9" * 40}),
        ("booked_on", {"booked_on": D(2021, 1, 5)}),  # not in the pool's year
        ("booked_on", {"booked_on": D(2019, 12, 31)}),
        ("description", {"description": "   "}),
        ("description", {"description": "x" * 301}),
    ],
)
def test_bad_input_is_refused_with_a_message_and_books_nothing(ekonomi, pools, field, changes):
    values = {
        "booked_on": D(2020, 6, 1),
        "amount_sek": "1000",
        "description": "Konferens",
    } | changes
    with pytest.raises(ValidationError) as refused:
        record_cost(ekonomi, pools["barnafrid"], **values)
    assert field in refused.value.message_dict
    assert not CostEntry.objects.exists()


def test_a_date_after_today_is_refused(ekonomi, pools, clock_at):
    clock_at("2020-06-01T10:00")
    with pytest.raises(ValidationError, match="after today"):
        record_cost(
            ekonomi, pools["myndighet"], booked_on=D(2020, 6, 2), amount_sek=1, description="x"
        )


def test_the_pool_cannot_be_overbooked_by_two_entries(ekonomi, pools):
    record_cost(
        ekonomi, pools["vardanalys"], booked_on=D(2020, 3, 1), amount_sek=300_000, description="a"
    )
    with pytest.raises(ValidationError, match="200"):
        record_cost(
            ekonomi,
            pools["vardanalys"],
            booked_on=D(2020, 4, 1),
            amount_sek=300_000,
            description="b",
        )
    assert booked_sek(pools["vardanalys"]) == 300_000


def test_a_closed_year_takes_no_more_costs(ekonomi, pools):
    year = pools["myndighet"].programme_year
    year.costs_closed = True
    year.save()
    with pytest.raises(ValidationError, match="closed"):
        record_cost(
            ekonomi, pools["myndighet"], booked_on=D(2020, 6, 1), amount_sek=1, description="x"
        )


def test_costs_are_booked_only_on_cost_pools(ekonomi, pools):
    with pytest.raises(ValidationError, match="cost pools"):
        record_cost(
            ekonomi, pools["kommuner"], booked_on=D(2020, 6, 1), amount_sek=1, description="x"
        )


def page(client, programme):
    return client.get(f"/ekonomi/kostnader/{programme.slug}/2020/")


def test_the_page_books_a_cost_and_shows_the_sums(client, ekonomi, programme, pools):
    client.force_login(ekonomi)
    response = client.post(
        f"/ekonomi/kostnader/{programme.slug}/2020/",
        {
            "pool": pools["myndighet"].pk,
            "booked_on": "2020-10-01",
            "amount_sek": "1 250 000",
            "description": "Löner, kompetensstödet",
        },
    )
    assert response.status_code == 302
    html = page(client, programme).content.decode()
    assert "Löner, kompetensstödet" in html and 'id="cost-form"' in html
    assert "1\u202f250\u202f000" in html


def test_the_page_shows_a_bad_amount_beside_its_field_and_books_nothing(
    client, ekonomi, programme, pools
):
    client.force_login(ekonomi)
    response = client.post(
        f"/ekonomi/kostnader/{programme.slug}/2020/",
        {
            "pool": pools["nck"].pk,
            "booked_on": "2020-10-01",
            "amount_sek": "600000",
            "description": "x",
        },
    )
    assert response.status_code == 200
    # The page is in Swedish (the request asks for no other language); the
    # summary links the message to the amount field.
    html = " ".join(response.content.decode().replace("\xa0", " ").replace("\u202f", " ").split())
    message = "Bara 500 000 kr av poolens 500 000 kr finns kvar att bokföra."
    assert f'<a href="#id_amount_sek">{message}</a>' in html
    assert not CostEntry.objects.exists()


def test_a_handlaggare_reads_the_page_without_the_form(client, programme):
    client.force_login(staff(StaffRole.HANDLAGGARE))
    response = page(client, programme)
    assert response.status_code == 200 and 'id="cost-form"' not in response.content.decode()


def test_an_unknown_year_is_404(client, ekonomi, programme):
    client.force_login(ekonomi)
    assert client.get(f"/ekonomi/kostnader/{programme.slug}/2031/").status_code == 404


def test_the_index_links_each_programme_year_and_the_start_page_links_the_index(client, programme):
    client.force_login(staff(StaffRole.BESLUTSFATTARE))
    html = client.get("/ekonomi/kostnader/").content.decode()
    assert f'href="/ekonomi/kostnader/{programme.slug}/2020/"' in html
    assert 'href="/ekonomi/kostnader/"' in client.get("/mina-sidor/").content.decode()
