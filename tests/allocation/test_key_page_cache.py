"""Published keys never change, so their page and downloads are cached for a
minute; drafts are never cached, and an edited name shows within the minute."""

import time

import pytest
from django.core.cache.backends import locmem
from django.test.utils import CaptureQueriesContext

from fordela.allocation import views
from fordela.allocation.services import compute_key, freeze_key
from fordela.organisations.models import Organisation
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    for code, name, county in [("0114", "Upplands Väsby", "01"), ("0380", "Uppsala", "03")]:
        organisation = OrganisationFactory(
            municipality_code=code, name=name, county_code=county, county_name=f"Län {county}"
        )
        PopulationFactory(organisation=organisation, population=50_000)
    return PoolFactory(amount_sek=1_000_001)


def url(pool, ending="/"):
    slug = pool.programme_year.programme.slug
    return f"/program/{slug}/2021/kommuner/fordelningsnyckel{ending}"


def get(client, path):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def test_published_key_page_is_served_from_the_cache(client, pool):
    freeze_key(compute_key(pool))
    first, first_queries = get(client, url(pool, "/?lan=03&sort=-amount"))
    again, cached_queries = get(client, url(pool, "/?lan=03&sort=-amount"))
    row = b'<tr class="govuk-table__row">'
    assert again.content.count(row) == first.content.count(row) > 1
    rows = again.content.split(b'<tbody class="govuk-table__body">')[1]
    assert b"Uppsala" in again.content and b"Upplands" not in rows
    # Served from the cache, the page only looks its key up.
    assert cached_queries <= 1 < first_queries


class AMinuteLater:
    """Stands in for the time module of Django's local-memory cache."""

    @staticmethod
    def time():
        return time.time() + views.PUBLISHED_CACHE_SECONDS + 1


def test_renamed_organisation_shows_on_a_published_key_within_a_minute(client, pool, monkeypatch):
    freeze_key(compute_key(pool))
    endings = ("/", ".csv", ".xlsx")
    for ending in endings:
        get(client, url(pool, ending))
    organisation = Organisation.objects.get(municipality_code="0380")
    organisation.name = "Uppsala kommun"
    organisation.save()
    assert "Uppsala kommun" not in get(client, url(pool))[0].content.decode()
    monkeypatch.setattr(locmem, "time", AMinuteLater)
    assert "Uppsala kommun" in get(client, url(pool))[0].content.decode()
    assert "Uppsala kommun" in get(client, url(pool, ".csv"))[0].content.decode()


def test_draft_key_page_shows_a_recomputed_key_at_once(client, pool):
    compute_key(pool)
    assert "1\u202f000\u202f001" in get(client, url(pool))[0].content.decode()
    pool.amount_sek = 2_000_000
    pool.save()
    compute_key(pool)
    assert "2\u202f000\u202f000" in get(client, url(pool))[0].content.decode()


def test_other_visitors_parameters_never_reach_a_cached_table(client, pool):
    freeze_key(compute_key(pool))
    get(client, url(pool, "/?lan=01&sort=code&utm_source=nyhetsbrev"))
    get(client, url(pool, "/?lan=01&sort=code&q=v%C3%A4sby"))
    response, _ = get(client, url(pool, "/?lan=01&sort=code"))
    assert b"utm_source" not in response.content
    assert b"q=" not in response.content
