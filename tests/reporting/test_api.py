# ruff: noqa: F811 - the fixtures imported from api_fixtures are arguments of the tests
"""The public API's rules: JSON 404s, only published keys and confirmed
redistributions, pages with next/previous links and a 404 beyond the end,
ETag/Last-Modified with 304 on frozen data, no personal data, and what a
grant is."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fordela.organisations.models import Organisation

from .api_fixtures import (  # noqa: F401 - fixtures
    api_world,
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)


def get(url: str, **headers):
    return Client().get(url, headers=headers)


def url(name: str, world=None, pool=None, **kwargs) -> str:
    if pool is not None:
        kwargs.update(world.pool_kwargs(pool))
    return reverse(f"api:v1:{name}", kwargs=kwargs)


# --------------------------------------------------------------- 404 in JSON


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/programmes/finns-inte", "There is no programme 'finns-inte'."),
        ("/api/v1/programmes/finns-inte/years/2021", "There is no programme 'finns-inte'."),
        ("/api/v1/programmes/finns-inte/allocation-keys", "There is no programme 'finns-inte'."),
        (
            "/api/v1/programmes/finns-inte/years/2021/pools/kommuner/grants",
            "There is no programme 'finns-inte'.",
        ),
        ("/api/v1/programmes/{p}/years/1999", "The programme '{p}' has no year 1999."),
        ("/api/v1/programmes/{p}/years/tjugo", "'tjugo' is not a year."),
        (
            "/api/v1/programmes/{p}/years/2021/pools/nej/allocation-key",
            "The programme '{p}' has no pool 'nej' in 2021.",
        ),
        (
            "/api/v1/programmes/{p}/years/2021/pools/kommuner-utkast/allocation-key",
            "The pool 'kommuner-utkast' has no published allocation key.",
        ),
        (
            "/api/v1/programmes/{p}/years/2021/pools/kommuner-utkast/allocation-key/allocations",
            "The pool 'kommuner-utkast' has no published allocation key.",
        ),
        (
            "/api/v1/programmes/{p}/years/2021/pools/kommuner-utkast/redistribution",
            "The pool 'kommuner-utkast' has no confirmed redistribution.",
        ),
    ],
)
def test_what_is_not_there_is_a_404_in_json(api_world, path, detail):
    response = get(path.format(p=api_world.programme))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": detail.format(p=api_world.programme)}


# --------------------------------------------------------------- drafts


def test_a_draft_key_is_never_shown(api_world):
    keys = get(url("allocation_keys", programme=api_world.programme)).json()
    assert [k["pool"] for k in keys["results"]] == ["kommuner-pafyllnad"]
    draft = get(url("pool", api_world, api_world.draft_pool)).json()
    assert draft["allocation_key_url"] is None
    assert draft["redistribution_url"] is None
    published = get(url("pool", api_world, api_world.requisition_pool)).json()
    assert published["allocation_key_url"].endswith("/kommuner-pafyllnad/allocation-key")
    assert published["redistribution_url"].startswith("http://testserver/api/v1/")


# --------------------------------------------------------------- the data


def test_a_published_key_and_its_allocations_to_the_krona(api_world):
    key = get(url("allocation_key", api_world, api_world.requisition_pool)).json()
    assert key["amount_sek"] == key["allocated_sek"] == 5_000_000
    assert key["allocation_count"] == 4
    assert key["population_date"] == "2020-12-31"
    datetime.datetime.fromisoformat(key["published_at"])
    rows = get(key["allocations_url"]).json()
    assert [r["code"] for r in rows["results"]] == ["1440", "2080", "2180", "2403"]
    assert sum(r["amount_sek"] for r in rows["results"]) == 5_000_000
    assert all(type(r["amount_sek"]) is int for r in rows["results"])
    ale = rows["results"][0]
    assert ale["organisation"]["name"] == "Ale kommun"
    assert ale["organisation"]["municipality_code"] == "1440"
    assert ale["population"] == 31_868


def test_grants_are_paid_requisitions_and_decided_applications(api_world):
    requisitions = get(url("grants", api_world, api_world.requisition_pool)).json()
    ale, bjurholm = requisitions["results"]
    round_ = api_world.round
    assert ale["type"] == "requisition"
    assert ale["recipient"]["name"] == "Ale kommun"
    assert ale["amount_sek"] == round_.allocation(round_.ale)
    redistribution = get(url("redistribution", api_world, api_world.requisition_pool)).json()
    assert ale["redistributed_sek"] == redistribution["redistributed_sek"] > 0
    assert bjurholm["amount_sek"] == round_.allocation(round_.organisations[1]) - 1000
    assert bjurholm["redistributed_sek"] == 0
    assert ale["paid_on"] == bjurholm["paid_on"] == "2021-10-11"
    assert ale["id"].startswith("requisition-") and ale["case_number"]

    applications = get(url("grants", api_world, api_world.application_pool)).json()
    assert applications["count"] == 3, "the refusal is no grant"
    first = api_world.decisions[0]
    by_id = {g["id"]: g for g in applications["results"]}
    paid = by_id[f"decision-{first.pk}"]
    assert paid["type"] == "application"
    assert paid["amount_sek"] == 10_000
    assert paid["title"] == "Stöd"
    assert paid["decided_on"] == "2022-01-10"
    assert paid["paid_on"] == "2022-01-14"
    assert [g["paid_on"] for g in applications["results"]].count(None) == 2

    assert get(url("grants", api_world, api_world.agency_pool)).json()["results"] == []


def test_nothing_personal_is_in_any_answer(api_world):
    Organisation.objects.update(email="kansli@example.se", phone="08-123 45 67")
    answers = "".join(
        get(u).content.decode()
        for u in [
            url("grants", api_world, api_world.requisition_pool),
            url("grants", api_world, api_world.application_pool),
            url("allocations", api_world, api_world.requisition_pool),
            url("redistribution_shares", api_world, api_world.requisition_pool),
        ]
    )
    for secret in (
        "Anna Andersson",
        "anna@example.se",
        "b@example.se",
        "0303-33 00 00",
        "50501055",
        "kansli@example.se",
        "08-123 45 67",
    ):
        assert secret not in answers


# --------------------------------------------------------------- pages


def test_pages_link_to_the_next_and_previous_and_end_in_a_404(api_world):
    allocations = url("allocations", api_world, api_world.requisition_pool)
    first = get(allocations + "?limit=3").json()
    assert first["count"] == 4 and len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{allocations}?limit=3&offset=3"
    last = get(first["next"]).json()
    assert [r["code"] for r in last["results"]] == ["2403"]
    assert last["next"] is None
    assert last["previous"] == f"http://testserver{allocations}?limit=3&offset=0"
    beyond = get(allocations + "?offset=4")
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "offset 4 is beyond the end of the list, which has 4 rows."}


def test_an_empty_list_is_an_empty_first_page(api_world):
    empty = get(url("grants", api_world, api_world.agency_pool))
    assert empty.status_code == 200
    assert empty.json()["count"] == 0 and empty.json()["next"] is None
    assert get(url("grants", api_world, api_world.agency_pool) + "?offset=1").status_code == 404


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=501", "offset=-1", "limit=abc", "offset=1" + "0" * 30]
)
def test_bad_paging_is_a_422_in_json(api_world, query):
    response = get(url("programmes") + "?" + query)
    assert response.status_code == 422
    assert response.json()["detail"]


# --------------------------------------------------------------- caching


@pytest.mark.parametrize(
    "name", ["allocation_key", "allocations", "redistribution", "redistribution_shares"]
)
def test_frozen_data_answers_a_conditional_get_with_304(api_world, name):
    address = url(name, api_world, api_world.requisition_pool)
    first = get(address)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and "public" in first["Cache-Control"]
    again = get(address, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert get(address, if_modified_since=modified).status_code == 304
    assert get(address, if_none_match='"something-else"').status_code == 200
    assert get(address + "?limit=1", if_none_match=etag).status_code == 200, "another page"


def test_renaming_an_organisation_changes_the_allocations_etag(api_world, clock_at):
    address = url("allocations", api_world, api_world.requisition_pool)
    etag = get(address)["ETag"]
    clock_at("2022-02-01T10:00")
    ale = api_world.round.ale
    ale.name = "Ale kommun (nytt namn)"
    ale.save()
    changed = get(address, if_none_match=etag)
    assert changed.status_code == 200
    assert changed.json()["results"][0]["organisation"]["name"] == "Ale kommun (nytt namn)"
    assert changed["ETag"] != etag


def test_lists_that_change_carry_no_etag(api_world):
    for address in (
        url("programmes"),
        url("grants", api_world, api_world.requisition_pool),
        url("programme", programme=api_world.programme),
    ):
        assert not get(address).has_header("ETag")


def test_answers_are_utf8_json(api_world):
    response = get(url("grants", api_world, api_world.application_pool))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Stöd".encode() in response.content


def test_times_are_iso_in_utc_and_only_get_is_answered(api_world):
    address = url("allocation_key", api_world, api_world.requisition_pool)
    published = get(address).json()["published_at"]
    assert published.endswith("Z") or published.endswith("+00:00")
    client = Client()
    assert client.post(address).status_code == 405
    assert client.delete(address).status_code == 405
