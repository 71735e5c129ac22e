# ruff: noqa: F811 - the fixtures imported from opendata_fixtures
"""Open data (issue 19 §5): the 360Giving package validated offline against
schema 1.4.3, its codes against the codelists, the CSV of the same rows in
the product's dialect, the DCAT-AP-SE catalogue parsed back with rdflib,
the public URLs, a constant number of queries, and bad input."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordela.core.exports import BOM
from fordela.payments.models import Payable, PayableStatus
from fordela.reporting import opendata
from fordela.requisitions.models import RedistributionShare, Requisition
from tests.factories import PoolFactory, ProgrammeYearFactory
from tests.reporting.opendata_fixtures import (  # noqa: F401 - fixtures
    add_paid_grants,
    clock_at,
    english,
    package_validator,
    paid_round,
    report_form,
    round_,
)

pytestmark = pytest.mark.django_db


def _kwargs(pool) -> dict:
    py = pool.programme_year
    return {"slug": py.programme.slug, "year": py.year}


def _package(client, pool) -> dict:
    response = client.get(reverse("reporting:opendata_json", kwargs=_kwargs(pool)))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_package_is_valid_360giving_1_4_3(client, paid_round, package_validator):
    data = _package(client, paid_round.pool)
    errors = sorted(package_validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert opendata.check_codes(data) == []


def test_the_validator_rejects_what_the_schema_forbids(client, paid_round, package_validator):
    """The validation can fail: a grant without an amount, an amount as text,
    a date in the wrong form and a package without grants are all refused."""
    data = _package(client, paid_round.pool)
    broken = json.loads(json.dumps(data))
    del broken["grants"][0]["amountAwarded"]
    broken["grants"][1]["awardDate"] = "11/10/2021"
    assert len(list(package_validator.iter_errors(broken))) >= 2
    broken = json.loads(json.dumps(data))
    broken["grants"][0]["amountAwarded"] = "1000"
    assert not package_validator.is_valid(broken)
    assert not package_validator.is_valid({**data, "grants": []})


def test_one_grant_per_paid_requisition_and_per_redistributed_share(client, paid_round):
    data = _package(client, paid_round.pool)
    requisitions = Requisition.objects.filter(pool=paid_round.pool, status="paid")
    shares = RedistributionShare.objects.filter(
        redistribution__pool=paid_round.pool, amount_sek__gt=0
    )
    prefix = "360G-fordela"
    expected = {f"{prefix}-rekvisition-{r.pk}": r.amount_sek for r in requisitions} | {
        f"{prefix}-omfordelning-{s.pk}": s.amount_sek for s in shares
    }
    assert shares.exists()
    assert {g["id"]: g["amountAwarded"] for g in data["grants"]} == expected
    assert sum(g["amountAwarded"] for g in data["grants"]) == sum(
        Payable.objects.filter(pool=paid_round.pool, status=PayableStatus.PAID).values_list(
            "amount_sek", flat=True
        )
    )
    ale = paid_round.organisations[0]
    grant = next(g for g in data["grants"] if g["recipientOrganization"][0]["name"] == ale.name)
    assert grant["currency"] == "SEK"
    assert isinstance(grant["amountAwarded"], int)
    assert grant["recipientOrganization"][0]["id"] == f"SE-BLV-{ale.organisation_number}"
    assert grant["fundingOrganization"] == [{"id": "SE-BLV-2021000555", "name": "Socialstyrelsen"}]
    assert grant["awardDate"] == "2021-09-15"
    assert grant["actualDates"] == [{"startDate": "2021-10-11"}]
    assert grant["locationScope"] == "GLS050"
    assert grant["beneficiaryLocation"] == [
        {"name": ale.name, "countryCode": "SE", "geoCode": ale.municipality_code}
    ]
    assert grant["title"].startswith(("Rekvirerade medel", "Omfördelade medel"))
    assert "regrantType" not in grant  # a kommun runs no regional round (issue 20)
    assert data["license"] == "http://creativecommons.org/licenses/by/4.0/"
    assert data["downloadURL"].startswith("http://127.0.0.1:8000/oppna-data/")


def test_the_ids_are_stable_and_follow_the_prefix_setting(client, paid_round, settings):
    first = [g["id"] for g in _package(client, paid_round.pool)["grants"]]
    assert first == [g["id"] for g in _package(client, paid_round.pool)["grants"]]
    settings.FORDELA_360G_PREFIX = "360G-socialstyrelsen"
    again = [g["id"] for g in _package(client, paid_round.pool)["grants"]]
    assert again == [i.replace("360G-fordela", "360G-socialstyrelsen") for i in first]


def test_a_regranted_grant_carries_frg010(client, paid_round, package_validator, monkeypatch):
    monkeypatch.setattr(opendata.rows, "is_regranted", lambda payable: True)
    data = _package(client, paid_round.pool)
    assert {g["regrantType"] for g in data["grants"]} == {"FRG010"}
    assert package_validator.is_valid(data)
    assert opendata.check_codes(data) == []


def test_codes_outside_the_codelists_are_caught(client, paid_round):
    data = _package(client, paid_round.pool)
    data["grants"][0]["locationScope"] = "GLS999"
    data["grants"][1]["regrantType"] = "FRG999"
    problems = opendata.check_codes(data)
    assert len(problems) == 2 and "GLS999" in problems[0] + problems[1]
    assert opendata.codelist("regrantType") >= {"FRG010"}
    assert opendata.codelist("locationScope") >= {"GLS040", "GLS050"}


def test_an_organisation_without_a_number_gets_an_id_under_the_prefix(client, paid_round):
    ale = paid_round.organisations[0]
    ale.organisation_number = ""
    ale.save(update_fields=["organisation_number"])
    ids = {g["recipientOrganization"][0]["id"] for g in _package(client, paid_round.pool)["grants"]}
    assert f"360G-fordela-org-{ale.reference_key}" in ids


def test_the_csv_holds_the_same_rows_in_the_product_dialect(client, paid_round):
    data = _package(client, paid_round.pool)
    response = client.get(reverse("reporting:opendata_csv", kwargs=_kwargs(paid_round.pool)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="360giving-')
    text = response.content.decode("utf-8")
    assert text.startswith(BOM) and "\r\n" in text
    lines = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert lines[0][:4] == ["Bidragsid", "Titel", "Beskrivning", "Belopp (kr)"]
    assert [(line[0], int(line[3])) for line in lines[1:]] == [
        (g["id"], g["amountAwarded"]) for g in data["grants"]
    ]


def test_the_json_download(client, paid_round):
    response = client.get(reverse("reporting:opendata_json", kwargs=_kwargs(paid_round.pool)))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    slug = paid_round.pool.programme_year.programme.slug
    assert response["Content-Disposition"] == f'attachment; filename="360giving-{slug}-2021.json"'


def test_the_dcat_catalogue_parses_back_with_the_mandatory_properties(client, paid_round):
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    vcard = "http://www.w3.org/2006/vcard/ns#"
    response = client.get(reverse("reporting:opendata_dcat"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    graph = Graph().parse(data=response.content, format="xml")
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                assert str(term).startswith(("http://", "https://", "mailto:", "tel:")), term

    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    for prop in (DCTERMS.title, DCTERMS.description):
        assert graph.value(catalogue, prop) is not None
    assert len(set(graph.objects(catalogue, DCTERMS.publisher))) == 1
    assert len(set(graph.objects(catalogue, DCTERMS.license))) == 1
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    (dataset,) = datasets
    assert (
        str(dataset)
        == "http://127.0.0.1:8000/oppna-data/" + _kwargs(paid_round.pool)["slug"] + "/2021/"
    )
    assert graph.value(dataset, DCTERMS.title) and graph.value(dataset, DCTERMS.description)
    (publisher,) = graph.objects(dataset, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name)
    assert graph.value(publisher, DCTERMS.type) is not None
    (contact,) = graph.objects(dataset, DCAT.contactPoint)
    assert graph.value(contact, URIRef(vcard + "fn")) is not None
    assert str(graph.value(contact, URIRef(vcard + "hasEmail"))).startswith("mailto:")
    distributions = set(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 2
    downloads = set()
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        assert len(set(graph.objects(distribution, DCAT.accessURL))) == 1
        assert len(set(graph.objects(distribution, DCTERMS.format))) == 1
        assert set(graph.objects(distribution, DCTERMS.license)) == {
            URIRef("http://creativecommons.org/licenses/by/4.0/")
        }
        downloads.add(str(graph.value(distribution, DCAT.downloadURL)))
    for url in downloads:  # each distribution's URL answers
        assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_the_package_takes_a_constant_number_of_queries(client, paid_round):
    pool = paid_round.pool
    urls = [
        reverse("reporting:opendata_json", kwargs=_kwargs(pool)),
        reverse("reporting:opendata_csv", kwargs=_kwargs(pool)),
        reverse("reporting:opendata_dcat"),
        reverse("reporting:opendata"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    add_paid_grants(pool, 1)  # each kind of grant once: then 40 more
    before = counts()
    add_paid_grants(pool, 40, start=1)
    after = counts()
    assert before == after
    assert len(_package(client, pool)["grants"]) >= 40


def test_unknown_programme_or_year_is_404(client, paid_round):
    slug = _kwargs(paid_round.pool)["slug"]
    for name in ("reporting:opendata_json", "reporting:opendata_csv"):
        assert (
            client.get(reverse(name, kwargs={"slug": "finns-inte", "year": 2021})).status_code
            == 404
        )
        assert client.get(reverse(name, kwargs={"slug": slug, "year": 1999})).status_code == 404
        assert client.get(reverse(name, kwargs={"slug": slug, "year": 10**30})).status_code == 404


def test_a_year_without_paid_grants_says_so_and_its_csv_is_the_heading(client, db):
    pool = PoolFactory(programme_year=ProgrammeYearFactory(year=2022))
    response = client.get(reverse("reporting:opendata_json", kwargs=_kwargs(pool)))
    assert response.status_code == 404
    assert "Inga utbetalda bidrag ännu" in response.content.decode()
    response = client.get(reverse("reporting:opendata_csv", kwargs=_kwargs(pool)))
    assert response.status_code == 200
    assert len(response.content.decode("utf-8").strip().splitlines()) == 1
    # The catalogue lists no dataset for it, and stays valid RDF.
    from rdflib import Graph
    from rdflib.namespace import DCAT, RDF

    graph = Graph().parse(data=client.get(reverse("reporting:opendata_dcat")).content, format="xml")
    assert list(graph.subjects(RDF.type, DCAT.Catalog))
    assert not list(graph.subjects(RDF.type, DCAT.Dataset))


def test_the_public_page_lists_the_files_and_the_programme_page_links_to_it(client, paid_round):
    programme = paid_round.pool.programme_year.programme
    page = client.get(reverse("reporting:opendata")).content.decode()
    assert "Öppna data" in page
    assert reverse("reporting:opendata_json", kwargs=_kwargs(paid_round.pool)) in page
    assert reverse("reporting:opendata_csv", kwargs=_kwargs(paid_round.pool)) in page
    assert reverse("reporting:opendata_dcat") in page
    detail = client.get(reverse("programmes:detail", kwargs={"slug": programme.slug}))
    assert reverse("reporting:opendata") + f"#programme-{programme.slug}" in detail.content.decode()
