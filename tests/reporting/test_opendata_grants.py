# ruff: noqa: F811 - the fixtures imported from tests/applications
"""Open data for a grant after an application (issue 19 §5): once paid, the
NGO call's grant is in the year's 360Giving package under its decision's id,
with the project title, the granted amount, fromOpenCall Yes and no place
(the pool is for NGOs), and the package is valid 360Giving 1.4.3; before it
is paid it is not published."""

import datetime
import json

import pytest
from django.urls import reverse

from fordela.applications.services import decisions
from fordela.payments import services as payments
from tests.applications.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    submitted_ngo_application,
    world,
)
from tests.reporting.opendata_fixtures import package_validator  # noqa: F401 - fixture
from tests.requisitions.conftest import staff

pytestmark = pytest.mark.django_db


def test_a_paid_application_grant_is_published(client, world, clock_at, package_validator):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"], application, "partial", "Delvis", amount_sek=250_000
    )
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    application.refresh_from_db()
    py = world.ngo_call.pool.programme_year
    url = reverse("reporting:opendata_json", kwargs={"slug": py.programme.slug, "year": py.year})
    assert client.get(url).status_code == 404  # decided, not yet paid

    ekonomi2 = staff("ekonomi", "ekonomi2")
    batch = payments.create_batch(world.users["ekonomi"], datetime.date(2021, 11, 22)).batch
    payments.approve_batch(ekonomi2, batch)
    clock_at("2021-11-22T15:00")
    payments.confirm_batch_paid(world.users["ekonomi"], batch)

    data = json.loads(client.get(url).content)
    assert package_validator.is_valid(data)
    (grant,) = data["grants"]
    assert grant["id"] == f"360G-fordela-bidrag-{application.decision.pk}"
    assert grant["title"] == "Stöd till våldsutsatta i Ale"
    assert grant["amountAwarded"] == 250_000
    assert grant["fromOpenCall"] == "Yes"
    assert grant["recipientOrganization"] == [
        {"id": f"SE-BLV-{world.ngo.organisation_number}", "name": "Kvinnojouren Ale"}
    ]
    assert grant["awardDate"] == "2021-11-15"
    assert "locationScope" not in grant and "beneficiaryLocation" not in grant
    assert world.ngo_call.title in grant["description"]
