# ruff: noqa: F811 - the fixtures imported from api_fixtures are arguments of the tests
"""The contract: every endpoint of the public API answers, from seeded data,
what the OpenAPI description the application serves says, validated with
jsonschema against the served document (and the document itself against
the OpenAPI 3.1 specification). Both the real programme S2020/01591 as the
demo loads it and a paid round with redistribution and grants are walked."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.demo_data import load_demo_data

from .api_fixtures import (  # noqa: F401 - fixtures
    api_world,
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)

BASE = "urn:fordela:openapi"


class Contract:
    def __init__(self, client: Client):
        response = client.get(reverse("api:v1:openapi-json"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        self.document = response.json()
        validate_spec(self.document)
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(BASE, resource)
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
            for path in self.document["paths"]
        ]
        self.seen: set[tuple[str, int]] = set()
        self.client = client

    def operation(self, path: str) -> tuple[str, dict]:
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        # The most specific template: the one with the fewest parameters.
        assert matches, f"{path} is in no path of the OpenAPI document"
        template = min(matches, key=lambda t: t.count("{"))
        return template, self.document["paths"][template]["get"]

    def check(self, url: str, status: int = 200, **headers) -> dict | None:
        response = self.client.get(url, headers=headers)
        assert response.status_code == status, (url, response.status_code, response.content)
        path = url.split("?")[0].removeprefix("http://testserver")
        template, operation = self.operation(path)
        declared = operation["responses"].get(str(status))
        assert declared is not None, f"{status} is not declared for {template}"
        self.seen.add((template, status))
        if status == 304:
            assert response.content == b""
            assert "content" not in declared
            return None
        assert response["Content-Type"].startswith("application/json")
        schema = declared["content"]["application/json"]["schema"]
        ref = {"$ref": BASE + schema["$ref"]} if "$ref" in schema else schema
        validator = Draft202012Validator(
            ref, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        body = response.json()
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{url}: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )
        return body

    def walk(self, programme_slug: str) -> None:
        """From the list of programmes down every link the API gives."""
        listing = self.check(reverse("api:v1:programmes"))
        assert programme_slug in [p["slug"] for p in listing["results"]]
        programme = self.check(reverse("api:v1:programme", args=[programme_slug]))
        for year in programme["years"]:
            detail = self.check(year["url"])
            self.check(
                year["url"] + "pools" if year["url"].endswith("/") else year["url"] + "/pools"
            )
            for pool in detail["pools"]:
                self.check(pool["url"])
                self.check(pool["grants_url"])
                if pool["allocation_key_url"]:
                    key = self.check(pool["allocation_key_url"])
                    self.check(key["allocations_url"])
                    self.check(key["allocations_url"] + "?limit=2&offset=2")
                if pool["redistribution_url"]:
                    redistribution = self.check(pool["redistribution_url"])
                    self.check(redistribution["shares_url"])
        self.check(programme["allocation_keys_url"])
        self.check(programme["redistributions_url"])

    def errors(self) -> None:
        """The 404 and 422 answers, as declared."""
        self.check(reverse("api:v1:programme", args=["finns-inte"]), 404)
        self.check(reverse("api:v1:programmes") + "?limit=0", 422)
        self.check(reverse("api:v1:programmes") + "?offset=5000", 404)

    def assert_every_operation_answered(self) -> None:
        answered = {template for template, status in self.seen if status == 200}
        assert answered == set(self.document["paths"])


@pytest.fixture
def contract(db):
    return Contract(Client())


def test_the_served_description_is_openapi_3_with_every_endpoint(contract):
    document = contract.document
    assert document["openapi"].startswith("3.")
    assert len(document["paths"]) == 12
    for path, item in document["paths"].items():
        assert path.startswith("/api/v1/")
        assert set(item) == {"get"}, f"{path} is read-only"
        assert "404" in item["get"]["responses"] or path == "/api/v1/programmes"


def test_the_paid_round_answers_as_described(contract, api_world):
    contract.walk(api_world.programme)
    contract.errors()
    key = reverse("api:v1:allocation_key", kwargs=api_world.pool_kwargs(api_world.draft_pool))
    contract.check(key, 404)
    first = contract.client.get(
        reverse("api:v1:allocations", kwargs=api_world.pool_kwargs(api_world.requisition_pool))
    )
    contract.check(first.request["PATH_INFO"], 304, if_none_match=first["ETag"])
    redistribution = reverse(
        "api:v1:redistribution_shares", kwargs=api_world.pool_kwargs(api_world.requisition_pool)
    )
    contract.check(
        redistribution, 304, if_modified_since=contract.client.get(redistribution)["Last-Modified"]
    )
    for name in ("allocation_key", "redistribution"):
        url = reverse(f"api:v1:{name}", kwargs=api_world.pool_kwargs(api_world.requisition_pool))
        contract.check(url, 304, if_none_match=contract.client.get(url)["ETag"])
    contract.assert_every_operation_answered()


def test_the_demo_programme_answers_as_described(contract):
    load_demo_data()
    contract.walk("s2020-01591")
    answered = {template for template, status in contract.seen if status == 200}
    # The demo data has published keys but no requisitions: no redistribution.
    assert set(contract.document["paths"]) - answered == {
        "/api/v1/programmes/{programme}/years/{year}/pools/{pool}/redistribution",
        "/api/v1/programmes/{programme}/years/{year}/pools/{pool}/redistribution/shares",
    }
