"""Payment files: only an approved batch is exported, every download is
audited with its format, and the pain.001 file is valid ISO 20022
pain.001.001.03 (the schema in tests/payments/schemas)."""

import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.organisations.models import Organisation
from fordela.payments import exports, services
from fordela.payments.models import PaymentBatch
from fordela.requisitions import services as requisitions
from tests.requisitions.conftest import filled

D = datetime.date
NS = {"p": exports.NAMESPACE}
SCHEMA = Path(__file__).parent / "schemas" / "pain.001.001.03.xsd"


@pytest.fixture(scope="module")
def pain001_schema():
    return xmlschema.XMLSchema(SCHEMA)


@pytest.fixture
def created(round_):
    for name, org in zip(("ombud", "ombud_b"), round_.organisations[:2], strict=True):
        draft = requisitions.start_requisition(round_.users[name], org, round_.pool)
        requisitions.submit_requisition(round_.users[name], draft, filled())
    return services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)).batch


@pytest.fixture
def approved(round_, created):
    return services.approve_batch(round_.users["ekonomi2"], created)


def exported_events(batch: PaymentBatch):
    return AuditEvent.objects.filter(
        action=AuditAction.PAYMENT_BATCH_EXPORTED, object_id=str(batch.pk)
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The service ---------------------------------------------------------------


@pytest.mark.parametrize("file_format", [services.PAIN001, services.CSV])
def test_a_batch_awaiting_approval_is_not_exported(round_, created, file_format):
    with pytest.raises(ValidationError, match="Only an approved batch can be exported"):
        services.export_batch(round_.users["ekonomi2"], created, file_format)
    assert not exported_events(created).exists()


def test_a_cancelled_batch_is_not_exported(round_, approved):
    services.cancel_batch(round_.users["ekonomi"], approved)
    with pytest.raises(ValidationError, match="This batch is cancelled"):
        services.export_batch(round_.users["ekonomi"], approved, services.PAIN001)
    assert not exported_events(approved).exists()


def test_a_paid_batch_is_not_exported_again(round_, approved, clock_at):
    clock_at("2021-10-20T15:00")
    services.confirm_batch_paid(round_.users["ekonomi"], approved)
    with pytest.raises(ValidationError, match="This batch is paid"):
        services.export_batch(round_.users["ekonomi"], approved, services.PAIN001)
    assert not exported_events(approved).exists()


def test_handlaggare_cannot_export(round_, approved):
    with pytest.raises(PermissionDenied):
        services.export_batch(round_.users["handlaggare"], approved, services.PAIN001)
    assert not exported_events(approved).exists()


def test_an_approved_batch_is_exported_as_pain001(round_, approved):
    file = services.export_batch(round_.users["ekonomi"], approved, services.PAIN001)
    assert file.filename == f"{approved.reference}.xml"
    assert file.content_type == "application/xml"
    assert file.content == exports.pain001_bytes(approved)


def test_an_approved_batch_is_exported_as_csv(round_, approved):
    file = services.export_batch(round_.users["ekonomi"], approved, services.CSV)
    assert file.filename == f"{approved.reference}.csv"
    assert file.content_type == "text/csv; charset=utf-8"
    assert file.content == exports.csv_text(approved).encode("utf-8")


def test_every_download_is_audited_once_with_its_format(round_, approved):
    services.export_batch(round_.users["ekonomi"], approved, services.PAIN001)
    services.export_batch(round_.users["ekonomi"], approved, services.PAIN001)
    services.export_batch(round_.users["ekonomi2"], approved, services.CSV)
    events = exported_events(approved).order_by("id")
    assert [e.after["format"] for e in events] == ["pain001", "pain001", "csv"]
    assert [e.actor for e in events] == [round_.users["ekonomi"]] * 2 + [round_.users["ekonomi2"]]
    assert events[0].after["total_sek"] == approved.total_sek


# --- The pages -------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["payments:pain001", "payments:csv"])
def test_downloading_a_batch_awaiting_approval_shows_why_and_gives_no_file(
    round_, created, url_name
):
    client = client_for(round_.users["ekonomi2"])
    response = client.get(reverse(url_name, args=[created.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("payments:batch", args=[created.pk])
    assert "Content-Disposition" not in response.headers
    assert "Bara en attesterad utbetalningsomgång kan exporteras" in response.content.decode()
    assert not exported_events(created).exists()


@pytest.mark.parametrize(
    ("url_name", "filename"), [("payments:pain001", ".xml"), ("payments:csv", ".csv")]
)
def test_downloading_an_approved_batch_gives_the_file_and_audits_it(
    round_, approved, url_name, filename
):
    response = client_for(round_.users["ekonomi"]).get(reverse(url_name, args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{approved.reference}{filename}"'
    )
    assert exported_events(approved).count() == 1


def test_the_batch_page_offers_the_files_only_when_approved(round_, created):
    client = client_for(round_.users["ekonomi2"])
    page = client.get(reverse("payments:batch", args=[created.pk])).content.decode()
    assert reverse("payments:pain001", args=[created.pk]) not in page
    assert reverse("payments:csv", args=[created.pk]) not in page
    services.approve_batch(round_.users["ekonomi2"], created)
    page = client.get(reverse("payments:batch", args=[created.pk])).content.decode()
    assert reverse("payments:pain001", args=[created.pk]) in page
    assert reverse("payments:csv", args=[created.pk]) in page


# --- The pain.001 file -----------------------------------------------------


def test_pain001_is_valid_against_the_iso_20022_schema(approved, pain001_schema):
    pain001_schema.validate(exports.pain001_bytes(approved).decode("utf-8"))


def test_pain001_with_long_names_and_markup_is_still_valid(round_, approved, pain001_schema):
    Organisation.objects.filter(pk=round_.ale.pk).update(name='Ale & <"Å">' + "x" * 189)
    pain001_schema.validate(exports.pain001_bytes(approved).decode("utf-8"))


def test_pain001_names_the_agencys_bank_from_the_settings(settings, approved):
    settings.FORDELA_AGENCY_BIC = "HANDSESS"
    settings.FORDELA_AGENCY_BANKGIRO = "1234-5674"
    root = ET.fromstring(exports.pain001_bytes(approved))
    assert root.find(".//p:DbtrAgt/p:FinInstnId/p:BIC", NS).text == "HANDSESS"
    assert root.find(".//p:DbtrAcct/p:Id/p:Othr/p:Id", NS).text == "12345674"
