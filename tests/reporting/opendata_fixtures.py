"""Fixtures for the open-data tests: the paid requisition round of
tests/reports (Ale's requisition and redistributed share, Bjurholm's
requisition, all paid on 11 October 2021), and the 360Giving schema loaded
for offline validation (facts-second-half §6: jsonschema with a referencing
registry under both the 1.4.2 and 1.4.3 URIs, rfc3339 formats checked)."""

import copy
import datetime
import hashlib
import json
from pathlib import Path

import pytest

from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.reporting.opendata.giving360 import SCHEMA_DIR
from tests.reports.conftest import paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, english, round_  # noqa: F401 - fixtures

# The publisher's files at tag 1.4.3 (ThreeSixtyGiving/standard, commit
# bc44062614983240bf0cd91342349d91619bf5b2), as SOURCES.md beside them says.
SHA256 = {
    "360-giving-package-schema.json": "6e308c2b38b0d9e86a2ef7c64b4d6b992f9e425045a12cdc3d9ca51b9b75d4db",
    "360-giving-schema.json": "cf2e13414e35ab916ac9edb71d6df126a9e7956a1e537535dab897c35cc6b7c5",
    "codelists/locationScope.csv": "80f16f775793ed33ca7783349c705bd70151551b136843018ad09c021543858a",
    "codelists/regrantType.csv": "647cc2bea58556d8697563af6c072da259b9686e891dc0233b7189fa2cad6370",
}
URIS = ("1.4.2", "1.4.3")
BASE = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/{}/schema/{}"


def schema_file(name: str) -> Path:
    """The vendored file, which must be the publisher's 1.4.3 one byte for byte."""
    path = SCHEMA_DIR / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == SHA256[name], f"{path} is not the publisher's 1.4.3 file"
    return path


@pytest.fixture(scope="session")
def package_validator():
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    grant = json.loads(schema_file("360-giving-schema.json").read_text(encoding="utf-8"))
    package = json.loads(schema_file("360-giving-package-schema.json").read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [
            (BASE.format(version, name), resource)
            for version in URIS
            for name in ("360-giving-schema.json",)
        ]
    )
    package = copy.deepcopy(package)
    package.pop("$schema", None)
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def add_paid_grants(pool, count: int, start: int = 0) -> None:
    """``count`` more paid grant payables in ``pool`` (paid in the round's
    batch), for the query budget: a grant whose decision the package cannot
    find still makes a row."""
    batch_payable = Payable.objects.filter(status=PayableStatus.PAID).first()
    organisation = batch_payable.organisation
    Payable.objects.bulk_create(
        Payable(
            organisation=organisation,
            pool=pool,
            source=PayableSource.GRANT,
            reference=f"grant:{900_000 + start + n}",
            case_number=f"TEST-{start + n}",
            amount_sek=1000 + n,
            bank_giro=batch_payable.bank_giro,
            received_on=datetime.date(2021, 9, 1),
            due_on=datetime.date(2021, 10, 1),
            status=PayableStatus.PAID,
            paid_on=batch_payable.paid_on,
            paid_batch=batch_payable.paid_batch,
        )
        for n in range(count)
    )
