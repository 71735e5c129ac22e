"""Programme S2020/01591 as seeded, and its public page."""

import pytest

from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.seed import seed_programme

pytestmark = pytest.mark.django_db


def amounts(programme, year):
    return dict(
        Pool.objects.filter(
            programme_year__programme=programme, programme_year__year=year
        ).values_list("slug", "amount_sek")
    )


def test_every_year_has_the_five_pools_of_the_decision(programme):
    for year in (2020, 2021, 2022):
        pools = amounts(programme, year)
        assert pools["kommuner"] == 75_000_000
        assert pools["regioner"] == 31_500_000
        assert pools["ideella"] == 8_000_000
        assert pools["stimulans"] == 7_000_000
        assert pools["myndighet"] == 4_000_000


def test_2021_has_top_ups_with_their_own_deadline(programme):
    top_ups = Pool.objects.filter(programme_year__year=2021, top_up_of__isnull=False)
    assert {(p.slug, p.amount_sek, p.top_up_of.slug) for p in top_ups} == {
        ("kommuner-pafyllnad", 5_000_000, "kommuner"),
        ("regioner-pafyllnad", 6_500_000, "regioner"),
    }
    assert {p.closes_on.isoformat() for p in top_ups} == {"2021-10-01"}
    assert all(p.kind == PoolKind.REQUISITION for p in top_ups)


def test_seeding_twice_changes_nothing(programme):
    before = Pool.objects.count()
    seed_programme()
    assert Pool.objects.count() == before == 17


def test_programme_page_shows_pools_lines_and_the_unassigned_remainder(client, programme):
    response = client.get(f"/program/{programme.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    # 2020: pools add up to 125.5 MSEK against the decision's 127.5 MSEK.
    assert "125\u202f500\u202f000" in html
    assert "127\u202f500\u202f000" in html
    assert "2\u202f000\u202f000" in html  # not assigned to any pool
    # Appropriation lines 71 + 43.5 MSEK leave 13 MSEK without a stated line.
    assert "71\u202f000\u202f000" in html and "43\u202f500\u202f000" in html
    assert "13\u202f000\u202f000" in html
    assert "Kommuner, påfyllnad" in html


def test_home_page_links_to_the_programme(client, programme):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="/program/{programme.slug}/"' in response.content.decode()


def test_unknown_programme_is_404(client, db):
    assert client.get("/program/finns-inte/").status_code == 404
