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
    assert Pool.objects.count() == before == 21


def test_2020_gives_other_agencies_their_amounts_from_uo_9(programme):
    transfers = Pool.objects.filter(programme_year__year=2020, kind=PoolKind.TRANSFER)
    assert {p.slug: p.amount_sek for p in transfers} == {
        "jamstalldhetsmyndigheten": 500_000,
        "nck": 500_000,
        "barnafrid": 500_000,
        "vardanalys": 500_000,
    }
    assert {str(p.appropriation_line) for p in transfers} == {"UO 9 4:7 ap.8"}


def test_programme_page_shows_that_nothing_of_2020_is_left_over(client, programme):
    response = client.get(f"/program/{programme.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    # 2020: the pools and the lines (84 + 43.5 MSEK) both add up to 127.5 MSEK.
    assert html.count("127\u202f500\u202f000") >= 3  # pools, decision, lines
    assert "84\u202f000\u202f000" in html and "43\u202f500\u202f000" in html
    assert 'id="balanced-2020"' in html
    # 2021 and 2022 state no total: no claim that nothing is left over.
    assert 'id="balanced-2021"' not in html and 'id="balanced-2022"' not in html
    assert "Kommuner, påfyllnad" in html


def test_home_page_links_to_the_programme(client, programme):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="/program/{programme.slug}/"' in response.content.decode()


def test_unknown_programme_is_404(client, db):
    assert client.get("/program/finns-inte/").status_code == 404
