"""The participant list as CSV and XLSX, for the organiser only, with the
waiting list in order and special needs, and the formula guard."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from fordela.access.models import Membership, OrganisationRole
from fordela.events.models import RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.spreadsheets import csv_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_user_model):
    event = EventFactory(title="Barn som upplever våld")
    session = SessionFactory(event=event, capacity=1)
    RegistrationFactory(
        session=session, name="=HYPERLINK(1)", special_needs="Hörslinga", position=1
    )
    RegistrationFactory(session=session, name="Bo", status=RegistrationStatus.WAITING, position=2)
    RegistrationFactory(session=session, name="Cia", status=RegistrationStatus.WAITING, position=3)
    user = django_user_model.objects.create_user("org", password="pw")
    Membership.objects.create(
        user=user, organisation=event.organiser, role=OrganisationRole.REPRESENTANT
    )
    return event, user


def test_the_csv_lists_everyone_with_the_queue_and_special_needs(client, setup):
    event, user = setup
    client.force_login(user)
    response = client.get(reverse("events:participants_csv", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_table(response.content)
    assert rows[0][:3] == ["Pass", "Plats", "Namn"]
    body = rows[1:]
    assert [row[2] for row in body] == ["'=HYPERLINK(1)", "Bo", "Cia"]
    with translation.override("sv"):  # the statuses in Swedish, whatever the reader's
        confirmed = str(RegistrationStatus.CONFIRMED.label)
        waiting = str(RegistrationStatus.WAITING.label)
    assert [row[5] for row in body] == [confirmed, waiting, waiting]
    assert [row[6] for row in body] == ["", "1", "2"]
    assert body[0][7] == "Hörslinga"


def test_the_xlsx_has_the_same_rows_and_text_is_never_a_formula(client, setup):
    event, user = setup
    client.force_login(user)
    response = client.get(reverse("events:participants_xlsx", args=[event.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(values) if row[0] == "Pass")
    assert values[0][:2] == ["Utbildning", "Barn som upplever våld"]
    names = [row[2] for row in values[header_at + 1 :]]
    assert names == ["=HYPERLINK(1)", "Bo", "Cia"]
    assert sheet.cell(row=header_at + 2, column=3).data_type == "s"


def test_someone_else_gets_no_list(client, setup, django_user_model):
    event, _user = setup
    client.force_login(django_user_model.objects.create_user("x", password="pw"))
    assert client.get(reverse("events:participants_csv", args=[event.pk])).status_code == 403
